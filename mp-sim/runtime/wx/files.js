// Files a Mini Program handles: temporary files (a chosen photo, a download) and the user
// data directory (`wx.env.USER_DATA_PATH`). A temporary file's path is a `blob:` URL, so
// `<image src>` shows it and `uploadFile` sends its bytes without anything leaving the
// browser; downloads and uploads are real HTTP through the same rerouting as `wx.request`,
// so an outside host is refused and named like any other.

/** Where `wx.env.USER_DATA_PATH` points (DevTools' spelling). */
export const USER_DATA_PATH = 'http://usr';

/** Bytes from base64. */
export function fromBase64(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function toBase64(bytes) {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

const MIME = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', pdf: 'application/pdf', txt: 'text/plain', json: 'application/json' };

export class Files {
  /**
   * @param {object} deps
   * @param {typeof fetch} [deps.fetch]
   * @param {(url: string) => string} [deps.reroute] as `wx.request`'s
   * @param {(src: string) => Promise<{width: number, height: number}>} [deps.measure] an image's size
   */
  constructor({ fetch, reroute = (url) => url, measure } = {}) {
    this.fetch = fetch;
    this.reroute = reroute;
    this.measure = measure;
    this.temp = new Map(); // blob URL → {bytes, type, name}
    this.saved = new Map(); // path under USER_DATA_PATH (or a saved file) → {bytes, type, name, time}
    this.dirs = new Set([USER_DATA_PATH]);
  }

  /** Keeps `bytes` as a temporary file; its path. */
  addTemp(bytes, { name = 'file', type } = {}) {
    const kind = type ?? MIME[name.split('.').pop()?.toLowerCase()] ?? 'application/octet-stream';
    const path = URL.createObjectURL(new Blob([bytes], { type: kind }));
    this.temp.set(path, { bytes, type: kind, name });
    return path;
  }

  /** The file at `path` (temporary or saved), or null. */
  get(path) {
    return this.temp.get(path) ?? this.saved.get(path) ?? null;
  }

  /** Keeps the temporary file at `tempFilePath` for good (at `filePath`, else a new path). */
  save(tempFilePath, filePath) {
    const file = this.need(tempFilePath, 'open');
    const savedFilePath = filePath ?? `${USER_DATA_PATH}/saved-${this.saved.size + 1}-${file.name}`;
    this.saved.set(savedFilePath, { ...file, time: Math.floor(Date.now() / 1000) });
    return { savedFilePath };
  }

  /** The file at `path`, or WeChat's "no such file" failure. */
  need(path, op) {
    const file = this.get(path);
    if (!file) throw `no such file or directory, ${op} ${path}`;
    return file;
  }

  apis(async, sync) {
    // A Download/UploadTask: abortable, with progress listeners, usable before the transfer ends.
    const taskOf = (handle) => {
      if (!handle.controller) Object.assign(handle, { controller: new AbortController(), listeners: [] });
      return handle;
    };
    const taskObject = (args, handle) => {
      const h = taskOf(handle);
      return {
        abort: () => h.controller.abort(),
        onProgressUpdate: (fn) => h.listeners.push(fn),
        offProgressUpdate: (fn) => h.listeners.splice(h.listeners.indexOf(fn) >>> 0, 1),
        onHeadersReceived: () => {},
        offHeadersReceived: () => {},
      };
    };
    return {
      downloadFile: async('downloadFile', async (args, handle) => {
        taskOf(handle);
        if (typeof args.url !== 'string' || !args.url) throw 'parameter error: parameter.url should be String';
        const response = await this.fetch(this.reroute(args.url), { headers: args.header ?? {}, signal: handle.controller.signal }).catch((e) => {
          throw handle.controller.signal.aborted ? 'abort' : String(e?.message ?? e);
        });
        const bytes = new Uint8Array(await response.arrayBuffer());
        const name = new URL(args.url, 'http://x/').pathname.split('/').pop() || 'download';
        const type = response.headers.get('content-type')?.split(';')[0] || undefined;
        const tempFilePath = this.addTemp(bytes, { name, type });
        for (const fn of handle.listeners) fn({ progress: 100, totalBytesWritten: bytes.length, totalBytesExpectedToWrite: bytes.length });
        if (args.filePath) {
          this.saved.set(args.filePath, { bytes, type, name, time: Date.now() });
          return { filePath: args.filePath, statusCode: response.status };
        }
        return { tempFilePath, statusCode: response.status };
      }, { promise: false, returns: taskObject }),
      uploadFile: async('uploadFile', async (args, handle) => {
        taskOf(handle);
        if (typeof args.url !== 'string' || !args.url) throw 'parameter error: parameter.url should be String';
        if (typeof args.name !== 'string' || !args.name) throw 'parameter error: parameter.name should be String';
        const file = this.need(args.filePath, 'open');
        const body = new FormData();
        for (const [key, value] of Object.entries(args.formData ?? {})) body.append(key, String(value));
        body.append(args.name, new Blob([file.bytes], { type: file.type }), file.name);
        const response = await this.fetch(this.reroute(args.url), { method: 'POST', headers: args.header ?? {}, body, signal: handle.controller.signal }).catch((e) => {
          throw handle.controller.signal.aborted ? 'abort' : String(e?.message ?? e);
        });
        for (const fn of handle.listeners) fn({ progress: 100, totalBytesSent: file.bytes.length, totalBytesExpectedToSend: file.bytes.length });
        return { data: await response.text(), statusCode: response.status };
      }, { promise: false, returns: taskObject }),
      saveFile: async('saveFile', (args) => this.save(args.tempFilePath, args.filePath)),
      getSavedFileList: async('getSavedFileList', () => ({
        fileList: [...this.saved].map(([filePath, f]) => ({ filePath, size: f.bytes.length, createTime: f.time })),
      })),
      removeSavedFile: async('removeSavedFile', (args) => {
        this.need(args.filePath, 'unlink');
        this.saved.delete(args.filePath);
        return {};
      }),
      getFileInfo: async('getFileInfo', (args) => ({ size: this.need(args.filePath, 'open').bytes.length })),
      getImageInfo: async('getImageInfo', async (args) => {
        const src = String(args.src ?? '');
        if (!src) throw 'parameter error: parameter.src should be String';
        const file = this.get(src);
        const size = await (this.measure ? this.measure(src) : Promise.reject(new Error('no view to measure images in'))).catch(() => {
          throw 'download image fail';
        });
        const type = (file?.type ?? MIME[src.split('?')[0].split('.').pop()?.toLowerCase()] ?? 'image/png').replace('image/', '');
        return { width: size.width, height: size.height, path: src, orientation: 'up', type };
      }),
      compressImage: async('compressImage', (args) => {
        this.need(args.src, 'open');
        return { tempFilePath: args.src };
      }),
      openDocument: async('openDocument', (args) => {
        this.need(args.filePath, 'open');
        return {};
      }),
      getFileSystemManager: sync('getFileSystemManager', () => this.manager(async, sync)),
    };
  }

  /** WeChat's FileSystemManager over the temporary and saved files. */
  manager(async, sync) {
    const bytesOf = (data, encoding) => {
      if (data instanceof ArrayBuffer) return new Uint8Array(data);
      if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (encoding === 'base64') return fromBase64(String(data));
      return new TextEncoder().encode(String(data));
    };
    const decode = (bytes, encoding) => {
      if (!encoding || encoding === 'binary') return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      if (encoding === 'base64') return toBase64(bytes);
      return new TextDecoder().decode(bytes);
    };
    const parent = (path) => path.slice(0, path.lastIndexOf('/'));
    const writable = (path) => {
      if (!String(path).startsWith(USER_DATA_PATH)) throw `permission denied, open ${path}`;
      if (!this.dirs.has(parent(path))) throw `no such file or directory, open ${path}`;
    };
    const ops = {
      readFile: (filePath, encoding) => decode(this.need(filePath, 'open').bytes, encoding),
      writeFile: (filePath, data, encoding) => {
        writable(filePath);
        this.saved.set(filePath, { bytes: bytesOf(data, encoding), type: MIME[filePath.split('.').pop()] ?? 'application/octet-stream', name: filePath.split('/').pop(), time: Math.floor(Date.now() / 1000) });
      },
      appendFile: (filePath, data, encoding) => {
        const old = this.need(filePath, 'open');
        const more = bytesOf(data, encoding);
        const bytes = new Uint8Array(old.bytes.length + more.length);
        bytes.set(old.bytes);
        bytes.set(more, old.bytes.length);
        this.saved.set(filePath, { ...old, bytes });
      },
      access: (path) => {
        if (!this.get(path) && !this.dirs.has(path)) throw `no such file or directory ${path}`;
      },
      mkdir: (dirPath, recursive) => {
        if (this.dirs.has(dirPath)) throw `file already exists ${dirPath}`;
        if (!recursive && !this.dirs.has(parent(dirPath))) throw `no such file or directory ${dirPath}`;
        for (let p = dirPath; p.length > USER_DATA_PATH.length; p = parent(p)) this.dirs.add(p);
      },
      readdir: (dirPath) => {
        if (!this.dirs.has(dirPath)) throw `no such file or directory ${dirPath}`;
        const names = new Set();
        for (const p of [...this.saved.keys(), ...this.dirs]) if (parent(p) === dirPath) names.add(p.slice(dirPath.length + 1));
        return [...names];
      },
      unlink: (filePath) => {
        this.need(filePath, 'unlink');
        this.saved.delete(filePath);
        this.temp.delete(filePath);
      },
      rmdir: (dirPath) => {
        if (!this.dirs.has(dirPath)) throw `no such file or directory ${dirPath}`;
        this.dirs.delete(dirPath);
      },
      copyFile: (srcPath, destPath) => {
        writable(destPath);
        this.saved.set(destPath, { ...this.need(srcPath, 'open') });
      },
      rename: (oldPath, newPath) => {
        writable(newPath);
        const file = this.need(oldPath, 'rename');
        this.saved.delete(oldPath);
        this.saved.set(newPath, file);
      },
      stat: (path) => {
        const file = this.get(path);
        if (!file && !this.dirs.has(path)) throw `no such file or directory ${path}`;
        const size = file?.bytes.length ?? 0;
        return { size, mode: file ? 33188 : 16877, lastModifiedTime: file?.time ?? 0, lastAccessedTime: file?.time ?? 0, isFile: () => Boolean(file), isDirectory: () => !file };
      },
    };
    // Each operation both ways, as WeChat has them: `readFile({filePath, success})` and
    // `readFileSync(filePath)`.
    const args = {
      readFile: (a) => [a.filePath, a.encoding],
      writeFile: (a) => [a.filePath, a.data, a.encoding],
      appendFile: (a) => [a.filePath, a.data, a.encoding],
      access: (a) => [a.path],
      mkdir: (a) => [a.dirPath, a.recursive],
      readdir: (a) => [a.dirPath],
      unlink: (a) => [a.filePath],
      rmdir: (a) => [a.dirPath],
      copyFile: (a) => [a.srcPath, a.destPath],
      rename: (a) => [a.oldPath, a.newPath],
      stat: (a) => [a.path],
    };
    const results = { readFile: (data) => ({ data }), readdir: (files) => ({ files }), stat: (stats) => ({ stats }) };
    const manager = {};
    for (const [name, op] of Object.entries(ops)) {
      manager[name] = async(name, (a) => (results[name] ?? (() => ({})))(op(...args[name](a))), { promise: false });
      manager[`${name}Sync`] = sync(`${name}Sync`, (...positional) => op(...positional));
    }
    manager.saveFile = async('saveFile', (a) => this.save(a.tempFilePath, a.filePath), { promise: false });
    manager.getFileInfo = async('getFileInfo', (a) => ({ size: this.need(a.filePath, 'open').bytes.length }), { promise: false });
    return manager;
  }
}
