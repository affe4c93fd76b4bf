// The wx.requestPayment stub. The WeChat client's own checks run in mock-zion
// (`POST /__mock/wechat/request-payment`): the parameters must be the ones
// createWechatPayment issued — paySign verifies over appId, timeStamp, nonceStr and package
// with the merchant key — and signType must be RSA (PROTOCOLS.md, "WeChat Pay in a Mini
// Program"). mock-zion then ends the payment sheet as the scenario chose: `requestPayment:ok`
// (and WeChat's notification is scheduled), `requestPayment:fail cancel`,
// `requestPayment:fail <reason>`, or never (the sheet stays open).

/** The implementation behind `wx.requestPayment`: resolves on ok, rejects with the errMsg. */
export async function requestPayment(args, { fetch, controlUrl }) {
  const params = {};
  for (const [name, value] of Object.entries(args)) {
    if (typeof value !== 'function') params[name] = value;
  }
  let answer;
  try {
    const response = await fetch(`${controlUrl}/wechat/request-payment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    answer = await response.json();
  } catch (error) {
    throw `mp-sim could not reach mock-zion's payment sheet at ${controlUrl}: ${error?.message ?? error}`;
  }
  if (answer.pending) return new Promise(() => {});
  if (answer.errMsg === 'requestPayment:ok') return {};
  throw { errMsg: answer.errMsg ?? `requestPayment:fail unexpected answer ${JSON.stringify(answer)}` };
}

/** The implementation behind `wx.login`: a code mock-zion issued (`POST /__mock/wechat/login-code`). */
export async function login({ fetch, controlUrl }) {
  let answer;
  try {
    const response = await fetch(`${controlUrl}/wechat/login-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    answer = await response.json();
  } catch (error) {
    throw `mp-sim could not reach mock-zion for a wx.login code at ${controlUrl}: ${error?.message ?? error}`;
  }
  if (typeof answer.code !== 'string') throw { errMsg: `login:fail ${answer.error ?? 'no code'}` };
  return { code: answer.code };
}
