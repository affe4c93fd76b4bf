import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createWx } from '../runtime/wx/index.js';
import { zionReroute } from '../runtime/wx/request.js';

/** A loopback server answering with `handler(req, body) → [status, json]`, recording requests. */
async function server(handler) {
  const seen = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const [status, json] = handler(req, body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${srv.address().port}`, seen, close: () => srv.close() };
}

const noNav = { navigateTo: async () => ({}) };

test('callbacks get errMsg ok, then complete; no callback gives a Promise', async () => {
  const { wx } = createWx({ navigation: noNav });
  const order = [];
  await new Promise((resolve) => wx.showToast({ title: '支付成功', success: (r) => order.push(r.errMsg), complete: () => { order.push('complete'); resolve(); } }));
  assert.deepEqual(order, ['showToast:ok', 'complete']);
  assert.deepEqual(await wx.showLoading({ title: '支付中' }), { errMsg: 'showLoading:ok' });
  await assert.rejects(wx.showLoading({}), { errMsg: 'showLoading:fail parameter error: parameter.title should be String' });
});

test('every call is recorded with its arguments and result', async () => {
  const { wx, recorder } = createWx({ navigation: noNav });
  wx.setStorageSync('token', 'abc');
  await wx.showToast({ title: 'x', icon: 'none' });
  assert.deepEqual(recorder.calls.map((c) => [c.api, c.args, c.result]), [
    ['setStorageSync', ['token', 'abc'], undefined],
    ['showToast', { title: 'x', icon: 'none' }, { errMsg: 'showToast:ok' }],
  ]);
});

test('storage keeps types; a missing key is "" sync and a failure async', async () => {
  const { wx } = createWx({ navigation: noNav });
  wx.setStorageSync('user', { id: 1 });
  assert.deepEqual(wx.getStorageSync('user'), { id: 1 });
  assert.equal(wx.getStorageSync('none'), '');
  await assert.rejects(wx.getStorage({ key: 'none' }), { errMsg: 'getStorage:fail data not found' });
});

test('an API mp-sim lacks reads as undefined, and a call of it fails naming mp-sim', () => {
  const { wx, recorder } = createWx({ navigation: noNav });
  // A feature check takes the app's fallback, as in a WeChat without the API.
  assert.equal(wx.openBluetoothAdapter, undefined);
  assert.equal(recorder.warnings[0].where, 'wx.openBluetoothAdapter');
  assert.match(recorder.warnings[0].message, /is not supported by mp-sim/);
  try {
    wx.openBluetoothAdapter({});
    assert.fail('a call of a missing API throws');
  } catch (error) {
    recorder.error('pages/device/device.onLoad', error);
  }
  assert.match(recorder.errors[0].message, /wx.openBluetoothAdapter is not a function \(wx.openBluetoothAdapter is not supported by mp-sim/);
  assert.equal(recorder.warnings.length, 1);
  assert.equal(wx.canIUse('openBluetoothAdapter'), false);
  assert.equal(wx.canIUse('requestPayment'), true);
});

test('a mocked method answers what the scenario chose', async () => {
  const sim = createWx({ navigation: noNav });
  sim.mock('login', { result: { code: 'fixed' } });
  assert.equal((await sim.wx.login()).code, 'fixed');
  sim.mock('login', { fail: 'system error' });
  await assert.rejects(sim.wx.login(), { errMsg: 'login:fail system error' });
});

test('wx.login asks mock-zion for a code and answers it', async () => {
  const srv = await server((req) => (req.url === '/__mock/wechat/login-code' ? [200, { code: 'c0de' }] : [404, { error: 'no' }]));
  try {
    const { wx, recorder } = createWx({ fetch, controlUrl: `${srv.url}/__mock`, navigation: noNav });
    assert.deepEqual(await wx.login(), { code: 'c0de', errMsg: 'login:ok' });
    assert.equal(srv.seen[0].method, 'POST');
    assert.equal(recorder.calls[0].api, 'login');
    const broken = createWx({ fetch, controlUrl: `${srv.url}/elsewhere`, navigation: noNav });
    await assert.rejects(broken.wx.login(), { errMsg: 'login:fail no' });
  } finally {
    srv.close();
  }
});

test('request sends JSON with headers, succeeds on any status, returns a RequestTask', async () => {
  const srv = await server((req) => [req.url.startsWith('/missing') ? 404 : 200, { data: { ok: 1 } }]);
  try {
    const { wx } = createWx({ fetch, navigation: noNav });
    const res = await new Promise((resolve, reject) => {
      const task = wx.request({ url: `${srv.url}/gql`, method: 'POST', data: { query: '{ a }' }, header: { Authorization: 'Bearer t' }, success: resolve, fail: reject });
      assert.equal(typeof task.abort, 'function');
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.data, { data: { ok: 1 } });
    assert.equal(res.errMsg, 'request:ok');
    assert.equal(srv.seen[0].headers.authorization, 'Bearer t');
    assert.equal(srv.seen[0].headers['content-type'], 'application/json');
    assert.equal(srv.seen[0].body, '{"query":"{ a }"}');
    const missing = await new Promise((resolve) => wx.request({ url: `${srv.url}/missing`, data: { a: 1 }, success: resolve }));
    assert.equal(missing.statusCode, 404);
    assert.equal(srv.seen[1].url, '/missing?a=1');
  } finally {
    srv.close();
  }
});

test('request to an unreachable host fails with request:fail', async () => {
  const { wx } = createWx({ fetch, navigation: noNav });
  const res = await new Promise((resolve) => wx.request({ url: 'http://127.0.0.1:1/x', fail: resolve }));
  assert.match(res.errMsg, /^request:fail /);
});

test('calls to any Zion GraphQL host go to the mock', () => {
  const reroute = zionReroute('http://127.0.0.1:9/zero/p/api/graphql-v2');
  assert.equal(reroute('https://zion-app.functorz.com/zero/abc123/api/graphql-v2'), 'http://127.0.0.1:9/zero/p/api/graphql-v2');
  assert.equal(reroute('https://example.com/other'), 'https://example.com/other');
});

test('with hosts named, only those hosts go to the mock', () => {
  const reroute = zionReroute('http://127.0.0.1:9/g', ['Zion-App.functorz.com']);
  assert.equal(reroute('https://zion-app.functorz.com/zero/a/api/graphql-v2?x=1'), 'http://127.0.0.1:9/g?x=1');
  assert.equal(reroute('https://evil.example/zero/a/api/graphql-v2'), 'https://evil.example/zero/a/api/graphql-v2');
});

test('requestPayment sends the parameters to the payment sheet and ends as it answers', async () => {
  const answers = [{ errMsg: 'requestPayment:ok' }, { errMsg: 'requestPayment:fail cancel' }];
  const srv = await server(() => [200, answers.shift()]);
  try {
    const { wx } = createWx({ fetch, controlUrl: `${srv.url}/__mock`, navigation: noNav });
    const params = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'RSA', paySign: 's' };
    assert.deepEqual(await wx.requestPayment(params), { errMsg: 'requestPayment:ok' });
    const failed = await new Promise((resolve) => wx.requestPayment({ ...params, fail: resolve }));
    assert.equal(failed.errMsg, 'requestPayment:fail cancel');
    assert.equal(srv.seen[0].url, '/__mock/wechat/request-payment');
    assert.deepEqual(JSON.parse(srv.seen[0].body), params);
    // The trade-component flavour goes to the same sheet, in its own wording.
    answers.push({ errMsg: 'requestPayment:ok' }, { errMsg: 'requestPayment:fail cancel' });
    assert.deepEqual(await wx.requestOrderPayment(params), { errMsg: 'requestOrderPayment:ok' });
    await assert.rejects(wx.requestOrderPayment(params), { errMsg: 'requestOrderPayment:fail cancel' });
    assert.equal(srv.seen[2].url, '/__mock/wechat/request-payment');
  } finally {
    srv.close();
  }
});

test('a request answers the same when the app replaced Promise.prototype.finally with a broken polyfill', { timeout: 5000 }, async () => {
  const original = Promise.prototype.finally;
  // litemall's App.onLaunch does this: the arrow bodies return nothing.
  // eslint-disable-next-line no-extend-native
  Promise.prototype.finally = function finallyPolyfill(callback) {
    const P = this.constructor;
    return this.then(
      (value) => { P.resolve(callback()).then(() => value); },
      (reason) => { P.resolve(callback()).then(() => { throw reason; }); },
    );
  };
  try {
    const srv = await server(() => [200, { ok: 1 }]);
    const { wx } = createWx({ fetch: globalThis.fetch, navigation: noNav });
    const answer = await new Promise((resolve) => wx.request({ url: `${srv.url}/x`, success: resolve, fail: resolve }));
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.data, { ok: 1 });
    const refused = await new Promise((resolve) => wx.request({ url: 'http://127.0.0.1:9/none', success: resolve, fail: resolve }));
    assert.match(refused.errMsg, /^request:fail /);
    srv.close();
  } finally {
    // eslint-disable-next-line no-extend-native
    Promise.prototype.finally = original;
  }
});
