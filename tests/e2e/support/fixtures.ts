import { test as base, expect, _electron, type ElectronApplication, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BackendApi } from './backend-api';
import { startNode, type Started } from './processes';

const ROOT = resolve(__dirname, '../../..');
const ADMIN_KEY = `e2e-admin-${randomBytes(8).toString('hex')}`;

/** One backend per worker, in test mode, with its own data dir. Tests isolate by unique users. */
export interface World {
  api: BackendApi;
  backendLog: string;
  /** Stops the worker's backend (the backend-down journeys). Its port and data dir are kept for `startBackend()`. */
  stopBackend(): Promise<void>;
  /** Starts the worker's backend again on the same port and data dir (no-op when it runs). Its test clock restarts at the real time. */
  startBackend(): Promise<void>;
  /** Whether the worker's backend is running. */
  backendRunning(): boolean;
}

/** The app under test: the web host in Chromium, or the built Electron app, pointed at the worker's backend. */
export interface AppUnderTest {
  page: Page;
  target: 'web' | 'electron';
  /** Quits the host and starts it again with the same data dir (and keychain), then reopens the wizard. */
  restart(): Promise<void>;
  /** Stops the host without starting it again (the backend stays up). */
  stopHost(): Promise<void>;
  /** Opens a techpass-onboarding:// link the way the OS would hand it to the app. */
  openDeepLink(url: string): Promise<void>;
  /** The host's data dir, for tests that scan it. */
  dataDir: string;
}

interface WorkerFixtures {
  world: World;
}
interface TestFixtures {
  backend: BackendApi;
  app: AppUnderTest;
  /** Extra environment for the host under test (the network journeys: proxy, CA file, backend URL through the proxy). */
  hostEnv: Record<string, string>;
}

function electronBinary(): string {
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const path = probe.stdout?.trim();
  if (probe.status === 0 && path && existsSync(path)) return path;
  throw new Error(
    'No Electron binary is available on this machine (it downloads on first use, and the download failed). ' +
      'Run the Electron target where Electron can be downloaded, or set ELECTRON_MIRROR to a reachable mirror.',
  );
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  world: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      // The Electron target needs an Electron binary: say so before anything else starts.
      if (workerInfo.project.name === 'electron') electronBinary();
      const dataDir = mkdtempSync(join(tmpdir(), `techpass-e2e-backend-${workerInfo.workerIndex}-`));
      const backendLog = join(dataDir, 'backend.log');
      let port = '0';
      let backend: Started | undefined;
      const startBackend = async (): Promise<string> => {
        if (backend) return backend.value;
        backend = await startNode(
          join(ROOT, 'backend/src/main.ts'),
          {
            PORT: port,
            TECHPASS_TEST_MODE: '1',
            TECHPASS_DATA_DIR: dataDir,
            ADMIN_API_KEY: ADMIN_KEY,
            LOG_LEVEL: 'info',
          },
          /listening on (http:\/\/\S+)/,
          backendLog,
        );
        port = new URL(backend.value).port;
        return backend.value;
      };
      const stopBackend = async (): Promise<void> => {
        const running = backend;
        backend = undefined;
        await running?.stop();
      };
      const baseUrl = await startBackend();
      await use({
        api: new BackendApi(baseUrl, ADMIN_KEY),
        backendLog,
        startBackend: async () => {
          await startBackend();
        },
        stopBackend,
        backendRunning: () => backend !== undefined,
      });
      await stopBackend();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],

  backend: async ({ world }, use) => use(world.api),

  hostEnv: [{}, { option: true }],

  app: async ({ world, page, playwright: _pw, hostEnv }, use, testInfo) => {
    const logOffset = existsSync(world.backendLog) ? statSync(world.backendLog).size : 0;
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-e2e-host-'));
    const hostLog = join(dataDir, 'host.log');
    const target = testInfo.project.name === 'electron' ? 'electron' : 'web';
    let app: AppUnderTest;
    let cleanup: () => Promise<void>;

    if (target === 'web') {
      const token = randomBytes(24).toString('base64url');
      let port = '0';
      let host: Started | undefined;
      const start = async (): Promise<void> => {
        host = await startNode(
          join(ROOT, 'electron/web/main.ts'),
          {
            WEB_PORT: port,
            WEB_BRIDGE_TOKEN: token,
            TECHPASS_BACKEND_URL: world.api.baseUrl,
            TECHPASS_HOST_DATA_DIR: dataDir,
            // E2E_RENDERER_DIR: a private copy of the build, so a rebuild while the suite runs cannot swap chunks under it.
            TECHPASS_RENDERER_DIR: process.env.E2E_RENDERER_DIR ?? join(ROOT, 'out/renderer'),
            TECHPASS_SEED_REACHABILITY_URLS: '',
            ...hostEnv,
          },
          /web host on (http:\/\/\S+)/,
          hostLog,
        );
        port = new URL(host.value).port;
      };
      await start();
      const url = () => `http://127.0.0.1:${port}/#token=${token}`;
      await page.goto(url());
      app = {
        page,
        target,
        dataDir,
        restart: async () => {
          // The window goes away with the app: a fresh page load, not a same-URL (fragment-only) navigation.
          await page.goto('about:blank');
          await host?.stop();
          await start();
          await page.goto(url());
        },
        stopHost: async () => {
          await host?.stop();
        },
        openDeepLink: async (link) => {
          await page.goto(`http://127.0.0.1:${port}/?deeplink=${encodeURIComponent(link)}#token=${token}`);
        },
      };
      cleanup = async () => {
        await host?.stop();
      };
    } else {
      const executablePath = electronBinary();
      let electronApp: ElectronApplication;
      const launch = async (extraArgs: string[] = []): Promise<Page> => {
        electronApp = await _electron.launch({
          executablePath,
          args: [ROOT, ...extraArgs],
          env: { ...process.env, TECHPASS_BACKEND_URL: world.api.baseUrl, TECHPASS_HOST_DATA_DIR: dataDir, ...hostEnv },
        });
        return electronApp.firstWindow();
      };
      let win = await launch();
      app = {
        get page() {
          return win;
        },
        target,
        dataDir,
        restart: async () => {
          await electronApp.close();
          win = await launch();
        },
        stopHost: async () => {
          await electronApp.close();
        },
        openDeepLink: async (link) => {
          // A second instance with the link in argv, as Windows and Linux deliver it.
          await electronApp.close();
          win = await launch([link]);
        },
      };
      cleanup = async () => {
        await electronApp.close().catch(() => undefined);
      };
    }

    await use(app);
    await cleanup();
    // A test that stopped the backend and failed before bringing it back must not break the next test in this worker.
    await world.startBackend();

    if (testInfo.status !== testInfo.expectedStatus) {
      const log = existsSync(world.backendLog)
        ? readFileSync(world.backendLog).subarray(logOffset).toString('utf8')
        : '';
      await testInfo.attach('backend.log', { body: log, contentType: 'text/plain' });
      if (existsSync(hostLog)) await testInfo.attach('host.log', { path: hostLog, contentType: 'text/plain' });
    }
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
