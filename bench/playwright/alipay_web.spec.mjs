// features/alipay_web.feature, scenario by scenario, as a team would write it in Playwright
// Test: the same clicks, the same texts waited for, the same facts read from mock-zion's
// journal. Time is the wall clock's: the shop's own waits (2 s before the status query, 2 s
// before going home, the notification delays) take as long as they say.
import { test, expect, CREATE_ORDER_FLOW, TOKEN } from './fixtures.mjs';

const PAID = '支付成功';
const PROCESSING = '支付处理中';
const ERROR = '支付失败';

async function buy(page) {
  await page.click('#buy-ai');
}

async function gatewayAccepted(zion) {
  const { gateway } = await zion.flow();
  expect(gateway.length, 'the browser reached Alipay').toBeGreaterThan(0);
  expect(String(gateway[0].response)).not.toContain('invalid-signature');
}

async function unpaid(zion) {
  const orders = await zion.orders();
  expect(orders.every((o) => o.status !== '已支付')).toBe(true);
}

test('A paid membership is confirmed and the shopper is sent home with AI unlocked', async ({ page, zion }) => {
  await zion.call('POST', 'alipay/outcome', { outcome: 'pay' });
  await buy(page);
  await page.waitForURL(/out_trade_no=/);
  await gatewayAccepted(zion);
  await expect(page.locator('#message')).toContainText(PAID);
  await page.waitForURL(`${zion.shop}/`);
  await expect(page.locator('#user-status')).toHaveText('AI 会员：已开通');
  const orders = await zion.orders();
  expect(orders.some((o) => o.status === '已支付')).toBe(true);
});

test("Alipay sends the shopper back to the shop's own address", async ({ page, zion }) => {
  await zion.call('POST', 'alipay/outcome', { outcome: 'pay' });
  await buy(page);
  await page.waitForURL(/out_trade_no=/);
  const { graphql } = await zion.flow();
  const calls = graphql.flatMap((e) => e.operation ? e.operation.fields : []).filter((f) => f.name === 'alipayTrade');
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call.arguments.returnUrl).toBe(zion.shop);
    expect(Number(call.arguments.bizContent.total_amount)).toBe(9.9);
  }
});

test("The shop waits for Zion's confirmation before checking the order", async ({ page, zion }) => {
  await zion.call('POST', 'alipay/outcome', { outcome: 'pay' });
  await zion.call('POST', 'notify-delay', { ms: 1000 });
  await buy(page);
  await page.waitForURL(/out_trade_no=/);
  await gatewayAccepted(zion);
  await expect(page.locator('#message')).toContainText(PAID);
  const { gateway, statusQueries } = await zion.flow();
  const returned = gateway.find((e) => e.status === 302);
  expect(statusQueries[0].elapsed_ms - returned.elapsed_ms).toBeGreaterThanOrEqual(1500);
  await page.waitForURL(`${zion.shop}/`);
  await expect(page.locator('#user-status')).toHaveText('AI 会员：已开通');
});

test('A confirmation slower than the shop\'s wait shows "processing", never success', async ({ page, zion }) => {
  await zion.call('POST', 'alipay/outcome', { outcome: 'pay' });
  await zion.call('POST', 'notify-delay', { ms: 10000 });
  await buy(page);
  await expect(page.locator('#message')).toContainText(PROCESSING);
  await expect(page.locator('#message')).not.toContainText(PAID);
});

test('A payment Zion never hears of is never shown as paid', async ({ page, zion }) => {
  await zion.call('POST', 'alipay/outcome', { outcome: 'pay' });
  await zion.call('POST', 'notify-delay', { ms: null });
  await buy(page);
  await expect(page.locator('#message')).toContainText(PROCESSING);
  await expect(page.locator('#message')).not.toContainText(PAID);
  await unpaid(zion);
});

test('A shopper who leaves Alipay without paying keeps an unpaid order', async ({ page, zion }) => {
  await zion.call('POST', 'alipay/outcome', { outcome: 'abandon' });
  await buy(page);
  await page.waitForURL(`${zion.origin}/gateway.do**`);
  await gatewayAccepted(zion);
  expect(page.url().startsWith(`${zion.origin}/gateway.do`)).toBe(true);
  await expect(page.locator('body')).not.toContainText(PAID);
  await unpaid(zion);
});

test('When Zion cannot create the payment the shop says so and stays put', async ({ page, zion }) => {
  await zion.call('POST', 'faults', { field: 'alipayTrade', kind: 'graphql_error', message: '支付宝配置错误' });
  await buy(page);
  await expect(page.locator('#message')).toContainText(ERROR);
  expect(page.url().startsWith(zion.shop)).toBe(true);
  const { gateway } = await zion.flow();
  expect(gateway).toHaveLength(0);
  await unpaid(zion);
});

test('Opening the shop without coming back from Alipay checks no payment', async ({ page, zion }) => {
  await page.goto(`${zion.shop}/`);
  await expect(page.locator('#user-status')).toHaveText(/AI 会员：/);
  const { statusQueries } = await zion.flow();
  expect(statusQueries).toHaveLength(0);
});

test('An expired login asks the shopper to log in again', async ({ page, zion }) => {
  await zion.call('POST', 'tokens/expire', { token: TOKEN });
  await buy(page);
  await expect(page.locator('#message')).toContainText('请重新登录');
  expect(await zion.orders()).toHaveLength(0);
});

test('Clicking the buy button twice quickly pays once', async ({ page, zion }) => {
  await zion.call('POST', 'alipay/outcome', { outcome: 'pay' });
  await page.dblclick('#buy-ai');
  await page.waitForURL(/out_trade_no=/);
  await expect(page.locator('#message')).toContainText(PAID);
  const { gateway } = await zion.flow();
  expect(gateway.filter((e) => e.method === 'POST')).toHaveLength(1);
  expect(await zion.orders()).toHaveLength(1);
});

test('When the order cannot be created the shop says so and nothing is paid', async ({ page, zion }) => {
  await zion.call('POST', `actionflows/${CREATE_ORDER_FLOW}/next`, { error: '库存不足' });
  await buy(page);
  await expect(page.locator('#message')).toContainText(ERROR);
  expect(page.url().startsWith(zion.shop)).toBe(true);
  expect(await zion.orders()).toHaveLength(0);
});
