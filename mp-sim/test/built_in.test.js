// WeChat's built-in components in happy-dom: drawn with their roles and states, driven by
// clicks as WebDriver drives them in Chromium, firing WeChat's events with WeChat's detail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phone, tick } from './phone.js';

/** A one-page Mini Program: `wxml` and the page's `js` (a Page() call). */
function page(wxml, js = 'Page({ data: {} })') {
  const run = phone({
    'app.json': JSON.stringify({ pages: ['pages/p/p'] }),
    'app.js': 'App({})',
    'pages/p/p.wxml': wxml,
    'pages/p/p.js': js,
  });
  const instance = run.runtime.launch();
  const $ = (css) => run.pagesElement.querySelector(css);
  const $$ = (css) => [...run.pagesElement.querySelectorAll(css)];
  return { ...run, page: instance, $, $$ };
}

const RECORD = "record(e) { this.data.events.push([e.type, e.detail]); }";

test('checkbox-group: a tap toggles a checkbox and the group sends every checked value', () => {
  const { page: p, $$ } = page(
    '<checkbox-group bindchange="record"><label wx:for="{{items}}" wx:key="v"><checkbox value="{{item.v}}" checked="{{item.on}}"/>{{item.t}}</label></checkbox-group>',
    `Page({ data: { events: [], items: [{ v: 'rice', t: '米饭', on: true }, { v: 'tea', t: '茶' }, { v: 'soup', t: '汤' }] }, ${RECORD} })`,
  );
  const boxes = $$('wx-checkbox');
  assert.deepEqual(boxes.map((b) => [b.getAttribute('role'), b.getAttribute('aria-checked')]), [['checkbox', 'true'], ['checkbox', 'false'], ['checkbox', 'false']]);
  boxes[2].click();
  $$('wx-label')[1].click(); // the label's text: a tap on its checkbox
  assert.deepEqual(p.data.events, [['change', { value: ['rice', 'soup'] }], ['change', { value: ['rice', 'tea', 'soup'] }]]);
  boxes[0].click();
  assert.deepEqual(p.data.events[2], ['change', { value: ['tea', 'soup'] }]);
});

test('radio-group: a tap checks one radio, unchecks the others, and a checked radio stays checked', () => {
  const { page: p, $$ } = page(
    '<radio-group bindchange="record"><radio value="wechat" checked/>微信支付<radio value="balance"/>余额</radio-group>',
    `Page({ data: { events: [] }, ${RECORD} })`,
  );
  const [wechat, balance] = $$('wx-radio');
  balance.click();
  assert.deepEqual([wechat.getAttribute('aria-checked'), balance.getAttribute('aria-checked')], ['false', 'true']);
  balance.click();
  assert.deepEqual(p.data.events, [['change', { value: 'balance' }]]);
});

test('switch: a tap flips it and sends the new value; the data sets it; disabled ignores taps', () => {
  const { page: p, $$ } = page(
    '<switch class="a" checked="{{on}}" bindchange="record"/><switch class="b" disabled bindchange="record"/>',
    `Page({ data: { events: [], on: false }, ${RECORD} })`,
  );
  const [a, b] = $$('wx-switch');
  assert.equal(a.getAttribute('role'), 'switch');
  a.click();
  assert.deepEqual(p.data.events, [['change', { value: true }]]);
  p.setData({ on: false });
  assert.equal(a.getAttribute('aria-checked'), 'true', 'unchanged data leaves it (WeChat\'s well-known gotcha)');
  p.setData({ on: true });
  p.setData({ on: false });
  assert.equal(a.getAttribute('aria-checked'), 'false');
  b.click();
  assert.equal(p.data.events.length, 1);
});

test('form: submit sends every named field\'s value (nested ones too); reset restores the data\'s values', () => {
  const { page: p, $, $$, window } = page(
    `<form bindsubmit="record" bindreset="record">
       <input name="name" value="{{name}}"/>
       <view><switch name="invoice"/></view>
       <checkbox-group name="extras"><checkbox value="card" checked/><checkbox value="bag"/></checkbox-group>
       <radio-group name="pay"><radio value="wechat" checked/><radio value="balance"/></radio-group>
       <slider name="tip" min="0" max="10" value="2"/>
       <picker name="size" range="{{sizes}}" value="1"><view>size</view></picker>
       <textarea name="note" value=""/>
       <input value="not named"/>
       <button form-type="submit">提交</button><button form-type="reset">重置</button>
     </form>`,
    `Page({ data: { events: [], name: '张三', sizes: ['S', 'M', 'L'] }, ${RECORD} })`,
  );
  const input = $('input[name="name"]');
  input.value = '李四';
  input.dispatchEvent(new window.Event('input', { bubbles: true }));
  $('wx-switch').click();
  $$('wx-checkbox')[1].click();
  $$('wx-radio')[1].click();
  $$('wx-button')[0].click();
  assert.deepEqual(p.data.events[0], ['submit', { value: { name: '李四', invoice: true, extras: ['card', 'bag'], pay: 'balance', tip: 2, size: '1', note: '' }, target: { id: '', dataset: {} } }]);
  $$('wx-button')[1].click();
  assert.deepEqual(p.data.events[1], ['reset', {}]);
  assert.deepEqual([input.value, $('wx-switch').getAttribute('aria-checked'), $$('wx-radio')[0].getAttribute('aria-checked')], ['张三', 'false', 'true']);
});

test('picker selector: a tap opens the sheet; an option and 确定 send the index; 取消 sends cancel', async () => {
  const { page: p, $, $$ } = page(
    '<picker range="{{cities}}" range-key="name" value="{{i}}" bindchange="record" bindcancel="record"><view>{{cities[i].name}}</view></picker>',
    `Page({ data: { events: [], i: 0, cities: [{ name: '北京' }, { name: '上海' }, { name: '广州' }] }, ${RECORD} })`,
  );
  $('wx-picker wx-view').click();
  await tick();
  assert.deepEqual($$('wx-picker-option').map((o) => [o.textContent, o.getAttribute('aria-selected')]), [['北京', 'true'], ['上海', 'false'], ['广州', 'false']]);
  $$('wx-picker-option')[2].click();
  $('wx-picker-bar [data-action="confirm"]').click();
  assert.deepEqual(p.data.events, [['change', { value: '2' }]]);
  assert.equal($('wx-picker-sheet'), null, 'the sheet closed');
  $('wx-picker').click();
  await tick();
  $('wx-picker-bar [data-action="cancel"]').click();
  assert.deepEqual(p.data.events[1], ['cancel', {}]);
});

test('picker multiSelector: columnchange as a column moves, the app may change a column, change sends indexes', async () => {
  const { page: p, $, $$ } = page(
    '<picker mode="multiSelector" range="{{range}}" value="{{v}}" bindcolumnchange="column" bindchange="record"><view>pick</view></picker>',
    `Page({ data: { events: [], v: [0, 0], range: [['水果', '饮料'], ['苹果', '香蕉']] }, ${RECORD},
       column(e) { this.data.events.push(['columnchange', e.detail]); if (e.detail.column === 0) this.setData({ 'range[1]': e.detail.value === 1 ? ['可乐', '茶', '咖啡'] : ['苹果', '香蕉'] }); } })`,
  );
  $('wx-picker').click();
  await tick();
  $$('wx-picker-column')[0].children[1].click();
  await tick();
  assert.deepEqual($$('wx-picker-column')[1].children.length, 3, 'the second column followed the app');
  $$('wx-picker-column')[1].children[2].click();
  $('wx-picker-bar [data-action="confirm"]').click();
  assert.deepEqual(p.data.events, [['columnchange', { column: 0, value: 1 }], ['columnchange', { column: 1, value: 2 }], ['change', { value: [1, 2] }]]);
});

test('picker date and time: columns within start and end, the value as WeChat formats it', async () => {
  const { page: p, $, $$ } = page(
    '<picker class="d" mode="date" value="2026-11-30" start="2026-01-01" end="2027-06-30" bindchange="record"><view>date</view></picker><picker class="t" mode="time" value="09:30" bindchange="record"><view>time</view></picker>',
    `Page({ data: { events: [] }, ${RECORD} })`,
  );
  $('wx-picker.d').click();
  await tick();
  const columns = () => $$('wx-picker-column');
  assert.deepEqual(columns()[0].textContent, '2026年2027年');
  assert.equal(columns()[2].querySelector('[aria-selected="true"]').textContent, '30日');
  columns()[0].children[1].click(); // 2027: months up to June
  await tick();
  assert.equal(columns()[1].children.length, 6);
  columns()[1].children[1].click(); // February 2027: 28 days
  await tick();
  assert.equal(columns()[2].children.length, 28);
  $('wx-picker-bar [data-action="confirm"]').click();
  $('wx-picker.t').click();
  await tick();
  assert.equal(columns()[1].querySelector('[aria-selected="true"]').textContent, '30');
  columns()[0].children[14].click();
  $('wx-picker-bar [data-action="confirm"]').click();
  assert.deepEqual(p.data.events, [['change', { value: '2027-02-01' }], ['change', { value: '14:00' }]]);
});

test('picker region: provinces, their cities and counties; change sends names, codes and postcode', async () => {
  const { page: p, $, $$ } = page(
    '<picker mode="region" value="{{region}}" bindchange="record"><view>region</view></picker>',
    `Page({ data: { events: [], region: ['广东省', '广州市', '海珠区'] }, ${RECORD} })`,
  );
  $('wx-picker').click();
  await tick();
  await tick();
  const selected = () => $$('wx-picker-column').map((c) => c.querySelector('[aria-selected="true"]')?.textContent);
  assert.deepEqual(selected(), ['广东省', '广州市', '海珠区']);
  const counties = $$('wx-picker-column')[2];
  [...counties.children].find((o) => o.textContent === '天河区').click();
  $('wx-picker-bar [data-action="confirm"]').click();
  assert.deepEqual(p.data.events, [['change', { value: ['广东省', '广州市', '天河区'], code: ['440000', '440100', '440106'], postcode: '440100' }]]);
});

test('picker-view: tapping an item of a column selects it and sends pickstart, change, pickend', () => {
  const { page: p, $$ } = page(
    '<picker-view value="{{v}}" bindchange="record" bindpickstart="record" bindpickend="record"><picker-view-column><view wx:for="{{years}}" wx:key="*this">{{item}}</view></picker-view-column><picker-view-column><view>1月</view><view>2月</view></picker-view-column></picker-view>',
    `Page({ data: { events: [], v: [1, 0], years: ['2025', '2026', '2027'] }, ${RECORD} })`,
  );
  const [years, months] = $$('wx-picker-view-column');
  assert.equal(years.querySelector('[aria-selected="true"]').textContent, '2026');
  months.children[1].click();
  assert.deepEqual(p.data.events, [['pickstart', {}], ['change', { value: [1, 1] }], ['pickend', {}]]);
});

test('slider and progress: a moved slider sends changing and change as numbers; progress shows its percent', (t) => {
  const { page: p, $, window } = page(
    '<slider min="0" max="50" step="5" value="10" show-value bindchanging="record" bindchange="record"/><progress percent="{{pct}}" show-info/>',
    `Page({ data: { events: [], pct: 30 }, ${RECORD} })`,
  );
  const range = $('wx-slider input[type="range"]');
  assert.equal(range.value, '10');
  range.value = '25';
  range.dispatchEvent(new window.Event('input', { bubbles: true }));
  range.dispatchEvent(new window.Event('change', { bubbles: true }));
  assert.deepEqual(p.data.events, [['changing', { value: 25 }], ['change', { value: 25 }]]);
  assert.equal($('wx-slider-value').textContent, '25');
  assert.deepEqual([$('wx-progress').getAttribute('aria-valuenow'), $('wx-progress-info').textContent], ['30', '30%']);
  p.setData({ pct: 120 });
  assert.equal($('wx-progress').getAttribute('aria-valuenow'), '100');
  void t;
});

test('button open-types answer as the scenario\'s shopper: phone number allowed or refused, profile, share', () => {
  const { page: p, $$, user, recorder } = page(
    '<button open-type="getPhoneNumber" bindgetphonenumber="record">手机号</button><button open-type="share" data-id="7">分享</button><button open-type="getUserInfo" bindgetuserinfo="record">资料</button>',
    `Page({ data: { events: [] }, ${RECORD}, onShareAppMessage(e) { return { title: '一起拼单', path: '/pages/p/p?from=' + e.from + '&id=' + e.target.dataset.id }; } })`,
  );
  const [phoneButton, share, info] = $$('wx-button');
  phoneButton.click();
  assert.equal(p.data.events[0][0], 'getphonenumber');
  assert.equal(p.data.events[0][1].errMsg, 'getPhoneNumber:ok');
  assert.match(p.data.events[0][1].code, /^mp-sim-phone-/);
  user.refuse('phone number');
  phoneButton.click();
  assert.deepEqual(p.data.events[1], ['getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' }]);
  share.click();
  const shared = recorder.calls.find((c) => c.api === 'share');
  assert.deepEqual([shared.result.title, shared.result.path], ['一起拼单', '/pages/p/p?from=button&id=7']);
  info.click();
  assert.equal(p.data.events[2][1].userInfo.nickName, '微信用户');
});

test('video: the play button and the data drive it; its events fire; web-view refuses outside hosts by name', () => {
  const { page: p, $, recorder } = page(
    '<video id="ad" src="/ad.mp4" bindplay="record" bindpause="record"/><web-view src="https://outside.example/h5"/>',
    `Page({ data: { events: [] }, ${RECORD} })`,
  );
  const toggle = $('wx-video .mp-video-toggle');
  assert.equal(toggle.textContent, '播放');
  toggle.click();
  toggle.click();
  assert.deepEqual(p.data.events, [['play', {}], ['pause', {}]]);
  assert.match($('wx-web-view').textContent, /outside\.example\/h5 \(outside the machine, not loaded\)/);
  assert.match(recorder.errors.find((e) => e.where === 'web-view').message, /points outside the machine/);
  assert.equal($('wx-web-view iframe'), null);
});

test('cover-view and cover-image render; an animation\'s export moves its element', () => {
  const { page: p, $ } = page(
    '<cover-view class="c"><cover-image src="/x.png"/>封面</cover-view><view class="m" animation="{{a}}">m</view>',
    'Page({ data: { a: null } })',
  );
  assert.equal($('wx-cover-view img').getAttribute('src'), '/x.png');
  p.setData({ a: { actions: [{ animates: [{ type: 'translateX', args: [30] }], option: { transition: { duration: 200, timingFunction: 'linear', delay: 0 }, transformOrigin: '50% 50% 0' } }] } });
  assert.equal($('wx-view.m').style.transform, 'translateX(30px)');
});

test('contexts drive native stand-ins: a live player plays (statechange 2004), a video seeks; a contact-button records the contact', async () => {
  const { contexts } = await import('../runtime/built_in/contexts.js');
  const { Files } = await import('../runtime/wx/files.js');
  const run = page(
    '<live-player id="live" src="rtmp://127.0.0.1/live" bindstatechange="record"/><video id="v" bindseekcomplete="record"/><contact-button/>',
    `Page({ data: { events: [] }, ${RECORD} })`,
  );
  const native = contexts({
    root: () => run.runtime.top().__host,
    env: { dispatch: (owner, handler, event) => run.runtime.dispatch(owner, event.type, handler, event), services: run.services },
    files: new Files(),
  });
  native.livePlayer('live').play();
  native.video('v').seek(12);
  assert.deepEqual(run.page.data.events, [['statechange', { code: 2004, message: '视频播放开始' }], ['seekcomplete', { position: 12 }]]);
  native.video('missing').play(); // no such element: nothing happens, as in WeChat
  run.$('wx-contact-button').click();
  assert.equal(run.recorder.calls.find((c) => c.api === 'contact').result.errMsg, 'enterContact:ok');
});
