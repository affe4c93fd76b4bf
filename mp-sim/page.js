// App, Page and the page stack: what a Mini Program's code calls (App, getApp, Page,
// getCurrentPages) and what wx's navigation APIs move (navigateTo pushes, redirectTo
// replaces, navigateBack pops, reLaunch/switchTab start over), with WeChat's lifecycle order:
// onLoad(query) → onShow → onReady when a page opens, onHide when covered, onShow when
// revealed, onUnload when removed. `setData` updates `this.data` at once and re-renders.

import { parse } from './wxml/parse.js';
import { render } from './wxml/render.js';

/** WeChat's limit on the page stack. */
export const MAX_PAGES = 10;

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

/** Sets `value` at a setData path such as `order.items[2].name`. */
export function setPath(data, path, value) {
  const keys = [];
  path.replace(/[^.[\]]+|\[(\d+)\]/g, (match, index) => {
    keys.push(index !== undefined ? Number(index) : match);
    return match;
  });
  if (keys.length === 0) throw new Error(`setData: bad key "${path}"`);
  let target = data;
  keys.slice(0, -1).forEach((key, i) => {
    if (target[key] === null || typeof target[key] !== 'object') {
      target[key] = typeof keys[i + 1] === 'number' ? [] : {};
    }
    target = target[key];
  });
  target[keys[keys.length - 1]] = value;
}

const clone = (value) => (value === undefined ? undefined : structuredClone(value));

/**
 * The running Mini Program.
 *
 * @param {object} deps
 * @param {{require(path): any, has(path): boolean}} deps.loader
 * @param {Record<string, string>} deps.files WXML and JSON files by path
 * @param {import('./wx/api.js').Recorder} deps.recorder
 * @param {object} deps.view `{open(page), close(page), show(page), draw(page, vnodes), title(text)}`
 */
export function createRuntime({ loader, files, recorder, view }) {
  const appJson = JSON.parse(files['app.json'] ?? '{}');
  const pages = appJson.pages ?? [];
  const tabs = new Set((appJson.tabBar?.list ?? []).map((t) => t.pagePath));
  const definitions = new Map();
  const templates = new Map();
  const stack = [];
  let app = null;
  let defining = null;

  function call(target, hook, where, ...args) {
    if (typeof target?.[hook] !== 'function') return undefined;
    try {
      const result = target[hook](...args);
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
    if (!defining) throw new Error('Page() may only be called by a page\'s own .js file, listed in app.json');
    definitions.set(defining, options);
  }

  function template(route) {
    if (!templates.has(route)) {
      const source = files[`${route}.wxml`];
      if (source === undefined) throw new Error(`page "${route}" has no ${route}.wxml`);
      templates.set(route, parse(source, `${route}.wxml`));
    }
    return templates.get(route);
  }

  function definition(route) {
    if (!definitions.has(route)) {
      defining = route;
      try {
        loader.require(`${route}.js`);
      } finally {
        defining = null;
      }
      if (!definitions.has(route)) throw new Error(`${route}.js never called Page()`);
    }
    return definitions.get(route);
  }

  function draw(page) {
    try {
      view.draw(page, render(template(page.route), page.data));
    } catch (error) {
      recorder.error(`rendering ${page.route}.wxml`, error);
    }
  }

  function create(route, query) {
    const options = definition(route);
    const page = { route, __route__: route, options: { ...query }, data: clone(options.data ?? {}) };
    for (const [key, value] of Object.entries(options)) {
      if (key === 'data') continue;
      page[key] = typeof value === 'function' ? value : clone(value);
    }
    page.setData = (changes, callback) => {
      if (!changes || typeof changes !== 'object') throw new TypeError('setData expects an object');
      if (!stack.includes(page)) {
        recorder.error(`${route}.setData`, new Error('setData on a page that was closed'));
      }
      for (const [path, value] of Object.entries(changes)) {
        if (value === undefined) recorder.error(`${route}.setData`, new Error(`Setting data field "${path}" to undefined is invalid.`));
        setPath(page.data, path, clone(value));
      }
      draw(page);
      if (typeof callback === 'function') setTimeout(() => call({ callback }, 'callback', `${route}.setData callback`), 0);
    };
    page.selectComponent = () => null;
    return page;
  }

  function check(route, api) {
    if (!pages.includes(route)) throw `page "${route}" is not found`;
    if (tabs.has(route) && (api === 'navigateTo' || api === 'redirectTo')) throw `can not ${api} a tabbar page`;
    if (!tabs.has(route) && api === 'switchTab') throw 'can not switch to no-tabBar page';
  }

  function open(route, query) {
    const page = create(route, query);
    stack.push(page);
    view.open(page);
    title(page);
    draw(page);
    call(page, 'onLoad', `${route}.onLoad`, page.options);
    call(page, 'onShow', `${route}.onShow`);
    call(page, 'onReady', `${route}.onReady`);
    return page;
  }

  function close(page) {
    call(page, 'onUnload', `${page.route}.onUnload`);
    stack.splice(stack.indexOf(page), 1);
    view.close(page);
  }

  function title(page) {
    const own = files[`${page.route}.json`] ? JSON.parse(files[`${page.route}.json`]) : {};
    view.title(own.navigationBarTitleText ?? appJson.window?.navigationBarTitleText ?? '');
  }

  function top() {
    return stack[stack.length - 1];
  }

  // Navigation finishes in a later task, as in WeChat, so the caller's code after the call
  // runs before the next page's onLoad.
  const later = (fn) => new Promise((resolve, reject) => setTimeout(() => {
    try {
      resolve(fn());
    } catch (error) {
      reject(error);
    }
  }, 0));

  const navigation = {
    navigateTo({ url }) {
      const { route, query } = parseUrl(url, top()?.route);
      check(route, 'navigateTo');
      if (stack.length >= MAX_PAGES) throw 'webview count limit exceed';
      return later(() => {
        const covered = top();
        if (covered) call(covered, 'onHide', `${covered.route}.onHide`);
        open(route, query);
        return {};
      });
    },
    redirectTo({ url }) {
      const { route, query } = parseUrl(url, top()?.route);
      check(route, 'redirectTo');
      return later(() => {
        if (top()) close(top());
        open(route, query);
        return {};
      });
    },
    reLaunch({ url }) {
      const { route, query } = parseUrl(url, top()?.route);
      if (!pages.includes(route)) throw `page "${route}" is not found`;
      return later(() => {
        while (stack.length) close(top());
        open(route, query);
        return {};
      });
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
        view.show(top());
        title(top());
        call(top(), 'onShow', `${top().route}.onShow`);
        return {};
      });
    },
    setTitle(text) {
      view.title(text);
    },
  };

  return {
    App,
    Page,
    getApp: () => app,
    getCurrentPages: () => [...stack],
    navigation,
    /** Runs app.js (onLaunch, onShow), then opens `entry` (default: app.json's first page). */
    launch(entry, query = {}) {
      loader.require('app.js');
      const route = entry || pages[0];
      if (!pages.includes(route)) throw new Error(`the entry page "${route}" is not in app.json's pages (${pages.join(', ')})`);
      const launchOptions = { path: route, query, scene: 1001 };
      call(app, 'onLaunch', 'App.onLaunch', launchOptions);
      call(app, 'onShow', 'App.onShow', launchOptions);
      return open(route, query);
    },
    /** The page on top of the stack. */
    top,
    /** Runs the top page's `handler` for an event, as a WXML binding does. */
    dispatch(page, type, handler, event) {
      if (typeof page[handler] !== 'function') {
        recorder.error(`${page.route} ${type}`, new Error(`Component "${page.route}" does not have a method "${handler}" to handle event "${type}".`));
        return undefined;
      }
      return call(page, handler, `${page.route}.${handler}`, event);
    },
  };
}
