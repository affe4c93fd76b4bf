// The app's life around its pages: the update manager every `App.onLaunch` asks (no update
// is ever pending on a test phone), launch and enter options, app-level event listeners
// (`wx.onAppShow`, `wx.onError`, …), a third-party platform's ext config (none), and
// analytics reports (recorded, sent nowhere).

/** App-level state the wx APIs below share with the runtime. */
export class AppLife {
  /** @param {() => object} launchOptions what App.onLaunch received */
  constructor(launchOptions = () => ({ path: '', query: {}, scene: 1001, referrerInfo: {} })) {
    this.launchOptions = launchOptions;
    this.listeners = new Map();
  }

  /** Calls every listener added with `wx.on<Event>` (`AppShow`, `AppHide`, `Error`, …). */
  emit(event, ...args) {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }

  listen(event) {
    return (fn) => {
      if (typeof fn !== 'function') throw new TypeError(`wx.on${event} needs a function`);
      if (!this.listeners.has(event)) this.listeners.set(event, []);
      this.listeners.get(event).push(fn);
    };
  }

  unlisten(event) {
    return (fn) => {
      const list = this.listeners.get(event) ?? [];
      if (fn === undefined) list.length = 0;
      else if (list.includes(fn)) list.splice(list.indexOf(fn), 1);
    };
  }

  /** The APIs, built with the recording `async`/`sync` wrappers of wx/api.js. */
  apis(async, sync) {
    const events = ['AppShow', 'AppHide', 'Error', 'UnhandledRejection', 'PageNotFound', 'ThemeChange'];
    const listeners = {};
    for (const event of events) {
      listeners[`on${event}`] = this.listen(event);
      listeners[`off${event}`] = this.unlisten(event);
    }
    return {
      getUpdateManager: sync('getUpdateManager', () => updateManager()),
      getLaunchOptionsSync: sync('getLaunchOptionsSync', () => structuredClone(this.launchOptions())),
      getEnterOptionsSync: sync('getEnterOptionsSync', () => structuredClone(this.launchOptions())),
      getExtConfigSync: sync('getExtConfigSync', () => ({})),
      getExtConfig: async('getExtConfig', () => ({ extConfig: {} })),
      reportAnalytics: sync('reportAnalytics', () => undefined),
      reportEvent: sync('reportEvent', () => undefined),
      reportMonitor: sync('reportMonitor', () => undefined),
      ...listeners,
    };
  }
}

/** WeChat's UpdateManager on a phone that already runs the newest version. */
export function updateManager() {
  return {
    onCheckForUpdate(callback) {
      if (typeof callback === 'function') setTimeout(() => callback({ hasUpdate: false }), 0);
    },
    onUpdateReady() {},
    onUpdateFailed() {},
    applyUpdate() {},
  };
}
