// Each worker gets its own mock-zion (`zion-pay-e2e mock`) and its own host for the reference
// shop (with the /zion-config.js the harness serves); each test resets the mock and starts
// logged in, as the feature's Background does.
import { test as base, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = process.env.ZION_E2E_BIN || path.join(ROOT, 'target/release/zion-pay-e2e');
const SHOP = path.join(ROOT, 'fixtures/web-shop');
export const CREATE_ORDER_FLOW = '0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d';
export const STATUS_FLOW = 'query-order-status';
const TOKEN = 'zion-test-token';

function startMock() {
  const child = spawn(BIN, ['mock'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const graphql = out.match(/GraphQL:\s+(\S+)/);
      const subscription = out.match(/subscriptions \(WebSocket\): (\S+)/);
      const control = out.match(/control API: (\S+)\//);
      if (graphql && subscription && control) {
        resolve({ child, graphql: graphql[1], subscription: subscription[1], control: control[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`${BIN} mock exited with ${code}: ${out}`)));
  });
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

function serveShop(config) {
  const script = `window.ZION_CONFIG = ${JSON.stringify(config)};\n`;
  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://shop');
    if (pathname === '/zion-config.js') {
      response.writeHead(200, { 'content-type': TYPES['.js'] });
      response.end(script);
      return;
    }
    let file = path.join(SHOP, path.normalize(pathname));
    if (!file.startsWith(SHOP) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(SHOP, 'index.html');
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The mock's control API. */
export class Zion {
  constructor(control) {
    this.control = control;
    this.origin = new URL(control).origin;
  }

  async call(method, route, body) {
    const response = await fetch(`${this.control}/${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  /** Every request so far, oldest first. */
  async journal() {
    return this.call('GET', 'journal');
  }

  async orders() {
    return this.call('GET', 'tables/order/rows');
  }

  /** The payment flow in the journal: gateway visits and status queries. */
  async flow() {
    const entries = await this.journal();
    const fields = (e) => (e.operation ? e.operation.fields : []);
    return {
      entries,
      gateway: entries.filter((e) => e.kind === 'gateway'),
      graphql: entries.filter((e) => e.kind === 'graphql'),
      statusQueries: entries.filter((e) => fields(e).some((f) => f.name === 'order_by_pk'
        || (f.name === 'fz_invoke_action_flow' && f.arguments.actionFlowId === STATUS_FLOW))),
    };
  }
}

export const test = base.extend({
  zion: [async ({}, use) => {
    const mock = await startMock();
    const server = await serveShop({
      graphqlUrl: mock.graphql,
      subscriptionUrl: mock.subscription,
      createOrderFlowId: CREATE_ORDER_FLOW,
      queryOrderStatusFlowId: STATUS_FLOW,
      paidStatus: '已支付',
    });
    const zion = new Zion(mock.control);
    zion.shop = `http://127.0.0.1:${server.address().port}`;
    await use(zion);
    server.close();
    mock.child.kill();
  }, { scope: 'worker' }],

  // Background: a logged-in shopper on the web shop.
  page: async ({ page, zion }, use) => {
    await zion.call('POST', 'reset');
    await page.addInitScript((token) => {
      localStorage.setItem('token', token);
      localStorage.setItem('userId', '1');
    }, TOKEN);
    await page.goto(`${zion.shop}/`);
    await use(page);
  },
});

export { expect, TOKEN };
