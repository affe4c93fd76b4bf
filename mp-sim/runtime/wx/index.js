// The `wx` object a Mini Program sees: every API mp-sim implements, each recorded, each
// replaceable by a scenario (`mock`). A method mp-sim lacks is still a function, but calling
// it throws an error naming it — never a silent `undefined`.

import { asyncApi, syncApi, Mocks, Recorder } from './api.js';
import { request, requestTask, zionReroute } from './request.js';
import { requestPayment, login } from './request_payment.js';
import { Storage } from './storage.js';
import { Interaction } from './interaction.js';
import { AppLife } from './app_life.js';
import { Device } from './device.js';
import { PageUi } from './page_ui.js';
import { User } from './user.js';
import { Files, USER_DATA_PATH } from './files.js';
import { Chooser } from './choose.js';
import { Sockets } from './socket.js';
import { createAnimation } from './animation.js';

/** What a simulated phone reports (an iPhone 12 in WeChat 8). */
export const SYSTEM_INFO = {
  brand: 'iPhone',
  model: 'iPhone 12',
  pixelRatio: 3,
  screenWidth: 375,
  screenHeight: 812,
  windowWidth: 375,
  windowHeight: 812,
  statusBarHeight: 44,
  language: 'zh_CN',
  version: '8.0.40',
  system: 'iOS 16.0',
  platform: 'ios',
  SDKVersion: '3.0.0',
  environment: '',
};

/**
 * Builds `wx`.
 *
 * @param {object} deps
 * @param {typeof fetch} deps.fetch
 * @param {string} deps.controlUrl mock-zion's `/__mock` URL (payment sheet)
 * @param {string} [deps.graphqlUrl] where calls to any Zion GraphQL path go
 * @param {string} [deps.appId]
 * @param {object} deps.navigation `{navigateTo, redirectTo, reLaunch, switchTab, navigateBack}`, each `(args) => Promise`
 * @param {Storage} [deps.storage]
 * @param {Interaction} [deps.interaction]
 * @param {Recorder} [deps.recorder]
 * @param {User} [deps.user] what the shopper allows and chooses
 * @param {(src: string) => Promise<{width: number, height: number}>} [deps.measureImage]
 * @param {typeof WebSocket} [deps.WebSocket]
 * @param {(kinds: {async: Function, sync: Function}) => object} [deps.more] further APIs, built
 *   with the same recording and mocking
 */
export function createWx(deps) {
  const recorder = deps.recorder ?? new Recorder();
  const mocks = new Mocks();
  const storage = deps.storage ?? new Storage();
  const interaction = deps.interaction ?? new Interaction();
  const async = (name, impl, options = {}) => asyncApi(name, impl, { recorder, mocks, ...options });
  const sync = (name, impl) => syncApi(name, impl, { recorder, mocks });
  const reroute = zionReroute(deps.graphqlUrl, deps.zionHosts);
  const appLife = deps.appLife ?? new AppLife();
  const user = deps.user ?? new User();
  const device = deps.device ?? new Device(interaction, user);
  const files = new Files({ fetch: deps.fetch, reroute, measure: deps.measureImage });
  const chooser = new Chooser(user, files);
  const sockets = new Sockets(deps.WebSocket);
  const pageUi = deps.pageUi ?? new PageUi();
  const nav = deps.navigation;

  const wx = {
    request: async('request', (args, task) => request(args, task, { fetch: deps.fetch, reroute }), {
      promise: false,
      returns: (args, task) => requestTask(task),
    }),
    requestPayment: async('requestPayment', (args) =>
      requestPayment(args, { fetch: deps.fetch, controlUrl: deps.controlUrl })),
    // The trade-component flavour of the same payment sheet (its extra orderInfo aside).
    requestOrderPayment: async('requestOrderPayment', (args) =>
      requestPayment(args, { fetch: deps.fetch, controlUrl: deps.controlUrl }).catch((reason) => {
        throw { errMsg: String(reason?.errMsg ?? reason).replace(/^requestPayment:/, 'requestOrderPayment:') };
      })),
    // 商家转账: the shopper confirms receiving money from the merchant; recorded for a check.
    requestMerchantTransfer: async('requestMerchantTransfer', (args) => {
      for (const key of ['mchId', 'package']) if (typeof args[key] !== 'string' || !args[key]) throw `parameter error: parameter.${key} should be String`;
      user.checkCancelled('requestMerchantTransfer');
      return {};
    }),
    ...storage.apis(sync, async),
    ...interaction.apis(async),
    navigateTo: async('navigateTo', (args) => nav.navigateTo(args)),
    redirectTo: async('redirectTo', (args) => nav.redirectTo(args)),
    reLaunch: async('reLaunch', (args) => nav.reLaunch(args)),
    switchTab: async('switchTab', (args) => nav.switchTab(args)),
    navigateBack: async('navigateBack', (args) => nav.navigateBack(args)),
    setNavigationBarTitle: async('setNavigationBarTitle', (args) => nav.setTitle(String(args.title ?? ''))),
    // WeChat's servers issue the code; here mock-zion does, for the scenario's shopper, so
    // loginWithWechatMiniApp can redeem it once within five minutes as Zion would.
    login: async('login', () => login({ fetch: deps.fetch, controlUrl: deps.controlUrl })),
    checkSession: async('checkSession', () => ({})),
    getSystemInfoSync: sync('getSystemInfoSync', () => ({ ...SYSTEM_INFO })),
    getSystemInfo: async('getSystemInfo', () => ({ ...SYSTEM_INFO })),
    getWindowInfo: sync('getWindowInfo', () => ({
      pixelRatio: SYSTEM_INFO.pixelRatio,
      screenWidth: SYSTEM_INFO.screenWidth,
      screenHeight: SYSTEM_INFO.screenHeight,
      windowWidth: SYSTEM_INFO.windowWidth,
      windowHeight: SYSTEM_INFO.windowHeight,
      statusBarHeight: SYSTEM_INFO.statusBarHeight,
      screenTop: 0,
      safeArea: { left: 0, right: 375, top: 44, bottom: 778, width: 375, height: 734 },
    })),
    getAppBaseInfo: sync('getAppBaseInfo', () => ({
      SDKVersion: SYSTEM_INFO.SDKVersion,
      version: SYSTEM_INFO.version,
      language: SYSTEM_INFO.language,
      enableDebug: false,
      host: { env: 'WeChat' },
      theme: 'light',
    })),
    getDeviceInfo: sync('getDeviceInfo', () => ({
      brand: SYSTEM_INFO.brand,
      model: SYSTEM_INFO.model,
      system: SYSTEM_INFO.system,
      platform: SYSTEM_INFO.platform,
      pixelRatio: SYSTEM_INFO.pixelRatio,
      benchmarkLevel: 1,
    })),
    // The capsule (menu button) of an iPhone 12 in WeChat 8.
    getMenuButtonBoundingClientRect: sync('getMenuButtonBoundingClientRect', () => ({
      width: 87, height: 32, top: 48, right: 368, bottom: 80, left: 281,
    })),
    getAccountInfoSync: sync('getAccountInfoSync', () => ({
      miniProgram: { appId: deps.appId ?? '', envVersion: 'develop', version: '' },
    })),
    canIUse: (schema) => typeof schema === 'string' && Object.hasOwn(wx, schema.split('.')[0]),
    ...appLife.apis(async, sync),
    ...device.apis(async, sync),
    ...pageUi.apis(async),
    ...files.apis(async, sync),
    ...chooser.apis(async),
    ...sockets.apis(async),
    createAnimation: sync('createAnimation', (options) => createAnimation(options)),
    env: { USER_DATA_PATH },
    // What the runtime around wx provides (selector queries, the tab bar, nextTick).
    ...(deps.more ? deps.more({ async, sync }) : {}),
  };

  // An API mp-sim lacks reads as undefined, as in a WeChat whose base library lacks it: a
  // feature check (`if (wx.getBackgroundFetchData)`) takes the app's own fallback. The first
  // read is a warning naming it, and a call's "is not a function" names mp-sim (Recorder.error).
  const proxy = new Proxy(wx, {
    get(target, key) {
      if (typeof key !== 'string' || Object.hasOwn(target, key)) return target[key];
      if (key === 'then' || key === 'toJSON') return undefined;
      if (!recorder.unsupported.has(key)) {
        recorder.unsupported.add(key);
        recorder.warn(`wx.${key}`, `wx.${key} is not supported by mp-sim (zion-pay-e2e's Mini Program simulator), so it reads as undefined, as in a WeChat without it`);
      }
      return undefined;
    },
  });

  return {
    wx: proxy,
    recorder,
    storage,
    interaction,
    appLife,
    device,
    pageUi,
    user,
    files,
    /** Makes `name` answer `spec` (`{result}`, `{fail}`, `{never: true}`) instead; `null` restores it. */
    mock(name, spec) {
      if (!Object.hasOwn(wx, name)) throw new Error(`wx.${name} is not supported by mp-sim, so it cannot be mocked`);
      if (spec) mocks.set(name, spec);
      else mocks.delete(name);
    },
  };
}
