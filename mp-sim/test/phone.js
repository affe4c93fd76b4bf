// A Mini Program run by mp-sim's runtime in happy-dom (a DOM without a browser), for the
// node tests: modules as source text, wrapped as the host wraps them; the page elements and
// stylesheets the runtime produced; a log of pages opened and closed.

import { Window } from 'happy-dom';
import { createLoader } from '../runtime/loader.js';
import { createRuntime } from '../runtime/page.js';
import { Recorder } from '../runtime/wx/api.js';
import { TabBar } from '../runtime/tab_bar.js';
import { createSelectorQuery } from '../runtime/selector_query.js';
import { User } from '../runtime/wx/user.js';

const GLOBALS = ['App', 'Page', 'Component', 'Behavior', 'getApp', 'getCurrentPages', 'wx'];

/**
 * @param {Record<string, string>} files every file by path: `.js` modules (source), WXML, WXSS, WXS, JSON
 * @param {object} [options] `{wx}`: what modules see as wx
 */
export function phone(files, { wx = {} } = {}) {
  const window = new Window({ url: 'http://127.0.0.1/' });
  const document = window.document;
  const pagesElement = document.createElement('div');
  const tabBarElement = document.createElement('div');
  document.body.append(pagesElement, tabBarElement);
  const log = [];
  const titles = [];
  const styles = new Map();
  const subpackagesLoaded = [];
  const recorder = new Recorder();
  const factories = {};
  const texts = {};
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('.js')) {
      // As the host wraps a module: its body a function of its own (host.rs).
      factories[path] = new Function('require', 'module', 'exports', ...GLOBALS, `(function (require, module, exports) {${text}\n}).call(this, require, module, exports);`);
    } else {
      texts[path] = text;
    }
  }
  let runtime;
  const user = new User();
  const services = {
    recorder,
    user,
    record: (api, args, result) => {
      const entry = recorder.start(api, args);
      entry.result = result;
    },
    regions: () => import('../node_modules/@vant/area-data/dist/index.js').then((m) => m.areaList),
    forms: [],
  };
  const tabBar = new TabBar(tabBarElement, (url) => runtime.navigation.switchTab({ url }));
  const view = {
    pages: pagesElement,
    open(page) {
      const element = document.createElement('wx-page');
      element.dataset.route = page.route;
      page.__element = element;
      pagesElement.appendChild(element);
      log.push(`open ${page.route}`);
      return element;
    },
    close(page) {
      log.push(`close ${page.route}`);
      page.__element.remove();
    },
    show(page) {
      for (const element of pagesElement.children) element.hidden = element !== page.__element;
    },
    title: (text) => titles.push(text),
    style: (path, css) => styles.set(path, css),
    tabBar: (state) => tabBar.draw(state),
    selectorQuery: (instance) => createSelectorQuery(() => instance.__host, document).in(instance),
    loadSubpackage: (root) => {
      subpackagesLoaded.push(root);
      return Promise.resolve();
    },
    services,
  };
  const loader = createLoader(factories, () => [
    runtime.App, runtime.Page, runtime.Component, runtime.Behavior, runtime.getApp, runtime.getCurrentPages, wx,
  ]);
  // An exception in an event listener reaches the window, as in a browser.
  window.addEventListener('error', (event) => recorder.error('uncaught', event.error ?? event.message));
  runtime = createRuntime({ loader, files: texts, recorder, view });
  tabBar.configure(JSON.parse(texts['app.json'] ?? '{}').tabBar ?? null);
  return { runtime, log, titles, styles, subpackagesLoaded, recorder, document, window, pagesElement, tabBar, tabBarElement, user, services };
}

/** The text a page shows (whitespace collapsed). */
export function shown(element) {
  return element.textContent.replace(/\s+/g, ' ').trim();
}

/** Lets timers and promises run (navigation, setData callbacks, selector queries). */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
