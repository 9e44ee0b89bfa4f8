import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// The QA end-to-end suite (docs/testing.md). Each worker starts its own backend in test mode; each test gets a fresh
// host (tests/e2e/support/fixtures.ts). Project 'web' drives the built renderer through the web host in Debian's
// Chromium; project 'electron' runs the same specs against the built Electron app where an Electron binary exists.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export default defineConfig({
  testDir: './tests/e2e',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  workers: Number(process.env.E2E_WORKERS ?? 2),
  fullyParallel: true,
  // One retry in CI only: a registration submit that does nothing (no request, no error, no busy state) has been seen
  // in about 1 of 135 journey runs and is not yet understood. A retried pass is reported as flaky by npm test, never
  // hidden; a test that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  outputDir: 'test-results',
  reporter: [
    ['list'],
    ['json', { outputFile: 'reports/playwright.json' }],
    ['html', { outputFolder: 'playwright-report', open: 'never' }],
  ],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'web',
      use: { browserName: 'chromium', launchOptions: { executablePath: chromium, args: chromiumArgs } },
    },
    {
      name: 'electron',
      // The specs drive the Electron window; Playwright still opens its own (unused) page, from the same browser.
      use: {
        browserName: 'chromium',
        launchOptions: existsSync(chromium) ? { executablePath: chromium, args: chromiumArgs } : { args: chromiumArgs },
      },
    },
  ],
});
