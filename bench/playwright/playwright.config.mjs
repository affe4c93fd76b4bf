// Playwright Test's side of scripts/bench: the English Alipay web feature against the same
// reference shop, mock-zion (`zion-pay-e2e mock`, one per worker) and Chromium.
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Headless, Playwright runs Chromium's headless shell, and so does the harness when Debian's
// chromium-headless-shell is installed (scripts/setup installs it).
const SHELL = '/usr/lib/chromium/chromium-headless-shell';
const chromium = process.env.CHROMIUM || (existsSync(SHELL) ? SHELL : '/usr/bin/chromium');

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  outputDir: process.env.PW_OUTPUT || 'test-results',
  fullyParallel: true,
  workers: Number(process.env.WORKERS || 2),
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: chromium,
      // As the harness starts it: no background traffic to hosts this machine cannot reach.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
