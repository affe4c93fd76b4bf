// Every asynchronous wx API mp-sim implements, called both ways: with callbacks (success or
// fail with `errMsg` "<api>:ok" / "<api>:fail …", then complete) and, where the base library
// promisifies it, without (a Promise resolving or rejecting with the same shape). One sample
// call per API, so an API added later is covered by this test the moment it exists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWx } from '../runtime/wx/index.js';
import { User } from '../runtime/wx/user.js';

const noNav = {
  navigateTo: async () => ({}),
  redirectTo: async () => ({}),
  reLaunch: async () => ({}),
  switchTab: async () => ({}),
  navigateBack: async () => ({}),
  setTitle: () => {},
};

/** Arguments a valid call needs; APIs not listed take `{}`. */
const SAMPLES = {
  setStorage: { key: 'k', data: 1 },
  getStorage: { key: 'k' },
  removeStorage: { key: 'k' },
  showToast: { title: 't' },
  showLoading: { title: 't' },
  setNavigationBarTitle: { title: 't' },
  navigateTo: { url: '/pages/a/a' },
  redirectTo: { url: '/pages/a/a' },
  reLaunch: { url: '/pages/a/a' },
  switchTab: { url: '/pages/a/a' },
  setClipboardData: { data: 'x' },
  makePhoneCall: { phoneNumber: '10086' },
  authorize: { scope: 'scope.userLocation' },
  setNavigationBarColor: { frontColor: '#ffffff', backgroundColor: '#07c160' },
  previewImage: { urls: ['/a.png'] },
  previewMedia: { sources: [{ url: '/a.png' }] },
  saveImageToPhotosAlbum: { filePath: 'blob:x' },
  getUserProfile: { desc: '完善资料' },
  requestSubscribeMessage: { tmplIds: ['t1'] },
  openLocation: { latitude: 23.1, longitude: 113.3 },
  setScreenBrightness: { value: 0.5 },
  navigateToMiniProgram: { appId: 'wx123' },
  requestMerchantTransfer: { mchId: '1', package: 'p' },
  getShareInfo: { shareTicket: 't' },
  pageScrollTo: { scrollTop: 0 },
};

/** Called elsewhere with their own servers, sheets or views. */
const ELSEWHERE = new Set([
  'request', 'downloadFile', 'uploadFile', 'connectSocket', 'sendSocketMessage', 'closeSocket',
  'requestPayment', 'requestOrderPayment', 'login', 'showModal', 'showActionSheet',
  'getImageInfo', 'saveFile', 'getFileInfo', 'removeSavedFile', 'compressImage', 'openDocument',
  'canvasToTempFilePath', 'scanCode',
]);

function build() {
  const user = new User();
  user.scanned = 'code';
  return createWx({ navigation: noNav, user }).wx;
}

const asyncNames = Object.keys(build()).filter((name) => typeof build()[name] === 'function' && build()[name].name === 'wxApi' && !ELSEWHERE.has(name)).sort();

test('the convention covers a broad set of APIs', () => {
  assert.ok(asyncNames.length >= 60, `only ${asyncNames.length}: ${asyncNames.join(', ')}`);
});

for (const name of asyncNames) {
  test(`wx.${name}: callbacks then complete, and a Promise, both with "${name}:…" errMsg`, async () => {
    const wx = build();
    const args = SAMPLES[name] ?? {};
    const order = [];
    const res = await new Promise((resolve) => {
      wx[name]({
        ...args,
        success: (r) => order.push(['success', r]),
        fail: (r) => order.push(['fail', r]),
        complete: (r) => {
          order.push(['complete', r]);
          resolve(order);
        },
      });
    });
    assert.equal(res.length, 2, `one of success/fail, then complete: ${JSON.stringify(res)}`);
    const [[which, first], [last, completeRes]] = res;
    assert.equal(last, 'complete');
    assert.match(first.errMsg, new RegExp(`^${name}:(ok|fail)`), JSON.stringify(first));
    assert.equal(which === 'success', first.errMsg === `${name}:ok`);
    assert.deepEqual(completeRes, first);
    // Without callbacks: the same answer through a Promise (where WeChat promisifies it).
    const promised = wx[name]({ ...args });
    if (promised === undefined) return;
    const settled = await promised.then((r) => ['ok', r], (r) => ['fail', r]);
    assert.match(settled[1].errMsg, new RegExp(`^${name}:(ok|fail)`));
    assert.equal(settled[0] === 'ok', settled[1].errMsg === `${name}:ok`);
  });
}
