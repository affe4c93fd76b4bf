// The running Mini Program: what its code calls (App, getApp, Page, Component, Behavior,
// getCurrentPages), the page stack wx's navigation APIs move (navigateTo pushes,
// redirectTo replaces, navigateBack pops, reLaunch/switchTab start over) with WeChat's
// lifecycle order — onLoad(query) → onShow → onReady when a page opens, onHide when covered,
// onShow when revealed, onUnload when removed — and every page's tree of custom components,
// each rendered from its own template into its host element.
//
// `setData` updates `this.data` at once and re-renders the page or component that called
// it; a render asked for while another runs waits for it to finish (WeChat renders
// asynchronously, so a component's observer may set its parent's data mid-render).

import { createWxmlFiles } from './wxml/file.js';
import { render } from './wxml/render.js';
import { patch, targetOf } from './dom.js';
import { createWxs } from './wxs.js';
import { scopedCss, scopePrefix } from './wxss.js';
import {
  Behavior,
  clone,
  coerce,
  componentCandidates,
  defaultValue,
  defineComponent,
  observes,
  readPath,
  resolveComponentPath,
  sameValue,
  setPath,
} from './component.js';

export { setPath } from './component.js';

/** WeChat's limit on the page stack. */
export const MAX_PAGES = 10;

/** How many times components may set data during one render before mp-sim gives up. */
export const MAX_RENDER_ROUNDS = 100;

/** Parses `pages/pay/pay?amount=990` (absolute, or relative to `from`) into a route and query. */
export function parseUrl(url, from = '') {
  const [path, search = ''] = String(url).split('?');
  let route;
  if (path.startsWith('/')) {
    route = path.slice(1);
  } else {
    const parts = from.split('/').slice(0, -1);
    for (const part of path.split('/')) {
      if (part === '..') parts.pop();
      else if (part !== '.' && part !== '') parts.push(part);
    }
    route = parts.join('/');
  }
  const query = {};
  for (const pair of search.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    // WeChat hands the values to onLoad as they are in the URL: no decoding.
    if (eq < 0) query[pair] = '';
    else query[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { route, query };
}

/** The subpackages of an app.json (`subPackages` or `subpackages`), each with its root trimmed. */
function subpackagesOf(appJson) {
  return (appJson.subPackages ?? appJson.subpackages ?? []).map((sub) => ({ ...sub, root: String(sub.root ?? '').replace(/^\/+|\/+$/g, '') }));
}

/** Every route of an app.json: its pages, then each subpackage's (root prefixed). */
export function routesOf(appJson) {
  const routes = [...(appJson.pages ?? [])];
  for (const sub of subpackagesOf(appJson)) {
    for (const page of sub.pages ?? []) routes.push(`${sub.root}/${String(page).replace(/^\/+/, '')}`);
  }
  return routes;
}

/**
 * A component library's toast, notify or message component, by its path: an npm package's
 * (TDesign's `toast/toast`, Vant's `toast/index`), not an app's own `components/message`
 * (a chat bubble, say).
 */
const MESSAGE_COMPONENT = /^miniprogram_npm\/(.+\/)?(toast|notify|message)(\/|$)/;

/**
 * The running Mini Program.
 *
 * @param {object} deps
 * @param {{require(path): any, has(path): boolean}} deps.loader
 * @param {Record<string, string>} deps.files WXML, WXSS, WXS and JSON files by path
 * @param {import('./wx/api.js').Recorder} deps.recorder
 * @param {object} deps.view `{pages: Element, title(text), style?(path, css), tabBar?(state),
 *   loadSubpackage?(root) → Promise}`
 */
export function createRuntime({ loader, files, recorder, view }) {
  const appJson = json('app');
  const pages = routesOf(appJson);
  const tabs = (appJson.tabBar?.list ?? []).map((t) => String(t.pagePath).replace(/^\//, ''));
  const wxml = createWxmlFiles(files, createWxs(files));
  const definitions = new Map();
  const styled = new Set();
  const stack = [];
  const dirty = new Set();
  let renderDepth = 0;
  let readyQueue = [];
  let app = null;
  let defining = null;
  let pageCount = 0;
  let launched = { path: '', query: {}, scene: 1001, referrerInfo: {} };

  function json(path) {
    const text = files[`${path}.json`];
    if (text === undefined) return {};
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`${path}.json is not JSON: ${error.message}`);
    }
  }

  function call(target, hook, where, ...args) {
    const fn = typeof hook === 'function' ? hook : target?.[hook];
    if (typeof fn !== 'function') return undefined;
    try {
      const result = fn.apply(target, args);
      if (result && typeof result.catch === 'function') result.catch((e) => recorder.error(where, e));
      return result;
    } catch (error) {
      recorder.error(where, error);
      return undefined;
    }
  }

  function App(options = {}) {
    if (app) throw new Error('App() is called more than once');
    app = { ...options, globalData: options.globalData ?? {} };
  }

  function Page(options = {}) {
    if (!defining?.isPage) {
      throw new Error('Page() may only be called by a page\'s own .js file, listed in app.json');
    }
    definitions.set(defining.path, { path: defining.path, isPage: true, pageOptions: options, json: json(defining.path), options: {} });
  }

  function Component(options = {}) {
    if (!defining) {
      throw new Error('Component() may only be called by a component\'s own .js file, named in a usingComponents, or by a page\'s');
    }
    definitions.set(defining.path, defineComponent(options, { path: defining.path, json: json(defining.path), isPage: defining.isPage }));
  }

  function definition(path, isPage) {
    if (!definitions.has(path)) {
      const outer = defining;
      defining = { path, isPage };
      try {
        loader.require(`${path}.js`);
      } finally {
        defining = outer;
      }
      if (!definitions.has(path)) throw new Error(`${path}.js never called ${isPage ? 'Page() or Component()' : 'Component()'}`);
    }
    const def = definitions.get(path);
    if (!styled.has(path)) {
      styled.add(path);
      const css = files[`${path}.wxss`];
      if (css !== undefined && view.style) view.style(`${path}.wxss`, scopedCss(css, { path: `${path}.wxss`, prefix: scopePrefix(path), files }));
    }
    return def;
  }

  // The custom components a definition's template may use: app.json's, then its own.
  const resolvers = new Map();
  function resolverFor(def) {
    if (resolvers.has(def.path)) return resolvers.get(def.path);
    const using = new Map();
    for (const [tag, path] of Object.entries(appJson.usingComponents ?? {})) using.set(tag, { path, from: 'app' });
    for (const [tag, path] of Object.entries(def.json.usingComponents ?? {})) using.set(tag, { path, from: def.path });
    const cache = new Map();
    const resolver = (tag) => {
      if (!using.has(tag)) return null;
      if (!cache.has(tag)) {
        const { path, from } = using.get(tag);
        cache.set(tag, definition(componentFile(String(path), from, tag, def), false));
      }
      return cache.get(tag);
    };
    resolvers.set(def.path, resolver);
    return resolver;
  }

  function componentFile(path, from, tag, def) {
    if (path.startsWith('plugin://')) {
      throw new Error(`${def.path}.json: <${tag}> is a plugin's component (${path}); mp-sim cannot run WeChat plugins`);
    }
    const exists = (p) => loader.has(`${p}.js`) && p !== '';
    const candidates = componentCandidates(from, path);
    for (const candidate of candidates) {
      if (exists(candidate)) return candidate;
      if (exists(`${candidate}/index`)) return `${candidate}/index`;
    }
    throw new Error(`${from === 'app' ? 'app' : def.path}.json: usingComponents "${tag}": "${path}" is not a component of the Mini Program (looked for ${candidates.map((c) => `${c}.js`).join(', ')})`);
  }

  // Class names as WeChat isolates styles: each class stays as written (for selectors) and
  // gains the prefix of every stylesheet that may style it.
  function scopesOf(instance) {
    const def = instance.__def;
    const page = instance.__page;
    const pageScopes = ['app--', scopePrefix(page.__def.path)];
    if (def.isPage) return pageScopes;
    const isolation = def.options.styleIsolation ?? (def.options.addGlobalClass ? 'apply-shared' : 'isolated');
    const own = [scopePrefix(def.path)];
    return isolation === 'isolated' ? own : [...own, ...pageScopes];
  }

  function classesFor(instance) {
    const external = new Set(instance.__def.externalClasses ?? []);
    return (raw) => {
      const out = [];
      for (const token of String(raw).split(/\s+/)) {
        if (!token) continue;
        if (external.has(token)) {
          out.push(...String(instance.__external?.[token] ?? '').split(/\s+/).filter(Boolean));
          continue;
        }
        out.push(token, ...instance.__scopes.map((scope) => scope + token));
      }
      return [...new Set(out)].join(' ');
    };
  }

  const env = {
    dispatch: (owner, handler, event) => dispatch(owner, event.type, handler, event),
    mount: (vnode, host) => mount(vnode, host),
    receive: (instance, vnode) => receive(instance, vnode),
    unmount: (instance) => unmount(instance),
    navigator: (attrs) => view.navigator?.(attrs),
    // What built-in components ask the simulated WeChat for (the shopper's answers, records).
    services: view.services ?? {},
  };

  // What a toast component shows: recorded whenever its shown text changes to something
  // (innerText leaves out what CSS hides). Its children (a transition, a popup) show it by
  // their own renders, so its host is watched rather than its own renders alone.
  function watchShown(instance) {
    const host = instance.__host;
    const note = () => {
      const text = (host.innerText ?? '').trim();
      if (text && text !== instance.__shownText) recorder.show(instance.__def.path, text);
      instance.__shownText = text;
    };
    if (!instance.__shownWatch && typeof MutationObserver !== 'undefined') {
      instance.__shownWatch = new MutationObserver(note);
      instance.__shownWatch.observe(host, { subtree: true, childList: true, attributes: true, characterData: true });
    }
    note();
  }

  function renderInstance(instance) {
    if (!instance.__alive || !instance.__host) return;
    if (renderDepth > 0) {
      dirty.add(instance);
      return;
    }
    renderDepth += 1;
    try {
      draw(instance);
    } finally {
      renderDepth -= 1;
    }
    // Like React's "maximum update depth": components that keep setting each other's data
    // while they render would otherwise never let the page settle.
    let rounds = 0;
    while (dirty.size) {
      const next = [...dirty];
      dirty.clear();
      rounds += 1;
      if (rounds > MAX_RENDER_ROUNDS) {
        recorder.error('rendering', new Error(`rendering did not settle after ${MAX_RENDER_ROUNDS} rounds: ${[...new Set(next.map((i) => i.__def.path))].join(', ')} kept setting data while the page rendered`));
        break;
      }
      renderDepth += 1;
      try {
        for (const other of next) if (other.__alive) draw(other);
      } finally {
        renderDepth -= 1;
      }
    }
    flushReady();
  }

  // A warning a render repeats on every setData is recorded once.
  const warned = new Set();
  function warnOnce(where, message) {
    if (warned.has(message)) return;
    warned.add(message);
    recorder.warn(where, message);
  }

  function draw(instance) {
    const def = instance.__def;
    // A setData while its own tree is drawn (a child linking to it) draws it again after.
    instance.__drawing = true;
    try {
      const file = wxml.get(`${def.path}.wxml`);
      const vnodes = render(file, instance.data, {
        owner: instance,
        component: resolverFor(def),
        slots: instance.__slots ?? {},
        classes: classesFor(instance),
        template: wxml.template,
        warn: (message) => warnOnce(`rendering ${def.path}.wxml`, message),
      });
      patch(instance.__host, vnodes, env);
      instance.__rendered = true;
      if (MESSAGE_COMPONENT.test(def.path)) watchShown(instance);
    } catch (error) {
      recorder.error(`rendering ${def.path}.wxml`, error);
    } finally {
      instance.__drawing = false;
    }
  }

  function flushReady() {
    const queue = readyQueue;
    readyQueue = [];
    // Children finish first, as in WeChat: the queue holds parents before their children.
    for (const instance of queue.reverse()) {
      if (!instance.__alive) continue;
      for (const fn of instance.__def.lifetimes.ready) call(instance, fn, `${instance.is}.ready`);
    }
  }

  // The parts pages and components share: data, setData, selecting components, events.
  function base(instance, def) {
    instance.__def = def;
    instance.__alive = true;
    instance.__links = [];
    instance.setData = (changes, callback) => setData(instance, changes, callback);
    instance.selectComponent = (selector) => select(instance, selector)[0] ?? null;
    instance.selectAllComponents = (selector) => select(instance, selector);
    instance.selectOwnerComponent = () => (instance.__owner ? exported(instance.__owner) : null);
    instance.triggerEvent = (name, detail, options) => triggerEvent(instance, name, detail, options);
    instance.getRelationNodes = (path) => instance.__links.filter((l) => l.key === path).map((l) => l.other).sort(documentOrder);
    instance.hasBehavior = (behavior) => def.behaviors?.has(behavior) ?? false;
    instance.groupSetData = (fn) => call(instance, fn, `${def.path}.groupSetData`);
    instance.getPageId = () => instance.__page?.__id ?? '';
    instance.createSelectorQuery = () => view.selectorQuery?.(instance);
    instance.getTabBar = () => instance.__page?.__tabBar ?? null;
    return instance;
  }

  function setData(instance, changes, callback) {
    const path = instance.__def.path;
    if (!changes || typeof changes !== 'object') throw new TypeError('setData expects an object');
    if (!instance.__alive) {
      recorder.warn(`${path}.setData`, `setData on a ${instance.__def.isPage ? 'page' : 'component'} that was closed`);
    }
    const properties = instance.__def.properties ?? {};
    const before = {};
    for (const key of Object.keys(changes)) {
      const root = key.split(/[.[]/)[0];
      if (properties[root] && !(root in before)) before[root] = clone(instance.data[root]);
    }
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) recorder.warn(`${path}.setData`, `Setting data field "${key}" to undefined is invalid.`);
      // The logic layer keeps what it was given (a function included: libraries keep
      // callbacks in data); only the view layer's copy is serialised.
      setPath(instance.data, key, value);
    }
    if (instance.__observing) {
      for (const [root, old] of Object.entries(before)) {
        const property = properties[root];
        if (property.observer && !sameValue(old, instance.data[root])) {
          const fn = typeof property.observer === 'string' ? instance[property.observer] : property.observer;
          call(instance, fn, `${path} property "${root}" observer`, instance.data[root], old, [root]);
        }
      }
      const keys = Object.keys(changes);
      for (const observer of instance.__def.observers ?? []) {
        if (observer.fields.some((field) => keys.some((key) => observes(field, key)))) {
          call(instance, observer.fn, `${path} observers["${observer.fields.join(', ')}"]`, ...observer.fields.map((f) => readPath(instance.data, f)));
        }
      }
    }
    if (instance.__rendered || instance.__drawing) renderInstance(instance);
    if (typeof callback === 'function') setTimeout(() => call(instance, callback, `${path}.setData callback`), 0);
  }

  function exported(instance) {
    if (instance.__def.exportFn && instance.__def.behaviors.has('wx://component-export')) {
      return call(instance, instance.__def.exportFn, `${instance.is}.export`);
    }
    return instance;
  }

  function select(instance, selector) {
    const root = instance.__host;
    if (!root) return [];
    let found;
    try {
      found = [...root.querySelectorAll(selector)];
    } catch (error) {
      throw new Error(`selectComponent("${selector}"): not a selector mp-sim understands (${error.message})`);
    }
    return found.filter((el) => el.__instance && el.__vnode?.owner === instance).map((el) => exported(el.__instance));
  }

  function triggerEvent(instance, name, detail, options = {}) {
    const host = instance.__host;
    if (!host?.__vnode) return;
    const hostOwner = host.__vnode.owner;
    const path = [host];
    if (options.bubbles) {
      for (let node = host.parentElement; node && !node.matches?.('wx-page'); node = node.parentElement) path.push(node);
    }
    const inTree = (node) => node === host || options.composed || node.__vnode?.owner === hostOwner;
    const event = { type: name, timeStamp: Math.round(performance.now()), target: targetOf(host), detail, mark: {} };
    const run = (node, key) => {
      const binding = node.__vnode?.events?.[key];
      if (!binding || !inTree(node)) return false;
      dispatch(binding.owner, name, binding.handler, { ...event, currentTarget: targetOf(node) });
      return binding.catch;
    };
    if (options.capturePhase) {
      for (const node of [...path].reverse()) if (run(node, `capture:${name}`)) return;
    }
    for (const node of path) if (run(node, name)) return;
  }

  function dispatch(owner, type, handler, event) {
    if (!owner) return undefined;
    const where = owner.__def?.path ?? owner.route;
    if (typeof handler === 'function') return call(owner, handler, `${where} ${type} (wxs)`, event, owner);
    if (typeof owner[handler] !== 'function') {
      recorder.error(`${where} ${type}`, new Error(`Component "${where}" does not have a method "${handler}" to handle event "${type}".`));
      return undefined;
    }
    return call(owner, handler, `${where}.${handler}`, event);
  }

  function mount(vnode, host) {
    const def = vnode.component;
    const owner = vnode.owner;
    const instance = base({ is: def.path, id: vnode.attrs.id ?? '', dataset: { ...vnode.dataset } }, def);
    instance.__host = host;
    instance.__owner = owner;
    instance.__page = owner.__page;
    instance.__slots = vnode.slots;
    instance.__external = vnode.externalClasses;
    instance.__received = {};
    instance.__scopes = scopesOf(instance);
    instance.data = clone(def.data);
    for (const [name, property] of Object.entries(def.properties)) {
      if (!(name in instance.data)) instance.data[name] = defaultValue(property);
    }
    instance.properties = instance.data;
    for (const [name, fn] of Object.entries(def.methods)) instance[name] = fn;
    host.__instance = instance;
    if (def.options.virtualHost) host.style.display = 'contents';
    host.setAttribute('wx-host', scopePrefix(def.path));
    for (const fn of def.lifetimes.created) call(instance, fn, `${def.path}.created`);
    instance.__observing = true;
    const initial = {};
    for (const [name, value] of Object.entries(vnode.props)) {
      const property = def.properties[name];
      if (!property) continue;
      // Components live in the logic layer (the base library's component tree), so a
      // property is the parent's value itself, a function included.
      const coerced = coerce(property, value);
      instance.__received[name] = coerced;
      if (!sameValue(coerced, instance.data[name])) initial[name] = coerced;
    }
    if (Object.keys(initial).length) setData(instance, initial);
    for (const fn of def.lifetimes.attached) call(instance, fn, `${def.path}.attached`);
    link(instance);
    instance.__page.__components.add(instance);
    readyQueue.push(instance);
    renderInstance(instance);
    return instance;
  }

  function receive(instance, vnode) {
    const def = instance.__def;
    instance.id = vnode.attrs.id ?? '';
    instance.dataset = { ...vnode.dataset };
    instance.__slots = vnode.slots;
    instance.__external = vnode.externalClasses;
    const changed = {};
    for (const [name, value] of Object.entries(vnode.props)) {
      const property = def.properties[name];
      if (!property) continue;
      const coerced = coerce(property, value);
      if (!sameValue(coerced, instance.__received[name])) changed[name] = coerced;
      instance.__received[name] = coerced;
    }
    if (Object.keys(changed).length) setData(instance, changed);
    else renderInstance(instance);
  }

  function unmount(instance) {
    if (!instance.__alive) return;
    for (const fn of instance.__def.lifetimes.detached) call(instance, fn, `${instance.is}.detached`);
    for (const link of [...instance.__links]) unlink(instance, link);
    instance.__alive = false;
    instance.__page?.__components.delete(instance);
  }

  // relations: a component finds its parent or ancestor (declared on both sides) when it
  // is attached, and both hear `linked`; `unlinked` when either leaves.
  function link(instance) {
    const def = instance.__def;
    for (const [key, relation] of Object.entries(def.relations)) {
      if (relation.type !== 'parent' && relation.type !== 'ancestor') continue;
      const target = relation.target ? null : resolveComponentPath(def.path, key);
      for (let node = instance.__host.parentElement; node; node = node.parentElement) {
        const other = node.__instance;
        if (!other || other.__def.isPage) continue;
        const matches = relation.target ? other.__def.behaviors.has(relation.target) : other.__def.path === target;
        if (matches) {
          const inverse = Object.entries(other.__def.relations).find(([otherKey, r]) =>
            (r.type === 'child' || r.type === 'descendant') &&
            (r.target ? def.behaviors.has(r.target) : resolveComponentPath(other.__def.path, otherKey) === def.path));
          if (inverse && (relation.type === 'ancestor' || inverse[1].type === 'descendant' || isNearest(instance, other))) {
            const [otherKey, otherRelation] = inverse;
            instance.__links.push({ key, other, relation });
            other.__links.push({ key: otherKey, other: instance, relation: otherRelation });
            call(other, otherRelation.linked, `${other.is} relation linked`, instance);
            call(instance, relation.linked, `${instance.is} relation linked`, other);
          }
          break;
        }
        if (relation.type === 'parent') break;
      }
    }
  }

  function isNearest(instance, other) {
    for (let node = instance.__host.parentElement; node; node = node.parentElement) {
      if (node.__instance && !node.__instance.__def.isPage) return node.__instance === other;
    }
    return false;
  }

  function unlink(instance, entry) {
    instance.__links.splice(instance.__links.indexOf(entry), 1);
    const back = entry.other.__links.find((l) => l.other === instance);
    if (back) entry.other.__links.splice(entry.other.__links.indexOf(back), 1);
    call(instance, entry.relation.unlinked, `${instance.is} relation unlinked`, entry.other);
    if (back) call(entry.other, back.relation.unlinked, `${entry.other.is} relation unlinked`, instance);
  }

  function documentOrder(a, b) {
    if (!a.__host || !b.__host) return 0;
    return a.__host.compareDocumentPosition(b.__host) & 4 ? -1 : 1;
  }

  function pageLifetime(page, name, ...args) {
    for (const instance of page.__components ?? []) {
      for (const fn of instance.__def.pageLifetimes?.[name] ?? []) call(instance, fn, `${instance.is}.pageLifetimes.${name}`, ...args);
    }
  }

  function create(route, query) {
    const def = definition(route, true);
    pageCount += 1;
    let page;
    if (def.pageOptions) {
      const options = def.pageOptions;
      page = { route, __route__: route, options: { ...query }, data: clone(options.data ?? {}) };
      for (const [key, value] of Object.entries(options)) {
        if (key === 'data') continue;
        page[key] = typeof value === 'function' ? value : clone(value);
      }
      base(page, def);
    } else {
      page = base({ is: route, route, __route__: route, options: { ...query }, id: '', dataset: {} }, def);
      page.data = clone(def.data);
      for (const [name, property] of Object.entries(def.properties)) {
        page.data[name] = name in query ? coerce(property, query[name]) : defaultValue(property);
      }
      page.properties = page.data;
      for (const [name, fn] of Object.entries(def.methods)) page[name] = fn;
    }
    page.__id = `page-${pageCount}`;
    page.__page = page;
    page.__components = new Set();
    page.__scopes = ['app--', scopePrefix(route)];
    return page;
  }

  function hook(page, name, ...args) {
    if (page.__def.pageOptions) return call(page, name, `${page.route}.${name}`, ...args);
    return call(page, page[name], `${page.route}.${name}`, ...args);
  }

  function check(route, api) {
    if (!pages.includes(route)) throw `page "${route}" is not found`;
    if (tabs.includes(route) && (api === 'navigateTo' || api === 'redirectTo')) throw `can not ${api} a tabbar page`;
    if (!tabs.includes(route) && api === 'switchTab') throw 'can not switch to no-tabBar page';
  }

  function open(route, query) {
    const page = create(route, query);
    stack.push(page);
    page.__host = view.open(page);
    title(page);
    const def = page.__def;
    if (!def.pageOptions) {
      for (const fn of def.lifetimes.created) call(page, fn, `${route}.created`);
      page.__observing = true;
      for (const fn of def.lifetimes.attached) call(page, fn, `${route}.attached`);
    }
    renderInstance(page);
    if (appJson.tabBar?.custom && tabs.includes(route)) customTabBar(page);
    hook(page, 'onLoad', page.options);
    hook(page, 'onShow');
    pageLifetime(page, 'show');
    if (!def.pageOptions) for (const fn of def.lifetimes.ready) call(page, fn, `${route}.ready`);
    hook(page, 'onReady');
    drawTabBar();
    return page;
  }

  // A custom tab bar is the app's `custom-tab-bar` component, one per tab page, at its foot;
  // the page reaches it with `this.getTabBar()`.
  function customTabBar(page) {
    try {
      const def = definition('custom-tab-bar/index', false);
      const host = page.__host.ownerDocument.createElement('custom-tab-bar');
      host.__keep = true;
      page.__host.appendChild(host);
      const vnode = { component: def, tag: 'custom-tab-bar', attrs: {}, props: {}, externalClasses: {}, dataset: {}, marks: {}, events: {}, owner: page, slots: {} };
      host.__vnode = vnode;
      page.__tabBar = mount(vnode, host);
    } catch (error) {
      recorder.error('custom-tab-bar', error);
    }
  }

  function close(page) {
    hook(page, 'onUnload');
    if (!page.__def.pageOptions) for (const fn of page.__def.lifetimes.detached) call(page, fn, `${page.route}.detached`);
    for (const instance of [...page.__components]) unmount(instance);
    page.__alive = false;
    stack.splice(stack.indexOf(page), 1);
    view.close(page);
  }

  function hide(page) {
    hook(page, 'onHide');
    pageLifetime(page, 'hide');
  }

  function reveal(page) {
    view.show(page);
    title(page);
    hook(page, 'onShow');
    pageLifetime(page, 'show');
    drawTabBar();
  }

  function title(page) {
    const own = json(page.route);
    view.title(own.navigationBarTitleText ?? appJson.window?.navigationBarTitleText ?? '');
  }

  function drawTabBar() {
    view.tabBar?.({ tabBar: appJson.tabBar ?? null, route: top()?.route ?? null, isTab: tabs.includes(top()?.route) });
  }

  function top() {
    return stack[stack.length - 1];
  }

  const subpackages = subpackagesOf(appJson).map((sub) => sub.root);

  // Navigation finishes in a later task, as in WeChat, so the caller's code after the call
  // runs before the next page's onLoad; a page of a subpackage not yet loaded waits for it.
  const later = (fn, route) => {
    const root = subpackages.find((r) => route?.startsWith(`${r}/`));
    const ready = root && view.loadSubpackage ? Promise.resolve(view.loadSubpackage(root)) : Promise.resolve();
    return ready.then(() => new Promise((resolve, reject) => setTimeout(() => {
      try {
        resolve(fn());
      } catch (error) {
        reject(error);
      }
    }, 0)));
  };

  const navigation = {
    navigateTo({ url }) {
      const { route, query } = parseUrl(url, top()?.route);
      check(route, 'navigateTo');
      if (stack.length >= MAX_PAGES) throw 'webview count limit exceed';
      return later(() => {
        const covered = top();
        if (covered) hide(covered);
        open(route, query);
        return {};
      }, route);
    },
    redirectTo({ url }) {
      const { route, query } = parseUrl(url, top()?.route);
      check(route, 'redirectTo');
      return later(() => {
        if (top()) close(top());
        open(route, query);
        return {};
      }, route);
    },
    reLaunch({ url }) {
      const { route, query } = parseUrl(url, top()?.route);
      if (!pages.includes(route)) throw `page "${route}" is not found`;
      return later(() => {
        while (stack.length) close(top());
        open(route, query);
        return {};
      }, route);
    },
    switchTab({ url }) {
      const { route } = parseUrl(url, top()?.route);
      check(route, 'switchTab');
      return later(() => {
        while (stack.length) close(top());
        open(route, {});
        return {};
      });
    },
    navigateBack({ delta = 1 } = {}) {
      if (stack.length <= 1) throw 'cannot navigate back at first page.';
      return later(() => {
        const count = Math.min(Math.max(1, Number(delta) || 1), stack.length - 1);
        for (let i = 0; i < count; i += 1) close(top());
        reveal(top());
        return {};
      });
    },
    setTitle(text) {
      view.title(text);
    },
  };

  if (files['app.wxss'] !== undefined && view.style) {
    view.style('app.wxss', scopedCss(files['app.wxss'], { path: 'app.wxss', prefix: 'app--', files }));
  }

  return {
    App,
    Page,
    Component,
    Behavior,
    getApp: () => app,
    getCurrentPages: () => [...stack],
    navigation,
    /** Every route, subpackages' included. */
    pages,
    /** The routes of the tab bar. */
    tabs,
    /** Runs app.js (onLaunch, onShow), then opens `entry` (default: app.json's first page). */
    launch(entry, query = {}) {
      loader.require('app.js');
      const route = entry || pages[0];
      if (!pages.includes(route)) throw new Error(`the entry page "${route}" is not in app.json's pages (${pages.join(', ')})`);
      const launchOptions = { path: route, query, scene: 1001, referrerInfo: {} };
      launched = launchOptions;
      call(app, 'onLaunch', 'App.onLaunch', launchOptions);
      call(app, 'onShow', 'App.onShow', launchOptions);
      return open(route, query);
    },
    /** The page on top of the stack. */
    top,
    /** What App.onLaunch received (wx.getLaunchOptionsSync answers it). */
    launchOptions: () => launched,
    /** The shopper pulls the page down: its onPullDownRefresh runs. */
    pullDown() {
      const page = top();
      if (page) hook(page, 'onPullDownRefresh');
    },
    /** Runs `owner`'s `handler` for an event, as a WXML binding does. */
    dispatch: (owner, type, handler, event) => dispatch(owner, type, handler, event),
  };
}
