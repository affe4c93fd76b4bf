// WebSockets: `wx.connectSocket` gives a SocketTask over the browser's real WebSocket; the
// old global functions (`wx.onSocketOpen`, `wx.sendSocketMessage`, …) act on the latest task,
// as in WeChat. An outside host is refused by the browser's proxy like any other request.

export class Sockets {
  /** @param {typeof WebSocket} [WebSocketClass] */
  constructor(WebSocketClass = globalThis.WebSocket) {
    this.WebSocket = WebSocketClass;
    this.latest = null;
    this.global = { open: [], message: [], error: [], close: [] };
  }

  apis(async) {
    const onGlobal = (kind) => (fn) => {
      if (typeof fn === 'function') this.global[kind].push(fn);
    };
    const needLatest = () => {
      if (!this.latest) throw 'WebSocket is not connected';
      return this.latest;
    };
    return {
      connectSocket: async('connectSocket', (args, handle) => {
        handle.task = this.connect(args, handle);
        this.latest = handle.task;
        return handle.ready;
      }, {
        promise: false,
        // A mocked connectSocket opens nothing: its task is inert.
        returns: (args, handle) => handle.task ?? { send() {}, close() {}, onOpen() {}, onMessage() {}, onError() {}, onClose() {} },
      }),
      onSocketOpen: onGlobal('open'),
      onSocketMessage: onGlobal('message'),
      onSocketError: onGlobal('error'),
      onSocketClose: onGlobal('close'),
      sendSocketMessage: async('sendSocketMessage', (args) => needLatest().sendNow(args.data)),
      closeSocket: async('closeSocket', (args) => needLatest().closeNow(args.code, args.reason)),
    };
  }

  /** A SocketTask for `args.url`; `handle.ready` settles when the socket opens or fails. */
  connect(args, handle) {
    const listeners = { open: [], message: [], error: [], close: [] };
    const global = this.global;
    const emit = (kind, value) => {
      for (const fn of [...listeners[kind], ...(this.latest === task ? global[kind] : [])]) fn(value);
    };
    let socket;
    let opened = false;
    handle.ready = new Promise((resolve, reject) => {
      const url = String(args.url ?? '');
      if (!/^wss?:\/\//.test(url)) return reject(`invalid url "${url}"`);
      try {
        socket = new this.WebSocket(url, args.protocols);
      } catch (error) {
        return reject(String(error?.message ?? error));
      }
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        opened = true;
        resolve({ socketTaskId: 1 });
        emit('open', { header: {}, profile: {} });
      };
      socket.onmessage = (event) => emit('message', { data: event.data });
      socket.onerror = () => {
        const errMsg = `connect socket fail: ${url}`;
        if (!opened) reject(errMsg);
        emit('error', { errMsg });
      };
      socket.onclose = (event) => emit('close', { code: event.code, reason: event.reason });
      return undefined;
    });
    handle.ready.catch(() => {});
    const task = {
      readyState: () => socket?.readyState ?? 3,
      sendNow(data) {
        if (!socket || socket.readyState !== 1) throw 'WebSocket is not connected';
        socket.send(data);
        return {};
      },
      closeNow(code = 1000, reason = '') {
        socket?.close(code, reason);
        return {};
      },
      send(options = {}) {
        try {
          task.sendNow(options.data);
          options.success?.({ errMsg: 'sendSocketMessage:ok' });
        } catch (reason) {
          options.fail?.({ errMsg: `sendSocketMessage:fail ${reason}` });
        }
        options.complete?.({});
      },
      close(options = {}) {
        task.closeNow(options.code, options.reason);
        options.success?.({ errMsg: 'closeSocket:ok' });
        options.complete?.({});
      },
      onOpen: (fn) => listeners.open.push(fn),
      onMessage: (fn) => listeners.message.push(fn),
      onError: (fn) => listeners.error.push(fn),
      onClose: (fn) => listeners.close.push(fn),
    };
    return task;
  }
}
