// Mini Program storage: wx.setStorageSync/getStorageSync/... and the async forms.
//
// Values keep their type (WeChat stores objects and numbers, not only strings). A missing
// key reads as "" from getStorageSync and fails getStorage with "data not found", as in
// WeChat. `persist` (the browser's localStorage) keeps storage across reloads of the page.

export class Storage {
  constructor(persist = null, prefix = 'mp-sim:') {
    this.persist = persist;
    this.prefix = prefix;
    this.map = new Map();
    if (persist) {
      for (let i = 0; i < persist.length; i += 1) {
        const key = persist.key(i);
        if (key.startsWith(prefix)) this.map.set(key.slice(prefix.length), JSON.parse(persist.getItem(key)));
      }
    }
  }

  set(key, data) {
    if (typeof key !== 'string' || key === '') throw 'parameter error: parameter.key should be a non-empty String';
    this.map.set(key, data);
    this.persist?.setItem(this.prefix + key, JSON.stringify(data ?? null));
  }

  has(key) {
    return this.map.has(key);
  }

  get(key) {
    return this.map.has(key) ? this.map.get(key) : '';
  }

  remove(key) {
    this.map.delete(key);
    this.persist?.removeItem(this.prefix + key);
  }

  clear() {
    for (const key of [...this.map.keys()]) this.remove(key);
  }

  info() {
    const keys = [...this.map.keys()];
    const bytes = keys.reduce((n, k) => n + k.length + JSON.stringify(this.map.get(k) ?? null).length, 0);
    return { keys, currentSize: Math.ceil(bytes / 1024), limitSize: 10240 };
  }

  /** The wx methods backed by this storage; `sync` and `async` wrap them in the convention. */
  apis(sync, async) {
    return {
      setStorageSync: sync('setStorageSync', (key, data) => this.set(key, data)),
      getStorageSync: sync('getStorageSync', (key) => this.get(key)),
      removeStorageSync: sync('removeStorageSync', (key) => this.remove(key)),
      clearStorageSync: sync('clearStorageSync', () => this.clear()),
      getStorageInfoSync: sync('getStorageInfoSync', () => this.info()),
      setStorage: async('setStorage', ({ key, data }) => this.set(key, data)),
      getStorage: async('getStorage', ({ key }) => {
        if (!this.has(key)) throw 'data not found';
        return { data: this.get(key) };
      }),
      removeStorage: async('removeStorage', ({ key }) => this.remove(key)),
      clearStorage: async('clearStorage', () => this.clear()),
      getStorageInfo: async('getStorageInfo', () => this.info()),
    };
  }
}
