import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWx } from '../runtime/wx/index.js';
import { AppLife } from '../runtime/wx/app_life.js';

const noNav = { navigateTo: async () => ({}) };

// Calls `api` with callbacks; resolves with what success/fail and complete received.
function callback(wx, api, args = {}) {
  return new Promise((resolve) => {
    const seen = {};
    wx[api]({
      ...args,
      success: (r) => { seen.success = r; },
      fail: (r) => { seen.fail = r; },
      complete: (r) => { seen.complete = r; resolve(seen); },
    });
  });
}

test('the update manager has no update, and App.onLaunch can use it as apps do', async () => {
  const { wx } = createWx({ navigation: noNav });
  const manager = wx.getUpdateManager();
  const checked = await new Promise((resolve) => manager.onCheckForUpdate(resolve));
  assert.deepEqual(checked, { hasUpdate: false });
  assert.doesNotThrow(() => { manager.onUpdateReady(() => manager.applyUpdate()); manager.onUpdateFailed(() => {}); });
});

test('launch and enter options are what App.onLaunch received; no ext config', async () => {
  const appLife = new AppLife(() => ({ path: 'pages/pay/pay', query: { id: '7' }, scene: 1001, referrerInfo: {} }));
  const { wx } = createWx({ navigation: noNav, appLife });
  assert.deepEqual(wx.getLaunchOptionsSync(), { path: 'pages/pay/pay', query: { id: '7' }, scene: 1001, referrerInfo: {} });
  assert.equal(wx.getEnterOptionsSync().path, 'pages/pay/pay');
  assert.deepEqual(wx.getExtConfigSync(), {});
  assert.deepEqual(await wx.getExtConfig(), { errMsg: 'getExtConfig:ok', extConfig: {} });
});

test('app-level listeners hear their events and can be removed', () => {
  const { wx, appLife } = createWx({ navigation: noNav });
  const heard = [];
  const onShow = (o) => heard.push(['show', o.scene]);
  wx.onAppShow(onShow);
  wx.onError((e) => heard.push(['error', e]));
  appLife.emit('AppShow', { scene: 1001 });
  appLife.emit('Error', 'boom');
  wx.offAppShow(onShow);
  appLife.emit('AppShow', { scene: 1002 });
  assert.deepEqual(heard, [['show', 1001], ['error', 'boom']]);
  assert.throws(() => wx.onAppHide('not a function'), /wx.onAppHide needs a function/);
});

test('the clipboard keeps what was copied and WeChat shows its toast', async () => {
  const { wx, interaction } = createWx({ navigation: noNav });
  const copied = await callback(wx, 'setClipboardData', { data: 'ORDER-7' });
  assert.deepEqual(copied.success, { errMsg: 'setClipboardData:ok', data: 'ORDER-7' });
  assert.equal(copied.complete.errMsg, 'setClipboardData:ok');
  assert.equal(interaction.toast.title, '内容已复制');
  assert.deepEqual(await wx.getClipboardData(), { errMsg: 'getClipboardData:ok', data: 'ORDER-7' });
  const bad = await callback(wx, 'setClipboardData', { data: 7 });
  assert.equal(bad.fail.errMsg, 'setClipboardData:fail parameter error: parameter.data should be String');
  assert.equal(bad.success, undefined);
});

test('permissions: granted when asked, unless the scenario makes the user refuse; openSetting turns them on', async () => {
  const { wx, device } = createWx({ navigation: noNav });
  assert.deepEqual(await wx.getSetting(), { errMsg: 'getSetting:ok', authSetting: {} });
  assert.deepEqual(await wx.authorize({ scope: 'scope.writePhotosAlbum' }), { errMsg: 'authorize:ok' });
  device.deny('scope.userLocation');
  await assert.rejects(wx.authorize({ scope: 'scope.userLocation' }), { errMsg: 'authorize:fail auth deny' });
  assert.deepEqual((await wx.getSetting()).authSetting, { 'scope.writePhotosAlbum': true, 'scope.userLocation': false });
  await assert.rejects(wx.authorize({ scope: 'userLocation' }), { errMsg: 'authorize:fail parameter error: parameter.scope should be a scope.* name' });
});

test('phone calls, vibration and the network answer ok; a call needs a number', async () => {
  const { wx } = createWx({ navigation: noNav });
  assert.deepEqual(await wx.makePhoneCall({ phoneNumber: '4001234567' }), { errMsg: 'makePhoneCall:ok' });
  await assert.rejects(wx.makePhoneCall({}), { errMsg: 'makePhoneCall:fail parameter error: parameter.phoneNumber should be String' });
  assert.equal((await wx.vibrateShort({ type: 'light' })).errMsg, 'vibrateShort:ok');
  assert.equal((await wx.getNetworkType()).networkType, 'wifi');
});

test('pull-down refresh, the navigation bar and page scrolling reach the view; bad colours fail as in WeChat', async () => {
  const seen = [];
  const { wx } = createWx({ navigation: noNav });
  const { wx: wx2 } = createWx({ navigation: noNav, pageUi: new (await import('../runtime/wx/page_ui.js')).PageUi({ navigationLoading: (on) => seen.push(`loading ${on}`), scrollTo: (a) => seen.push(`scroll ${a.scrollTop}`) }) });
  assert.equal((await wx.stopPullDownRefresh()).errMsg, 'stopPullDownRefresh:ok');
  await wx2.showNavigationBarLoading();
  await wx2.hideNavigationBarLoading();
  await wx2.pageScrollTo({ scrollTop: 0, duration: 0 });
  assert.deepEqual(seen, ['loading true', 'loading false', 'scroll 0']);
  await assert.rejects(wx.setNavigationBarColor({ frontColor: '#ff0000', backgroundColor: '#ffffff' }), { errMsg: 'setNavigationBarColor:fail invalid frontColor' });
  await assert.rejects(wx.previewImage({ urls: [] }), { errMsg: 'previewImage:fail parameter error: parameter.urls should be a non-empty Array' });
  assert.equal((await wx.previewImage({ urls: ['/a.png'] })).errMsg, 'previewImage:ok');
});

test('every new call is recorded', async () => {
  const { wx, recorder } = createWx({ navigation: noNav });
  wx.getUpdateManager();
  await wx.vibrateLong();
  wx.reportAnalytics('paid', { amount: 1 });
  assert.deepEqual(recorder.calls.map((c) => c.api), ['getUpdateManager', 'vibrateLong', 'reportAnalytics']);
});
