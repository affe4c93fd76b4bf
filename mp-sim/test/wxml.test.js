import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../runtime/wxml/parse.js';
import { render } from '../runtime/wxml/render.js';
import { interpolate } from '../runtime/expr.js';
import { toCss, rpxToPx } from '../runtime/wxss.js';

const view = (source, data) => render(parse(source, 't.wxml'), data);
const texts = (vnodes) => vnodes.map((v) => ('text' in v ? v.text : texts(v.children))).join('|');

test('bindings evaluate expressions against data', () => {
  assert.equal(interpolate('{{amount / 100}} 元', { amount: 990 }), '9.9 元');
  assert.equal(interpolate('{{loading}}', { loading: false }), false);
  assert.equal(interpolate('{{a.b[1]}}', { a: { b: [1, 2] } }), 2);
  assert.equal(interpolate('{{missing}}x', {}), 'x');
  assert.equal(interpolate("{{ok ? '是' : '否'}}", { ok: true }), '是');
});

test('elements, text and classes render with wx- names', () => {
  const [v] = view('<view class="box {{c}}" style="width: 750rpx"><text>积分 {{n}}</text></view>', { c: 'on', n: 3 });
  assert.equal(v.tag, 'wx-view');
  assert.equal(v.attrs.class, 'box on');
  assert.equal(v.children[0].tag, 'wx-text');
  assert.equal(v.children[0].children[0].text, '积分 3');
  assert.equal(rpxToPx(v.attrs.style), 'width: 375px');
});

test('wx:if, wx:elif and wx:else pick one branch', () => {
  const source = '<view wx:if="{{n > 1}}">many</view><view wx:elif="{{n === 1}}">one</view><view wx:else>none</view>';
  assert.equal(texts(view(source, { n: 5 })), 'many');
  assert.equal(texts(view(source, { n: 1 })), 'one');
  assert.equal(texts(view(source, { n: 0 })), 'none');
  assert.throws(() => view('<view wx:else>x</view>', {}), /must follow an element with wx:if/);
});

test('wx:for repeats with item, index, custom names and keys', () => {
  const list = [{ id: 7, name: 'a' }, { id: 8, name: 'b' }];
  assert.equal(texts(view('<view wx:for="{{list}}" wx:key="id">{{index}}:{{item.name}}</view>', { list })), '0:a|1:b');
  const custom = view('<block wx:for="{{list}}" wx:for-item="p" wx:for-index="i"><text>{{i}}{{p.name}}</text></block>', { list });
  assert.equal(texts(custom), '0a|1b');
  assert.deepEqual(view('<view wx:for="{{list}}" wx:key="id"/>', { list }).map((v) => v.key), ['number:7', 'number:8']);
});

test('events and data-* become handlers and a camel-cased dataset', () => {
  const [v] = view('<button bindtap="pay" catch:input="typed" data-order-id="{{id}}" disabled="{{busy}}" loading>付</button>', { id: 12, busy: true });
  assert.deepEqual(v.events.tap, { handler: 'pay', catch: false, mut: false, owner: null });
  assert.deepEqual(v.events.input, { handler: 'typed', catch: true, mut: false, owner: null });
  assert.deepEqual(v.dataset, { orderId: 12 });
  assert.equal(v.attrs.disabled, true);
  assert.equal(v.attrs.loading, true);
});

test('a data-* name keeps no capitals: data-hasStock is dataset.hasstock, as in WeChat', () => {
  const [v] = view('<view data-hasStock="{{true}}" data-spec-Id="7"/>', {});
  assert.deepEqual(v.dataset, { hasstock: true, specId: '7' });
});

test('input and image use real HTML elements', () => {
  const [input, image] = view('<input value="{{v}}" placeholder="金额"/><image src="/a.png" mode="aspectFit"/>', { v: '1' });
  assert.equal(input.tag, 'input');
  assert.equal(input.attrs.value, '1');
  assert.equal(image.tag, 'img');
});

test('parse errors name file, line and column', () => {
  assert.throws(() => parse('<view>\n  <text>x</view>', 'pages/a.wxml'), /pages\/a.wxml:2:10: <\/view> found where <\/text> \(opened on line 2\) was expected/);
  assert.throws(() => parse('<view>', 'a.wxml'), /<view> opened on line 1 is never closed/);
  assert.throws(() => view('<view>\n<camera/></view>', {}), /page.wxml:2: <camera> is neither one of WeChat's components mp-sim renders \(view, text, .*\) nor a custom component in usingComponents/);
  assert.throws(() => parse('<view class=x/>', 'a.wxml'), /must be quoted/);
});

test('text keeps < and > inside bindings and decodes entities', () => {
  assert.equal(texts(view('<text>{{a < b ? "lt" : "ge"}} &amp; more</text>', { a: 1, b: 2 })), 'lt & more');
});

test('WXSS tag selectors target wx- elements and rpx becomes px', () => {
  assert.equal(toCss('view .a, button{margin: 20rpx}'), 'wx-view .a, wx-button{margin: 10px}');
  assert.equal(toCss('.view-x text.t { color: red }'), '.view-x wx-text.t { color: red }');
});

test('a binding may hold escaped quotes of its attribute\'s kind, as WeChat\'s compiler allows', () => {
  const [node] = view(`<rich-text nodes="{{s ? '<span class=\\"hot\\">' + s + '</span>' : ''}}"></rich-text>`, { s: '物理' });
  assert.equal(node.attrs.nodes, '<span class="hot">物理</span>');
  assert.throws(() => parse('<view a="{{x}}></view>', 'a.wxml'), /never closed/);
});
