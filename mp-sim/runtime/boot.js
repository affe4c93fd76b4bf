// Starts a Mini Program in the browser page the harness serves (src/mp_host.rs).
//
// Before this module runs, the host's scripts have set `window.MP_SIM_CONFIG`
// (`{controlUrl, graphqlUrl, appId, entry, query, storage, mocks}`), every WXML/WXSS/JSON file in
// `window.__mp.files`, and start.js has registered every module factory in
// `window.__mp.modules`.
// The harness reads `window.__mpSim` (calls, errors, route, data) and drives it (mock, modal).

import { createLoader } from './loader.js';
import { createRuntime } from './page.js';
import { createWx } from './wx/index.js';
import { Recorder } from './wx/api.js';
import { Storage } from './wx/storage.js';
import { Interaction } from './wx/interaction.js';
import { TabBar } from './tab_bar.js';
import { createSelectorQuery } from './selector_query.js';
import { AppLife } from './wx/app_life.js';
import { PageUi } from './wx/page_ui.js';
import { User } from './wx/user.js';
import { fromBase64 } from './wx/files.js';
import { contexts } from './built_in/contexts.js';
import { viewApis } from './view_apis.js';

const config = window.MP_SIM_CONFIG ?? {};
const { modules = {}, files = {}, columns = {} } = window.__mp ?? {};
const recorder = new Recorder(undefined, columns);
window.addEventListener('error', (event) => recorder.error('uncaught', event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => recorder.error('unhandled promise rejection', event.reason));
for (const error of window.__mpEarlyErrors ?? []) recorder.error('loading the Mini Program', error);

const $ = (id) => document.getElementById(id);

const view = {
  pages: $('mp-pages'),
  open(page) {
    const element = document.createElement('wx-page');
    element.dataset.route = page.route;
    page.__element = element;
    $('mp-pages').appendChild(element);
    view.show(page);
    return element;
  },
  close(page) {
    page.__element?.remove();
  },
  show(page) {
    for (const element of $('mp-pages').children) element.hidden = element !== page.__element;
  },
  title(text) {
    $('mp-title').textContent = text;
  },
  style(path, css) {
    const style = document.createElement('style');
    style.dataset.file = path;
    style.textContent = css;
    document.head.appendChild(style);
  },
  tabBar: (state) => tabBar.draw(state),
  navigator: (attrs) => navigatorTap(attrs),
  selectorQuery: (instance) => createSelectorQuery(() => instance.__host, document).in(instance),
  loadSubpackage: (root) => window.__mpLoadSubpackage?.(root),
  services: null, // set below, once wx exists
};

function drawInteraction(state) {
  const toast = state.toast;
  const box = $('mp-toast');
  box.hidden = !toast;
  box.dataset.kind = toast?.kind ?? '';
  box.dataset.icon = toast?.icon ?? '';
  $('mp-toast-title').textContent = toast?.title ?? '';
  const modal = state.modal;
  $('mp-modal').hidden = !modal;
  $('mp-modal-title').textContent = modal?.title ?? '';
  $('mp-modal-content').textContent = modal?.content ?? '';
  $('mp-modal-cancel').hidden = !modal?.showCancel;
  $('mp-modal-cancel').textContent = modal?.cancelText ?? '';
  $('mp-modal-confirm').textContent = modal?.confirmText ?? '';
  const sheet = state.actionSheet;
  $('mp-action-sheet').hidden = !sheet;
  $('mp-action-sheet-alert').textContent = sheet?.alertText ?? '';
  $('mp-action-sheet-alert').hidden = !sheet?.alertText;
  const items = $('mp-action-sheet-items');
  items.textContent = '';
  (sheet?.itemList ?? []).forEach((text, index) => {
    const item = document.createElement('wx-button');
    item.setAttribute('role', 'menuitem');
    item.textContent = text;
    item.style.color = sheet.itemColor;
    item.addEventListener('click', () => interaction.answerActionSheet(index));
    items.appendChild(item);
  });
}

const storage = new Storage(window.localStorage);
const user = new User();
const interaction = new Interaction(drawInteraction);
let runtime;
// The shopper taps a tab: a page switch of their own, not the app's wx call.
const tabBar = new TabBar($('mp-tabbar'), (url) => runtime.navigation.switchTab({ url }));
const wxApi = createWx({
  fetch: window.fetch.bind(window),
  controlUrl: config.controlUrl,
  graphqlUrl: config.graphqlUrl,
  zionHosts: config.zionHosts ?? [],
  appId: config.appId,
  navigation: {
    navigateTo: (args) => runtime.navigation.navigateTo(args),
    redirectTo: (args) => runtime.navigation.redirectTo(args),
    reLaunch: (args) => runtime.navigation.reLaunch(args),
    switchTab: (args) => runtime.navigation.switchTab(args),
    navigateBack: (args) => runtime.navigation.navigateBack(args),
    setTitle: (text) => runtime.navigation.setTitle(text),
  },
  storage,
  interaction,
  recorder,
  user,
  WebSocket: window.WebSocket,
  measureImage: (src) => new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve({ width: image.naturalWidth, height: image.naturalHeight });
    image.onerror = () => reject(new Error(`could not load ${src}`));
    image.src = src;
  }),
  appLife: new AppLife(() => runtime.launchOptions()),
  pageUi: new PageUi({
    navigationLoading: (on) => $('mp-nav').toggleAttribute('data-loading', on),
    navigationColor: ({ frontColor, backgroundColor }) => Object.assign($('mp-nav').style, { color: frontColor, background: backgroundColor }),
    scrollTo: ({ scrollTop }) => window.scrollTo(0, Number(scrollTop) || 0),
    pullDown: () => runtime.pullDown(),
  }),
  more: (kinds) => viewApis(kinds, {
    selectorQuery: () => createSelectorQuery(() => runtime.top()?.__host, document),
    native: () => native(),
    tabBar,
  }),
});

// Contexts look elements up in the page on top and fire events through the runtime.
let nativeContexts;
function native() {
  nativeContexts ??= contexts({
    root: () => runtime.top()?.__host ?? null,
    env: { dispatch: (owner, handler, event) => runtime.dispatch(owner, event.type, handler, event), services: view.services },
    files: wxApi.files,
  });
  return nativeContexts;
}

view.services = {
  recorder,
  user,
  /** Records what a built-in component asked WeChat for (a phone number, a share). */
  record: (api, args, result) => {
    const entry = recorder.start(api, args);
    entry.ok = !String(result?.errMsg ?? '').includes(':fail');
    entry.result = result;
  },
  // The host names what is missing in its answer; a failed import alone would not say it.
  regions: async () => {
    const answer = await fetch('/__mp/regions.js');
    if (!answer.ok) throw new Error((await answer.text()) || `the region data answered HTTP ${answer.status}`);
    return (await import('/__mp/regions.js')).areaList;
  },
  forms: [],
  /** The photo a `chooseAvatar` button answers: the shopper's first image, as a temporary file. */
  avatar: () => {
    const image = user.images[0];
    return wxApi.files.addTemp(image.bytes ?? fromBase64(image.base64), { name: image.name, type: image.type });
  },
};

function navigatorTap(attrs) {
  const kind = attrs['open-type'] ?? 'navigate';
  const api = { navigate: 'navigateTo', redirect: 'redirectTo', switchTab: 'switchTab', reLaunch: 'reLaunch', navigateBack: 'navigateBack' }[kind];
  if (!api) return recorder.error('navigator', new Error(`open-type="${kind}" is not supported by mp-sim`));
  return wxApi.wx[api](api === 'navigateBack' ? { delta: Number(attrs.delta ?? 1) } : { url: attrs.url });
}

// What a module sees besides require/module/exports (host.rs's FACTORY_PARAMS, in order);
// the browser's globals after these stay undefined, as in WeChat's logic layer.
const loader = createLoader(modules, () => [
  runtime.App, runtime.Page, runtime.Component, runtime.Behavior, runtime.getApp, runtime.getCurrentPages, wxApi.wx,
  requirePlugin, globalThis,
], window.__mpModuleErrors ?? {}, (path) => window.__mpLoadSubpackageOf?.(path));
function requirePlugin(name) {
  throw new Error(`requirePlugin("${name}"): mp-sim cannot run WeChat plugins`);
}
runtime = createRuntime({ loader, files, recorder, view });
tabBar.configure(JSON.parse(files['app.json'] ?? '{}').tabBar ?? null, files);

$('mp-modal-confirm').addEventListener('click', () => interaction.answerModal(true));
$('mp-action-sheet-cancel').addEventListener('click', () => interaction.answerActionSheet(null));
$('mp-modal-cancel').addEventListener('click', () => interaction.answerModal(false));

window.__mpSim = {
  calls: recorder.calls,
  errors: recorder.errors,
  warnings: recorder.warnings,
  shown: recorder.shown,
  route: () => runtime.top()?.route ?? null,
  stack: () => runtime.getCurrentPages().map((p) => p.route),
  data: () => JSON.parse(JSON.stringify(runtime.top()?.data ?? null)),
  mock: (name, spec) => wxApi.mock(name, spec),
  answerModal: (confirm) => interaction.answerModal(confirm),
  answerActionSheet: (index) => interaction.answerActionSheet(index),
  /** What the scenario decides the shopper answers WeChat (see wx/user.js). */
  user: {
    refuse: (permission) => user.refuse(permission),
    cancel: (api) => user.cancel(api),
    address: (fields) => Object.assign(user.address, fields),
    location: (place) => Object.assign(user.location, place),
    images: (list) => {
      user.images = list;
    },
    scan: (code) => {
      user.scanned = code;
    },
  },
  /** Every form submitted: `{at, value}`. */
  forms: () => view.services.forms,
  /** The page on top as a URL: its route and the query it was opened with. */
  location: () => {
    const page = runtime.top();
    if (!page) return null;
    // As the page's options hold them: decoded, the way the app reads them.
    const query = Object.entries(page.options ?? {}).map(([k, v]) => `${k}=${v}`).join('&');
    return query ? `${page.route}?${query}` : page.route;
  },
  /** Goes to `url` as a shopper would reach it: navigateTo, or switchTab for a tab page.
   * The harness's own navigation, so it is not recorded as the app's wx call. */
  go: (url) => {
    const absolute = url.startsWith('/') ? url : `/${url}`;
    try {
      return runtime.navigation.navigateTo({ url: absolute });
    } catch (error) {
      if (String(error).includes('tabbar')) return runtime.navigation.switchTab({ url: absolute });
      throw error;
    }
  },
  /** The shopper's back gesture: the page on top closes. */
  back: () => runtime.navigation.navigateBack({ delta: 1 }),
  ready: false,
};

for (const [key, value] of Object.entries(config.storage ?? {})) storage.set(key, value);
// Mocks chosen before launch apply to onLaunch/onLoad too (miniprogram-automator's cannot).
for (const [name, spec] of Object.entries(config.mocks ?? {})) {
  try {
    wxApi.mock(name, spec);
  } catch (error) {
    recorder.error('mocking wx', error);
  }
}
// The shopper's answers chosen before launch (a refused permission, an address).
for (const [method, arg] of config.user ?? []) {
  try {
    window.__mpSim.user[method](arg);
  } catch (error) {
    recorder.error('the shopper\'s answers', error);
  }
}
try {
  runtime.launch(config.entry, config.query ?? {});
} catch (error) {
  recorder.error('launch', error);
}
window.__mpSim.ready = true;
