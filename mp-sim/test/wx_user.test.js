// The wx APIs where WeChat asks the shopper something (addresses, photos, places, profile,
// subscriptions, action sheets), files and sockets: callback and Promise styles, `complete`,
// and WeChat's failure wording.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createWx } from '../runtime/wx/index.js';
import { User, DEFAULT_ADDRESS } from '../runtime/wx/user.js';
import { createAnimation, animationStyle } from '../runtime/wx/animation.js';

const noNav = { navigateTo: async () => ({}) };

/** Calls `wx[name](args)` with callbacks; resolves `{ok, res, completed}`. */
function withCallbacks(wx, name, args = {}) {
  return new Promise((resolve) => {
    let outcome;
    wx[name]({
      ...args,
      success: (res) => { outcome = { ok: true, res }; },
      fail: (res) => { outcome = { ok: false, res }; },
      complete: () => resolve({ ...outcome, completed: true }),
    });
  });
}

test('chooseAddress answers the default address, the scenario\'s, and fails when refused or cancelled', async () => {
  const user = new User();
  const { wx } = createWx({ navigation: noNav, user });
  const first = await withCallbacks(wx, 'chooseAddress');
  assert.equal(first.ok, true);
  assert.equal(first.completed, true);
  assert.deepEqual(first.res, { errMsg: 'chooseAddress:ok', ...DEFAULT_ADDRESS });
  user.address = { ...user.address, userName: '李四', telNumber: '13800000000' };
  const second = await wx.chooseAddress();
  assert.equal(second.userName, '李四');
  user.cancel('wx.chooseAddress');
  await assert.rejects(wx.chooseAddress(), { errMsg: 'chooseAddress:fail cancel' });
  const refusing = new User();
  refusing.refuse('address');
  const other = createWx({ navigation: noNav, user: refusing }).wx;
  const refused = await withCallbacks(other, 'chooseAddress');
  assert.deepEqual([refused.ok, refused.res.errMsg], [false, 'chooseAddress:fail auth deny']);
  assert.deepEqual((await other.getSetting()).authSetting, { 'scope.address': false });
});

test('permission names in English and Chinese are scopes; an unknown name lists the known ones', () => {
  const user = new User();
  user.refuse('location');
  user.refuse('相册');
  user.refuse('scope.camera');
  assert.deepEqual([...user.refused], ['scope.userLocation', 'scope.writePhotosAlbum', 'scope.camera']);
  assert.throws(() => user.refuse('telepathy'), /"telepathy" is not a permission mp-sim knows; it knows "location", /);
});

test('a refused location fails getLocation and authorize alike, and stays refused after the settings page', async () => {
  const user = new User();
  user.refuse('位置');
  const { wx } = createWx({ navigation: noNav, user });
  await assert.rejects(wx.getLocation({ type: 'gcj02' }), { errMsg: 'getLocation:fail auth deny' });
  await assert.rejects(wx.authorize({ scope: 'scope.userLocation' }), { errMsg: 'authorize:fail auth deny' });
  assert.deepEqual((await wx.openSetting()).authSetting, { 'scope.userLocation': false });
  const allowed = createWx({ navigation: noNav }).wx;
  const where = await allowed.getLocation({ type: 'gcj02' });
  assert.equal(where.errMsg, 'getLocation:ok');
  assert.equal(typeof where.latitude, 'number');
  assert.deepEqual((await allowed.getSetting()).authSetting, { 'scope.userLocation': true });
});

test('chooseImage gives blob paths holding the photo; uploadFile sends them as multipart to the server', async () => {
  const seen = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ type: req.headers['content-type'], body: Buffer.concat(chunks).toString('latin1') });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"url":"/uploads/1.png"}');
    });
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  try {
    const { wx } = createWx({ navigation: noNav, fetch: globalThis.fetch });
    const chosen = await wx.chooseImage({ count: 1 });
    assert.equal(chosen.errMsg, 'chooseImage:ok');
    assert.match(chosen.tempFilePaths[0], /^blob:/);
    const bytes = new Uint8Array(await (await fetch(chosen.tempFilePaths[0])).arrayBuffer());
    assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
    assert.equal(chosen.tempFiles[0].size, bytes.length);
    const uploaded = await withCallbacks(wx, 'uploadFile', { url: `http://127.0.0.1:${srv.address().port}/upload`, filePath: chosen.tempFilePaths[0], name: 'avatar', formData: { order: '42' } });
    assert.equal(uploaded.ok, true);
    assert.deepEqual([uploaded.res.statusCode, uploaded.res.data], [201, '{"url":"/uploads/1.png"}']);
    assert.match(seen[0].type, /^multipart\/form-data; boundary=/);
    assert.match(seen[0].body, /name="order"\r\n\r\n42/);
    assert.match(seen[0].body, /name="avatar"; filename="photo.png"\r\nContent-Type: image\/png/);
    const missing = await withCallbacks(wx, 'uploadFile', { url: 'http://127.0.0.1:1/', filePath: 'blob:nothing', name: 'f' });
    assert.equal(missing.res.errMsg, 'uploadFile:fail no such file or directory, open blob:nothing');
    const user = new User();
    user.cancel('chooseImage');
    await assert.rejects(createWx({ navigation: noNav, user }).wx.chooseImage({}), { errMsg: 'chooseImage:fail cancel' });
  } finally {
    srv.close();
  }
});

test('downloadFile keeps the answer as a temporary file the file system manager reads', async () => {
  const srv = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('invoice #42');
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  try {
    const { wx } = createWx({ navigation: noNav, fetch: globalThis.fetch });
    const progress = [];
    const downloaded = await new Promise((resolve) => {
      const task = wx.downloadFile({ url: `http://127.0.0.1:${srv.address().port}/invoice.txt`, success: resolve });
      task.onProgressUpdate((p) => progress.push(p.progress));
    });
    assert.equal(downloaded.statusCode, 200);
    assert.deepEqual(progress, [100]);
    const fs = wx.getFileSystemManager();
    assert.equal(fs.readFileSync(downloaded.tempFilePath, 'utf8'), 'invoice #42');
    const saved = await withCallbacks(wx, 'saveFile', { tempFilePath: downloaded.tempFilePath });
    assert.match(saved.res.savedFilePath, /^http:\/\/usr\/saved-1-invoice\.txt$/);
    assert.equal((await wx.getFileInfo({ filePath: saved.res.savedFilePath })).size, 11);
  } finally {
    srv.close();
  }
});

test('the file system manager writes, reads, lists and removes under USER_DATA_PATH, both ways, with WeChat\'s errors', async () => {
  const { wx } = createWx({ navigation: noNav });
  const fs = wx.getFileSystemManager();
  const dir = `${wx.env.USER_DATA_PATH}/cache`;
  fs.mkdirSync(dir);
  fs.writeFileSync(`${dir}/cart.json`, '{"n":1}', 'utf8');
  fs.appendFileSync(`${dir}/cart.json`, ' ', 'utf8');
  assert.deepEqual(fs.readdirSync(dir), ['cart.json']);
  assert.equal(fs.statSync(`${dir}/cart.json`).size, 8);
  assert.equal(fs.statSync(dir).isDirectory(), true);
  const read = await withCallbacks(fs, 'readFile', { filePath: `${dir}/cart.json`, encoding: 'utf8' });
  assert.deepEqual([read.ok, read.res.data, read.res.errMsg], [true, '{"n":1} ', 'readFile:ok']);
  fs.writeFileSync(`${dir}/b.bin`, new Uint8Array([1, 2, 3]).buffer);
  assert.equal(fs.readFileSync(`${dir}/b.bin`, 'base64'), 'AQID');
  fs.unlinkSync(`${dir}/b.bin`);
  assert.throws(() => fs.readFileSync(`${dir}/b.bin`), { message: `readFileSync:fail no such file or directory, open ${dir}/b.bin` });
  assert.throws(() => fs.writeFileSync('/etc/passwd', 'x'), { message: 'writeFileSync:fail permission denied, open /etc/passwd' });
  const failed = await withCallbacks(fs, 'access', { path: `${dir}/nothing` });
  assert.deepEqual([failed.ok, failed.res.errMsg], [false, `access:fail no such file or directory ${dir}/nothing`]);
});

test('getUserProfile needs a desc and answers WeChat\'s anonymous profile; a refusal is auth deny', async () => {
  const { wx } = createWx({ navigation: noNav });
  await assert.rejects(wx.getUserProfile({}), { errMsg: 'getUserProfile:fail desc length does not meet the requirements' });
  const profile = await wx.getUserProfile({ desc: '用于完善会员资料' });
  assert.equal(profile.userInfo.nickName, '微信用户');
  assert.match(profile.userInfo.avatarUrl, /^data:image\/png;base64,/, 'no outside host');
  assert.deepEqual(JSON.parse(profile.rawData), profile.userInfo);
  const user = new User();
  user.refuse('user info');
  await assert.rejects(createWx({ navigation: noNav, user }).wx.getUserProfile({ desc: 'x' }), { errMsg: 'getUserProfile:fail auth deny' });
});

test('requestSubscribeMessage accepts each template unless the scenario refuses them', async () => {
  const { wx } = createWx({ navigation: noNav });
  assert.deepEqual(await wx.requestSubscribeMessage({ tmplIds: ['paid', 'shipped'] }), { errMsg: 'requestSubscribeMessage:ok', paid: 'accept', shipped: 'accept' });
  await assert.rejects(wx.requestSubscribeMessage({ tmplIds: [] }), { errMsg: "requestSubscribeMessage:fail TmplIds can't be empty" });
  const user = new User();
  user.refuse('订阅消息');
  const res = await createWx({ navigation: noNav, user }).wx.requestSubscribeMessage({ tmplIds: ['paid'] });
  assert.equal(res.paid, 'reject');
});

test('scanCode is cancelled unless the scenario gave a code; chooseLocation answers the shopper\'s place', async () => {
  const user = new User();
  const { wx } = createWx({ navigation: noNav, user });
  await assert.rejects(wx.scanCode({}), { errMsg: 'scanCode:fail cancel' });
  user.scanned = 'https://shop.example/table/7';
  assert.equal((await wx.scanCode({})).result, 'https://shop.example/table/7');
  const place = await wx.chooseLocation({});
  assert.deepEqual([place.errMsg, typeof place.name, typeof place.latitude], ['chooseLocation:ok', 'string', 'number']);
  await assert.rejects(wx.openLocation({ latitude: '23' }), { errMsg: 'openLocation:fail parameter error: latitude and longitude should be Number' });
});

test('showActionSheet waits for the shopper: a tap answers tapIndex, 取消 fails with cancel', async () => {
  const { wx, interaction } = createWx({ navigation: noNav });
  const picked = wx.showActionSheet({ itemList: ['微信支付', '余额支付'] });
  assert.deepEqual(interaction.actionSheet.itemList, ['微信支付', '余额支付']);
  interaction.answerActionSheet(1);
  assert.deepEqual(await picked, { errMsg: 'showActionSheet:ok', tapIndex: 1 });
  const cancelled = withCallbacks(wx, 'showActionSheet', { itemList: ['a'] });
  interaction.answerActionSheet(null);
  const res = await cancelled;
  assert.deepEqual([res.ok, res.res.errMsg, res.completed], [false, 'showActionSheet:fail cancel', true]);
  await assert.rejects(wx.showActionSheet({ itemList: ['1', '2', '3', '4', '5', '6', '7'] }), { errMsg: 'showActionSheet:fail parameter error: itemList should not be large than 6' });
});

test('createAnimation exports WeChat\'s actions and the view\'s CSS for its last state', () => {
  const { wx } = createWx({ navigation: noNav });
  const animation = wx.createAnimation({ duration: 300, timingFunction: 'ease' });
  animation.translateY(-100).opacity(0.5).step();
  animation.rotate(45).step({ duration: 100 });
  const exported = animation.export();
  assert.equal(exported.actions.length, 2);
  assert.deepEqual(exported.actions[0].animates, [{ type: 'translateY', args: [-100] }, { type: 'style', args: ['opacity', 0.5] }]);
  assert.equal(exported.actions[1].option.transition.duration, 100);
  const css = animationStyle(exported);
  assert.equal(css.transform, 'translateY(-100px) rotate(45deg)');
  assert.equal(css.opacity, '0.5');
  assert.equal(css.transition, 'all 100ms ease 0ms');
  assert.deepEqual(createAnimation().export(), { actions: [] });
});

test('connectSocket gives a SocketTask over the browser\'s WebSocket; the global functions act on it', async () => {
  // The browser's WebSocket, as far as the task uses it (node 20 has none).
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      FakeSocket.last = this;
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.();
      }, 0);
    }
    send(data) {
      this.sent.push(data);
      setTimeout(() => this.onmessage?.({ data: `echo ${data}` }), 0);
    }
    close(code, reason) {
      this.readyState = 3;
      setTimeout(() => this.onclose?.({ code, reason }), 0);
    }
  }
  const { wx, recorder } = createWx({ navigation: noNav, WebSocket: FakeSocket });
  const messages = [];
  const task = wx.connectSocket({ url: 'ws://127.0.0.1:9/orders' });
  wx.onSocketMessage((m) => messages.push(m.data));
  await new Promise((resolve) => task.onOpen(resolve));
  task.send({ data: 'hello' });
  await wx.sendSocketMessage({ data: 'again' });
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(messages, ['echo hello', 'echo again']);
  const closed = new Promise((resolve) => task.onClose(resolve));
  task.close({ code: 1000, reason: 'done' });
  assert.deepEqual(await closed, { code: 1000, reason: 'done' });
  await assert.rejects(wx.sendSocketMessage({ data: 'late' }), { errMsg: 'sendSocketMessage:fail WebSocket is not connected' });
  const bad = await withCallbacks(wx, 'connectSocket', { url: 'http://127.0.0.1/' });
  assert.equal(bad.res.errMsg, 'connectSocket:fail invalid url "http://127.0.0.1/"');
  assert.deepEqual(recorder.calls.filter((c) => c.api === 'connectSocket').map((c) => c.ok), [true, false]);
});

test('record-only APIs answer ok and are recorded; an inner audio context calls its listeners', async () => {
  const { wx, recorder } = createWx({ navigation: noNav });
  for (const name of ['showShareMenu', 'hideHomeButton', 'setKeepScreenOn', 'openCustomerServiceChat', 'loadFontFace']) {
    assert.equal((await wx[name]({})).errMsg, `${name}:ok`);
  }
  await assert.rejects(wx.navigateToMiniProgram({}), { errMsg: 'navigateToMiniProgram:fail parameter error: parameter.appId should be String' });
  assert.equal(recorder.calls.length, 6);
  const audio = wx.createInnerAudioContext();
  const played = new Promise((resolve) => audio.onPlay(resolve));
  audio.src = '/sounds/paid.mp3';
  audio.play();
  await played;
  assert.equal(audio.paused, false);
});

test('requestMerchantTransfer needs its parameters and can be cancelled; getShareInfo needs a shareTicket', async () => {
  const user = new User();
  const { wx } = createWx({ navigation: noNav, user });
  await assert.rejects(wx.requestMerchantTransfer({ mchId: '1900000001' }), { errMsg: 'requestMerchantTransfer:fail parameter error: parameter.package should be String' });
  assert.equal((await wx.requestMerchantTransfer({ mchId: '1900000001', package: 'affffddafdfafddffda==' })).errMsg, 'requestMerchantTransfer:ok');
  user.cancel('requestMerchantTransfer');
  await assert.rejects(wx.requestMerchantTransfer({ mchId: '1900000001', package: 'x' }), { errMsg: 'requestMerchantTransfer:fail cancel' });
  await assert.rejects(wx.getShareInfo({}), { errMsg: 'getShareInfo:fail invalid shareTicket' });
});
