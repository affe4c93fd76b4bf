import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coerce, normalizeProperty, observes, defineComponent, Behavior } from '../runtime/component.js';
import { phone, shown, tick } from './phone.js';

// One page (pages/p/p) using the components in `files`.
function page(wxml, pageJs, files = {}, using = {}) {
  const run = phone({
    'app.json': JSON.stringify({ pages: ['pages/p/p'] }),
    'app.js': 'App({})',
    'pages/p/p.wxml': wxml,
    'pages/p/p.js': pageJs,
    'pages/p/p.json': JSON.stringify({ usingComponents: using }),
    ...files,
  });
  globalThis.__log = [];
  const instance = run.runtime.launch();
  return { ...run, page: instance, log: globalThis.__log, root: instance.__host };
}

const component = (js, wxml, json = {}) => ({ js, wxml, json: JSON.stringify({ component: true, ...json }) });
function files(components) {
  const out = {};
  for (const [path, c] of Object.entries(components)) {
    out[`${path}.js`] = c.js;
    out[`${path}.wxml`] = c.wxml;
    out[`${path}.json`] = c.json;
    if (c.wxss) out[`${path}.wxss`] = c.wxss;
  }
  return out;
}

test('properties take WeChat\'s types: numbers from text, "false" is true, defaults otherwise', () => {
  assert.equal(coerce(normalizeProperty(Number), '5'), 5);
  assert.equal(coerce(normalizeProperty(Boolean), 'false'), true);
  assert.equal(coerce(normalizeProperty({ type: String, value: 'x' }), undefined), 'x');
  assert.equal(coerce(normalizeProperty(String), 12), '12');
  assert.deepEqual(coerce(normalizeProperty(Array), 'nope'), []);
  assert.equal(coerce(normalizeProperty({ type: Number, optionalTypes: [String] }), 'auto'), 'auto');
});

test('observers watch field paths, parents of them and ** below', () => {
  assert.equal(observes('a.b', 'a'), true);
  assert.equal(observes('a.b', 'a.b'), true);
  assert.equal(observes('a', 'a.b'), false);
  assert.equal(observes('a.**', 'a.b[2]'), true);
  assert.equal(observes('list[0].x', 'list[0]'), true);
  assert.equal(observes('**', 'anything'), true);
});

test('behaviors merge under the component: data deep, methods overridden, lifetimes behaviours first', () => {
  const log = [];
  const inner = Behavior({ data: { a: { x: 1 } }, methods: { who: () => 'inner' }, attached() { log.push('inner'); } });
  const outer = Behavior({ behaviors: [inner], data: { a: { y: 2 } }, lifetimes: { attached() { log.push('outer'); } } });
  const def = defineComponent({ behaviors: [outer, 'wx://form-field'], data: { a: { z: 3 } }, methods: { who: () => 'own' }, attached() { log.push('own'); } }, { path: 'c/c' });
  assert.deepEqual(def.data, { a: { x: 1, y: 2, z: 3 } });
  assert.equal(def.methods.who(), 'own');
  assert.deepEqual(Object.keys(def.properties), ['name', 'value']);
  def.lifetimes.attached.forEach((fn) => fn());
  assert.deepEqual(log, ['inner', 'outer', 'own']);
  assert.throws(() => defineComponent({ behaviors: ['wx://nope'] }, { path: 'c/c' }), /behavior "wx:\/\/nope" is not one mp-sim knows/);
});

test('a component renders its template with properties from the parent, and re-renders when they change', () => {
  const { page: p, root, log } = page_with_price();
  assert.equal(shown(root), 'Basic ¥9.90 (x1)');
  p.setData({ amount: 1990 });
  assert.equal(shown(root), 'Basic ¥19.90 (x1)');
  assert.deepEqual(log, ['created', 'observer 990 0', 'observers 990', 'attached', 'ready', 'observer 1990 990', 'observers 1990']);
});

function page_with_price() {
  return page(
    '<price-tag title="Basic" amount="{{amount}}" count="1"/>',
    'Page({ data: { amount: 990 } })',
    files({
      'components/price/price': component(
        `Component({
          properties: { title: String, amount: { type: Number, value: 0, observer(n, o) { globalThis.__log.push('observer ' + n + ' ' + o); } }, count: Number },
          observers: { amount(a) { globalThis.__log.push('observers ' + a); this.setData({ yuan: (a / 100).toFixed(2) }); } },
          lifetimes: { created() { globalThis.__log.push('created'); }, attached() { globalThis.__log.push('attached'); }, ready() { globalThis.__log.push('ready'); } },
        })`,
        '<view class="tag">{{title}} ¥{{yuan}} (x{{count}})</view>',
      ),
    }),
    { 'price-tag': '/components/price/price' },
  );
}

test('triggerEvent reaches the parent\'s bind: handler with its detail; bubbles and composed decide who else hears it', () => {
  const { page: p, root, recorder } = page(
    '<view bind:pick="outer"><view bind:pick="inside"><chooser id="c" bind:pick="chosen" data-tag="t"/></view></view>',
    `Page({ data: { heard: [] },
      chosen(e) { this.data.heard.push('chosen ' + e.detail.id + ' ' + e.currentTarget.dataset.tag + ' ' + e.target.id); },
      inside() { this.data.heard.push('inside'); },
      outer() { this.data.heard.push('outer'); } })`,
    files({
      'components/chooser/chooser': component(
        `Component({ methods: { pick(e) { this.triggerEvent('pick', { id: 7 }, { bubbles: e.currentTarget.dataset.bubbles }); } } })`,
        '<button class="once" bindtap="pick">once</button><button class="bubbling" data-bubbles="{{true}}" bindtap="pick">bubbling</button>',
      ),
    }),
    { chooser: '/components/chooser/chooser' },
  );
  root.querySelector('.once').click();
  assert.deepEqual(p.data.heard, ['chosen 7 t c']);
  root.querySelector('.bubbling').click();
  assert.deepEqual(p.data.heard, ['chosen 7 t c', 'chosen 7 t c', 'inside', 'outer']);
  assert.deepEqual(recorder.errors, []);
});

test('slots take the parent\'s content, in the parent\'s data and with its handlers', () => {
  const { page: p, root } = page(
    '<card title="Team"><text class="body">{{n}} seats</text><button slot="footer" class="buy" bindtap="buy">Buy</button></card>',
    'Page({ data: { n: 5 }, buy() { this.setData({ bought: true }); } })',
    files({
      'components/card/card': component(
        "Component({ options: { multipleSlots: true }, properties: { title: String } })",
        '<view class="card"><view class="head">{{title}}</view><slot/><view class="foot"><slot name="footer"/></view></view>',
      ),
    }),
    { card: '/components/card/card' },
  );
  assert.equal(shown(root), 'Team5 seatsBuy');
  assert.ok(root.querySelector('.foot .buy'));
  p.setData({ n: 6 });
  assert.equal(root.querySelector('.body').textContent, '6 seats');
  root.querySelector('.buy').click();
  assert.equal(p.data.bought, true);
});

test('relations link a child to its parent component through slots; getRelationNodes lists them in order', () => {
  const { page: p, root } = page(
    '<group><item wx:for="{{list}}" wx:key="*this" label="{{item}}"/></group>',
    "Page({ data: { list: ['a', 'b'] } })",
    files({
      'components/group/group': component(
        `Component({ relations: { '../item/item': { type: 'child', linked(c) { (this.linkedLog ??= []).push('+' + c.data.label); }, unlinked(c) { this.linkedLog.push('-' + c.data.label); } } },
          methods: { labels() { return this.getRelationNodes('../item/item').map((c) => c.data.label); } } })`,
        '<view class="group"><slot/></view>',
      ),
      'components/item/item': component(
        `Component({ properties: { label: String }, relations: { '../group/group': { type: 'parent', linked(p) { this.parent = p; } } } })`,
        '<text>{{label}}</text>',
      ),
    }),
    { group: '/components/group/group', item: '/components/item/item' },
  );
  const group = root.querySelector('group').__instance;
  assert.deepEqual(group.labels(), ['a', 'b']);
  assert.equal(root.querySelectorAll('item')[0].__instance.parent, group);
  p.setData({ list: ['b', 'c'] });
  assert.deepEqual(group.labels(), ['b', 'c']);
  assert.deepEqual(group.linkedLog, ['+a', '+b', '-a', '+c']);
});

test('wx:key keeps each item\'s element (and component) when the list is re-ordered', () => {
  const { page: p, root } = page(
    '<view wx:for="{{list}}" wx:key="id" class="row">{{item.id}}</view>',
    'Page({ data: { list: [{ id: 1 }, { id: 2 }, { id: 3 }] } })',
  );
  const [one, two, three] = root.querySelectorAll('.row');
  p.setData({ list: [{ id: 3 }, { id: 1 }] });
  const rows = [...root.querySelectorAll('.row')];
  assert.deepEqual(rows.map((r) => r.textContent), ['3', '1']);
  assert.equal(rows[0], three);
  assert.equal(rows[1], one);
  assert.equal(two.isConnected, false);
});

test('detached runs when wx:if removes a component; pageLifetimes hear the page hide and show', async () => {
  const run = phone({
    'app.json': JSON.stringify({ pages: ['pages/p/p', 'pages/q/q'] }),
    'app.js': 'App({})',
    'pages/p/p.wxml': '<timer wx:if="{{on}}"/>',
    'pages/p/p.js': 'Page({ data: { on: true } })',
    'pages/p/p.json': '{"usingComponents": {"timer": "/components/timer/timer"}}',
    'pages/q/q.wxml': '<view/>',
    'pages/q/q.js': 'Page({})',
    ...files({
      'components/timer/timer': component(
        `Component({ lifetimes: { detached() { globalThis.__log.push('detached'); } }, pageLifetimes: { show() { globalThis.__log.push('show'); }, hide() { globalThis.__log.push('hide'); } } })`,
        '<text>tick</text>',
      ),
    }),
  });
  globalThis.__log = [];
  const p = run.runtime.launch();
  await run.runtime.navigation.navigateTo({ url: '/pages/q/q' });
  await run.runtime.navigation.navigateBack({});
  p.setData({ on: false });
  assert.deepEqual(globalThis.__log, ['show', 'hide', 'show', 'detached']);
  assert.equal(p.__host.querySelector('timer'), null);
});

test('styles are isolated per component; externalClasses and addGlobalClass let the page style inside', () => {
  const { root, styles } = page(
    '<view class="title">page</view><btn custom-class="big"/><shared/>',
    'Page({})',
    {
      ...files({
        'components/btn/btn': component("Component({ externalClasses: ['custom-class'] })", '<view class="title custom-class">btn</view>'),
        'components/shared/shared': component("Component({ options: { addGlobalClass: true } })", '<view class="title">shared</view>'),
      }),
      'components/btn/btn.wxss': '@import "../common.wxss";\n.title { color: red; }\n:host { display: block }',
      'components/common.wxss': '.common { margin: 0 }',
      'pages/p/p.wxss': '.title { color: blue; } .big { font-size: 30rpx }',
    },
    { btn: '/components/btn/btn', shared: '/components/shared/shared' },
  );
  const [pageTitle, btnTitle, sharedTitle] = root.querySelectorAll('.title');
  assert.equal(pageTitle.className, 'title app--title pages_p_p--title');
  assert.equal(btnTitle.className, 'title components_btn_btn--title big app--big pages_p_p--big');
  assert.equal(sharedTitle.className, 'title components_shared_shared--title app--title pages_p_p--title');
  assert.equal(styles.get('components/btn/btn.wxss'), '.components_btn_btn--common { margin: 0 }\n.components_btn_btn--title { color: red; }\n[wx-host="components_btn_btn--"] { display: block }');
  assert.equal(styles.get('pages/p/p.wxss'), '.pages_p_p--title { color: blue; } .pages_p_p--big { font-size: 15px }');
  assert.equal(root.querySelector('btn').getAttribute('wx-host'), 'components_btn_btn--');
});

test('selectComponent finds the page\'s own components by id or class; component-export decides what it gets', () => {
  const { page: p } = page(
    '<toast id="toast"/><toast class="extra"/><secret id="s"/>',
    'Page({})',
    files({
      'components/toast/toast': component("Component({ data: { shown: '' }, methods: { show(t) { this.setData({ shown: t }); } } })", '<text>{{shown}}</text>'),
      'components/secret/secret': component("Component({ behaviors: ['wx://component-export'], export() { return { answer: 42 }; } })", '<view/>'),
    }),
    { toast: '/components/toast/toast', secret: '/components/secret/secret' },
  );
  p.selectComponent('#toast').show('Paid');
  assert.equal(p.__host.querySelector('#toast').textContent, 'Paid');
  assert.equal(p.selectAllComponents('toast').length, 2);
  assert.deepEqual(p.selectComponent('#s'), { answer: 42 });
  assert.equal(p.selectComponent('#none'), null);
});

test('usingComponents paths: relative, absolute, app.json\'s global ones and npm packages', () => {
  const run = phone({
    'app.json': JSON.stringify({ pages: ['pages/p/p'], usingComponents: { 'g-badge': '/components/badge/badge' } }),
    'app.js': 'App({})',
    'pages/p/p.wxml': '<van-button>Pay</van-button><g-badge/><local/>',
    'pages/p/p.js': 'Page({})',
    'pages/p/p.json': JSON.stringify({ usingComponents: { 'van-button': '@vant/weapp/button/index', local: './local' } }),
    ...files({
      'miniprogram_npm/@vant/weapp/button/index': component("Component({ options: { virtualHost: true } })", '<button class="van-button"><slot/></button>'),
      'components/badge/badge': component('Component({})', '<text>badge</text>'),
      'pages/p/local': component('Component({})', '<text>local</text>'),
    }),
  });
  const p = run.runtime.launch();
  assert.deepEqual(run.recorder.errors, []);
  assert.equal(shown(p.__host), 'Paybadgelocal');
  assert.equal(p.__host.querySelector('van-button').style.display, 'contents');
});

test('a WeChat component mp-sim lacks and a usingComponents path that leads nowhere are named; an unknown tag is drawn plain with a warning', () => {
  const missing = page('<view>\n<camera/></view>', 'Page({})');
  assert.match(missing.recorder.errors[0].message, /pages\/p\/p.wxml:2: <camera> is neither one of WeChat's components mp-sim renders .* nor a custom component in usingComponents \(of pages\/p\/p.json or app.json\)/);
  const unknown = page('<view>\n<pay-sheet><text>¥9.90</text></pay-sheet><pay-sheet/></view>', 'Page({})');
  assert.deepEqual(unknown.recorder.errors, []);
  assert.equal(unknown.pagesElement.querySelector('wx-pay-sheet').textContent, '¥9.90');
  assert.equal(unknown.recorder.warnings.length, 1, 'one warning however often it is drawn');
  assert.match(unknown.recorder.warnings[0].message, /pages\/p\/p.wxml:2: <pay-sheet> is not a WeChat component nor in usingComponents; drawn as a plain element, as WeChat does/);
  const lost = page('<sheet/>', 'Page({})', {}, { sheet: '../../components/sheet/sheet' });
  assert.match(lost.recorder.errors[0].message, /pages\/p\/p.json: usingComponents "sheet": "..\/..\/components\/sheet\/sheet" is not a component of the Mini Program \(looked for components\/sheet\/sheet.js\)/);
});

test('a page built with Component(): methods are its handlers, properties take the query', () => {
  const run = phone({
    'app.json': JSON.stringify({ pages: ['pages/c/c'] }),
    'app.js': 'App({})',
    'pages/c/c.wxml': '<text class="t">plan {{planId}} {{state}}</text><button class="b" bindtap="go">go</button>',
    'pages/c/c.js': `Component({ properties: { planId: Number }, data: { state: 'new' },
      methods: { onLoad(q) { this.setData({ state: 'loaded ' + q.planId }); }, go() { this.setData({ state: 'tapped' }); } } })`,
  });
  const p = run.runtime.launch('pages/c/c', { planId: '101' });
  assert.equal(p.__host.querySelector('.t').textContent, 'plan 101 loaded 101');
  p.__host.querySelector('.b').click();
  assert.equal(p.data.state, 'tapped');
});

test('templates: <template is data> from the file and its imports; <include> brings content; wxs modules run with WXS rules', () => {
  const { root, recorder } = page(
    `<import src="/templates/money.wxml"/>
<include src="../../templates/header.wxml"/>
<wxs module="fmt">
var re = getRegExp('(\\\\d)(?=(\\\\d{3})+$)', 'g');
module.exports = { big: function (n) { return (n + '').replace(re, '$1,'); }, sneaky: typeof wx };
</wxs>
<template name="row"><text class="row">{{label}}: {{fmt.big(value)}}</text></template>
<template is="row" data="{{label: 'total', value: total}}"/>
<template is="money" data="{{...order}}"/>
<text class="sneaky">{{fmt.sneaky}}</text>`,
    "Page({ data: { total: 1234567, order: { fen: 990 } } })",
    {
      'templates/money.wxml': '<wxs module="m" src="./money.wxs"/><template name="money"><text class="money">{{m.yuan(fen)}}</text></template>',
      'templates/money.wxs': "var util = require('./util.wxs'); module.exports = { yuan: function (fen) { return util.prefix + (fen / 100).toFixed(2); } };",
      'templates/util.wxs': "module.exports = { prefix: '¥' };",
      'templates/header.wxml': '<view class="header">Plans</view><template name="hidden"><text>never</text></template>',
    },
  );
  assert.deepEqual(recorder.errors, []);
  assert.equal(root.querySelector('.header').textContent, 'Plans');
  assert.equal(root.querySelector('.row').textContent, 'total: 1,234,567');
  assert.equal(root.querySelector('.money').textContent, '¥9.90');
  assert.equal(root.querySelector('.sneaky').textContent, 'undefined');
});

test('model: binds an input both ways', () => {
  const { page: p, root, window } = page('<input class="i" model:value="{{name}}"/>', "Page({ data: { name: 'a' } })");
  const input = root.querySelector('.i');
  assert.equal(input.value, 'a');
  input.value = 'ann';
  input.dispatchEvent(new window.Event('input', { bubbles: true }));
  assert.equal(p.data.name, 'ann');
});

test('a custom tab bar is the app\'s component, reached with getTabBar()', async () => {
  const run = phone({
    'app.json': JSON.stringify({ pages: ['pages/home/home', 'pages/mine/mine'], tabBar: { custom: true, list: [{ pagePath: 'pages/home/home', text: 'Home' }, { pagePath: 'pages/mine/mine', text: 'Mine' }] } }),
    'app.js': 'App({})',
    'pages/home/home.wxml': '<text>home</text>',
    'pages/home/home.js': 'Page({ onShow() { this.getTabBar().setData({ selected: 0 }); } })',
    'pages/mine/mine.wxml': '<text>mine</text>',
    'pages/mine/mine.js': 'Page({ onShow() { this.getTabBar().setData({ selected: 1 }); } })',
    ...files({
      'custom-tab-bar/index': component(
        "Component({ data: { selected: 0, list: ['pages/home/home', 'pages/mine/mine'] }, methods: { go(e) { wx.switchTab({ url: '/' + this.data.list[e.currentTarget.dataset.i] }); } } })",
        '<view wx:for="{{list}}" wx:key="*this" class="tab {{selected === index ? \'on\' : \'\'}}" data-i="{{index}}" bindtap="go">{{index}}</view>',
      ),
    }),
  }, { wx: { switchTab: (a) => run.runtime.navigation.switchTab(a) } });
  const home = run.runtime.launch();
  assert.equal(run.tabBarElement.hidden, true);
  assert.equal(home.__host.querySelector('custom-tab-bar .on').textContent, '0');
  home.__host.querySelectorAll('custom-tab-bar .tab')[1].click();
  await tick();
  const mine = run.runtime.top();
  assert.equal(mine.route, 'pages/mine/mine');
  assert.equal(mine.__host.querySelector('custom-tab-bar .on').textContent, '1');
  assert.deepEqual(run.recorder.errors, []);
});

test('wx:key naming a field the items lack, or a key given twice, keeps every element in place', () => {
  const { page: p, root } = page(
    '<view wx:for="{{list}}" wx:key="index" class="row">{{item.name}}</view><view wx:for="{{dups}}" wx:key="id" class="dup">{{item.n}}</view>',
    "Page({ data: { list: [{ name: 'a' }, { name: 'b' }], dups: [{ id: 1, n: 'x' }, { id: 1, n: 'y' }] } })",
  );
  const rows = [...root.querySelectorAll('.row')];
  const dups = [...root.querySelectorAll('.dup')];
  p.setData({ 'list[1].name': 'c', 'dups[1].n': 'z' });
  assert.deepEqual([...root.querySelectorAll('.row')], rows);
  assert.deepEqual([...root.querySelectorAll('.dup')], dups);
  assert.deepEqual(rows.map((r) => r.textContent), ['a', 'c']);
  assert.deepEqual(dups.map((r) => r.textContent), ['x', 'z']);
});

test('components that keep setting data while the page renders are stopped and named, not left to hang', () => {
  const { recorder, page: p } = page(
    '<echo n="{{n}}"/>',
    'Page({ data: { n: 1 } })',
    files({
      'components/echo/echo': component(
        "Component({ properties: { n: { type: Number, observer(n) { getCurrentPages()[0].setData({ n: n + 1 }); } } } })",
        '<text>{{n}}</text>',
      ),
    }),
    { echo: '/components/echo/echo' },
  );
  assert.match(recorder.errors.at(-1).message, /rendering did not settle after 100 rounds: (components\/echo\/echo, pages\/p\/p|pages\/p\/p, components\/echo\/echo) kept setting data while the page rendered/);
  assert.ok(p.data.n > 100);
});
