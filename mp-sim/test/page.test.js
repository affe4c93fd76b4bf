import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUrl, setPath, routesOf } from '../runtime/page.js';
import { phone, shown, tick } from './phone.js';

// A Mini Program whose pages log their lifecycle: `pages` is route → WXML.
function app(pages, appJson = { pages: Object.keys(pages) }, extra = {}) {
  const files = { 'app.json': JSON.stringify(appJson), 'app.js': "App({ onLaunch() { globalThis.__log.push('App.onLaunch'); } })", ...extra };
  for (const [route, wxml] of Object.entries(pages)) {
    const name = route.split('/').pop();
    files[`${route}.wxml`] = wxml;
    files[`${route}.js`] ??= `
      const log = (m) => globalThis.__log.push(m);
      Page({
        data: { n: 1 },
        onLoad(q) { log('${name}.onLoad ' + JSON.stringify(q)); },
        onShow() { log('${name}.onShow'); },
        onReady() { log('${name}.onReady'); },
        onHide() { log('${name}.onHide'); },
        onUnload() { log('${name}.onUnload'); },
        boom() { throw new Error('kaput'); },
      });`;
  }
  const run = phone(files);
  globalThis.__log = run.log;
  return run;
}

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

test('subpackages add their pages under their root', () => {
  assert.deepEqual(
    routesOf({ pages: ['pages/a/a'], subPackages: [{ root: 'shop/', pages: ['pay/pay'] }], subpackages: [] }),
    ['pages/a/a', 'shop/pay/pay'],
  );
});

test('launch runs onLaunch, then the first page onLoad → onShow → onReady', () => {
  const { runtime, log } = app({ 'pages/home/home': '<view>{{n}}</view>' });
  runtime.launch(undefined, { from: 'test' });
  assert.deepEqual(log, ['App.onLaunch', 'open pages/home/home', 'home.onLoad {"from":"test"}', 'home.onShow', 'home.onReady']);
});

test('setData updates data at once and re-renders in place', () => {
  const { runtime, pagesElement } = app({ 'pages/home/home': '<text class="n">{{n}}</text>' });
  const page = runtime.launch();
  const element = pagesElement.querySelector('.n');
  page.setData({ n: 2 });
  assert.equal(page.data.n, 2);
  assert.equal(pagesElement.querySelector('.n'), element);
  assert.equal(element.textContent, '2');
});

test('a subpackage page opens like any other, once its subpackage is loaded', async () => {
  const { runtime, pagesElement, subpackagesLoaded } = app(
    { 'pages/home/home': '<view/>', 'shop/pay/pay': '<text>pay {{n}}</text>' },
    { pages: ['pages/home/home'], subPackages: [{ root: 'shop', pages: ['pay/pay'] }] },
  );
  runtime.launch();
  assert.deepEqual(subpackagesLoaded, []);
  await runtime.navigation.navigateTo({ url: '/shop/pay/pay' });
  assert.deepEqual(subpackagesLoaded, ['shop']);
  assert.equal(runtime.top().route, 'shop/pay/pay');
  assert.equal(shown(pagesElement.querySelector('wx-page[data-route="shop/pay/pay"]')), 'pay 1');
});

test('navigateTo pushes, navigateBack pops with WeChat lifecycle order', async () => {
  const { runtime, log } = app({ 'pages/home/home': '<view/>', 'pages/pay/pay': '<view/>' });
  runtime.launch();
  log.length = 0;
  await runtime.navigation.navigateTo({ url: '/pages/pay/pay?amount=990' });
  assert.deepEqual(runtime.getCurrentPages().map((p) => p.route), ['pages/home/home', 'pages/pay/pay']);
  await runtime.navigation.navigateBack({});
  assert.deepEqual(log, ['home.onHide', 'open pages/pay/pay', 'pay.onLoad {"amount":"990"}', 'pay.onShow', 'pay.onReady', 'pay.onUnload', 'close pages/pay/pay', 'home.onShow']);
  assert.throws(() => runtime.navigation.navigateBack({}), /cannot navigate back at first page/);
});

test('navigation refuses pages that are not in app.json', () => {
  const { runtime } = app({ 'pages/home/home': '<view/>' });
  runtime.launch();
  assert.throws(() => runtime.navigation.navigateTo({ url: '/pages/nope/nope' }), /page "pages\/nope\/nope" is not found/);
});

test('a handler error is recorded, a missing handler is named', () => {
  const { runtime, recorder } = app({ 'pages/home/home': '<view/>' });
  const page = runtime.launch();
  runtime.dispatch(page, 'tap', 'boom', {});
  runtime.dispatch(page, 'tap', 'handlePay', {});
  assert.equal(recorder.errors[0].message, 'kaput');
  assert.match(recorder.errors[1].message, /does not have a method "handlePay" to handle event "tap"/);
});

test('a tap on a rendered button runs the page handler with its dataset', () => {
  const { runtime, pagesElement } = app(
    { 'pages/home/home': '<view class="row" data-id="{{7}}" bindtap="pick"><button class="b">go</button></view>' },
    undefined,
    { 'pages/home/home.js': "Page({ data: {}, pick(e) { this.setData({ got: [e.currentTarget.dataset.id, e.type] }); } })" },
  );
  const page = runtime.launch();
  pagesElement.querySelector('.b').click();
  assert.deepEqual(page.data.got, [7, 'tap']);
});

test('the tab bar is drawn on tab pages, its badges set by wx, and a tap switches tabs', async () => {
  const appJson = {
    pages: ['pages/home/home', 'pages/mine/mine', 'pages/pay/pay'],
    tabBar: { list: [{ pagePath: 'pages/home/home', text: '首页' }, { pagePath: 'pages/mine/mine', text: '我的' }] },
  };
  const { runtime, tabBarElement, tabBar } = app({ 'pages/home/home': '<view/>', 'pages/mine/mine': '<view/>', 'pages/pay/pay': '<view/>' }, appJson);
  runtime.launch();
  assert.equal(tabBarElement.hidden, false);
  assert.deepEqual([...tabBarElement.children].map((t) => [t.textContent, t.getAttribute('aria-selected')]), [['首页', 'true'], ['我的', 'false']]);
  const record = { start: () => ({}) };
  const apis = tabBar.apis((name, impl) => impl);
  apis.setTabBarBadge({ index: 1, text: '3' });
  assert.equal(tabBarElement.children[1].textContent, '我的3');
  assert.throws(() => apis.setTabBarBadge({ index: 5, text: '1' }), /tabbar item not found/);
  void record;
  tabBarElement.children[1].click();
  await tick();
  assert.equal(runtime.top().route, 'pages/mine/mine');
  assert.equal(tabBarElement.children[1].getAttribute('aria-selected'), 'true');
  assert.throws(() => runtime.navigation.navigateTo({ url: '/pages/home/home' }), /can not navigateTo a tabbar page/);
  await runtime.navigation.reLaunch({ url: '/pages/pay/pay' });
  assert.equal(tabBarElement.hidden, true);
});

test('what WeChat only warns about is a warning, not an error', async () => {
  const { runtime, recorder } = app({ 'pages/home/home': '<view/>', 'pages/pay/pay': '<view/>' });
  const home = runtime.launch();
  home.setData({ gone: undefined });
  await runtime.navigation.navigateTo({ url: '/pages/pay/pay' });
  const pay = runtime.top();
  await runtime.navigation.navigateBack({});
  pay.setData({ late: true });
  assert.deepEqual(recorder.errors, []);
  assert.deepEqual(recorder.warnings.map((w) => w.message), ['Setting data field "gone" to undefined is invalid.', 'setData on a page that was closed']);
});

test('swiper: current comes from the data, a dot tap moves it and fires change with source touch', async () => {
  const { runtime, pagesElement, window } = app(
    { 'pages/home/home': '<swiper indicator-dots current="{{at}}" bindchange="moved"><swiper-item wx:for="{{ads}}" wx:key="*this" item-id="{{item}}"><text class="ad">{{item}}</text></swiper-item></swiper>' },
    undefined,
    { 'pages/home/home.js': "Page({ data: { at: 1, ads: ['a', 'b', 'c'], seen: [] }, moved(e) { this.data.seen.push([e.detail.current, e.detail.currentItemId, e.detail.source]); } })" },
  );
  const page = runtime.launch();
  const shownAd = () => [...pagesElement.querySelectorAll('wx-swiper-item')].filter((i) => !i.hidden).map((i) => i.textContent);
  assert.deepEqual(shownAd(), ['b']);
  pagesElement.querySelectorAll('wx-swiper-dot')[2].click();
  assert.deepEqual(shownAd(), ['c']);
  assert.deepEqual(page.data.seen, [[2, 'c', 'touch']]);
  page.setData({ at: 0 });
  assert.deepEqual(shownAd(), ['a']);
  assert.deepEqual(page.data.seen.length, 1, 'a change from the data fires no event');
  void window;
});

test('rich-text draws an HTML string or node array, keeping only what WeChat allows', () => {
  const { runtime, pagesElement } = app(
    { 'pages/home/home': '<rich-text class="a" nodes="{{html}}"/><rich-text class="b" nodes="{{list}}"/>' },
    undefined,
    { 'pages/home/home.js': `Page({ data: { html: '<p style="width: 750rpx">Paid <b>9.90</b><script>alert(1)</script><img src="/x.png" onerror="alert(2)"></p>', list: [{ name: 'div', attrs: { class: 'n' }, children: [{ type: 'text', text: 'a &amp; b' }] }] } })` },
  );
  runtime.launch();
  const a = pagesElement.querySelector('wx-rich-text.a');
  assert.equal(a.innerHTML, '<p style="width: 375px">Paid <b>9.90</b><img src="/x.png"></p>');
  assert.equal(pagesElement.querySelector('wx-rich-text.b').innerHTML, '<div class="n">a &amp; b</div>');
  assert.equal(a.getAttribute('nodes'), null);
});

test('textarea is a real textarea whose input reaches the page with its value', () => {
  const { runtime, pagesElement, window } = app(
    { 'pages/home/home': '<textarea class="t" value="{{note}}" bindinput="typed"/>' },
    undefined,
    { 'pages/home/home.js': "Page({ data: { note: 'hi' }, typed(e) { this.setData({ got: e.detail.value }); } })" },
  );
  const page = runtime.launch();
  const area = pagesElement.querySelector('textarea.t');
  assert.equal(area.value, 'hi');
  area.value = 'hi there';
  area.dispatchEvent(new window.Event('input', { bubbles: true }));
  assert.equal(page.data.got, 'hi there');
});
