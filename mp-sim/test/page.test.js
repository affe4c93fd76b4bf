import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLoader } from '../loader.js';
import { createRuntime, parseUrl, setPath } from '../page.js';
import { Recorder } from '../wx/api.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function app(pageSources, appJson = { pages: Object.keys(pageSources) }) {
  const log = [];
  const drawn = new Map();
  const recorder = new Recorder();
  const files = { 'app.json': JSON.stringify(appJson) };
  const factories = { 'app.js': (require, module, exports, App) => App({ onLaunch: () => log.push('App.onLaunch') }) };
  for (const [route, { wxml, page }] of Object.entries(pageSources)) {
    files[`${route}.wxml`] = wxml;
    factories[`${route}.js`] = (require, module, exports, App, Page) => Page(page(log));
  }
  let runtime;
  const loader = createLoader(factories, () => [runtime.App, runtime.Page]);
  const view = {
    open: (p) => log.push(`open ${p.route}`),
    close: (p) => log.push(`close ${p.route}`),
    show: () => {},
    draw: (p, vnodes) => drawn.set(p.route, vnodes),
    title: () => {},
  };
  runtime = createRuntime({ loader, files, recorder, view });
  return { runtime, log, drawn, recorder };
}

const hooks = (name, log, extra = {}) => ({
  data: { n: 1 },
  onLoad(q) { log.push(`${name}.onLoad ${JSON.stringify(q)}`); },
  onShow() { log.push(`${name}.onShow`); },
  onReady() { log.push(`${name}.onReady`); },
  onHide() { log.push(`${name}.onHide`); },
  onUnload() { log.push(`${name}.onUnload`); },
  ...extra,
});

test('urls parse into a route and an undecoded query', () => {
  assert.deepEqual(parseUrl('/pages/pay/pay?amount=990&d=%E7%A7%AF'), { route: 'pages/pay/pay', query: { amount: '990', d: '%E7%A7%AF' } });
  assert.deepEqual(parseUrl('../pay/pay', 'pages/home/home'), { route: 'pages/pay/pay', query: {} });
});

test('setData paths reach into objects and arrays', () => {
  const data = { order: { items: [] } };
  setPath(data, 'order.items[1].name', 'x');
  setPath(data, 'flag', true);
  assert.deepEqual(data.order.items[1], { name: 'x' });
  assert.equal(data.order.items.length, 2);
  assert.equal(data.flag, true);
});

test('launch runs onLaunch, then the first page onLoad → onShow → onReady', () => {
  const { runtime, log } = app({ 'pages/home/home': { wxml: '<view>{{n}}</view>', page: (l) => hooks('home', l) } });
  runtime.launch(undefined, { from: 'test' });
  assert.deepEqual(log, ['App.onLaunch', 'open pages/home/home', 'home.onLoad {"from":"test"}', 'home.onShow', 'home.onReady']);
});

test('setData updates data at once and re-renders', () => {
  const { runtime, drawn } = app({ 'pages/home/home': { wxml: '<text>{{n}}</text>', page: (l) => hooks('home', l) } });
  const page = runtime.launch();
  page.setData({ n: 2 });
  assert.equal(page.data.n, 2);
  assert.equal(drawn.get('pages/home/home')[0].children[0].text, '2');
});

test('navigateTo pushes, navigateBack pops with WeChat lifecycle order', async () => {
  const { runtime, log } = app({
    'pages/home/home': { wxml: '<view/>', page: (l) => hooks('home', l) },
    'pages/pay/pay': { wxml: '<view/>', page: (l) => hooks('pay', l) },
  });
  runtime.launch();
  log.length = 0;
  await runtime.navigation.navigateTo({ url: '/pages/pay/pay?amount=990' });
  assert.deepEqual(runtime.getCurrentPages().map((p) => p.route), ['pages/home/home', 'pages/pay/pay']);
  await runtime.navigation.navigateBack({});
  assert.deepEqual(log, ['home.onHide', 'open pages/pay/pay', 'pay.onLoad {"amount":"990"}', 'pay.onShow', 'pay.onReady', 'pay.onUnload', 'close pages/pay/pay', 'home.onShow']);
  assert.throws(() => runtime.navigation.navigateBack({}), /cannot navigate back at first page/);
});

test('navigation refuses pages that are not in app.json', () => {
  const { runtime } = app({ 'pages/home/home': { wxml: '<view/>', page: (l) => hooks('home', l) } });
  runtime.launch();
  assert.throws(() => runtime.navigation.navigateTo({ url: '/pages/nope/nope' }), /page "pages\/nope\/nope" is not found/);
});

test('a handler error is recorded, a missing handler is named', async () => {
  const { runtime, recorder } = app({
    'pages/home/home': { wxml: '<view/>', page: (l) => hooks('home', l, { boom() { throw new Error('kaput'); } }) },
  });
  const page = runtime.launch();
  runtime.dispatch(page, 'tap', 'boom', {});
  runtime.dispatch(page, 'tap', 'handlePay', {});
  assert.equal(recorder.errors[0].message, 'kaput');
  assert.match(recorder.errors[1].message, /does not have a method "handlePay" to handle event "tap"/);
});
