import { defineConfig } from '@playwright/test';

const BACKEND_PORT = Number(process.env.E2E_BACKEND_PORT ?? 18787);
const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 14173);
export const E2E_BRIDGE_TOKEN = 'e2e-bridge-token-0123456789abcdef';

export default defineConfig({
  testDir: './tests/e2e',
  timeout: 30_000,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  outputDir: 'test-results',
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: `node --import tsx backend/src/main.ts`,
      url: `http://127.0.0.1:${BACKEND_PORT}/healthz`,
      env: {
        PORT: String(BACKEND_PORT),
        TECHPASS_TEST_MODE: '1',
        TECHPASS_DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/techpass-e2e-${process.pid}`,
        ADMIN_API_KEY: 'e2e-admin-key',
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `node --import tsx electron/web/main.ts`,
      url: `http://127.0.0.1:${WEB_PORT}/`,
      env: {
        WEB_PORT: String(WEB_PORT),
        WEB_BRIDGE_TOKEN: E2E_BRIDGE_TOKEN,
        TECHPASS_BACKEND_URL: `http://127.0.0.1:${BACKEND_PORT}`,
      },
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
