import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, METHOD_NAMES, channelFor } from '../../shared/contract';

/**
 * The main process's wiring, with a fake `electron`: the order of start-up (scheme before ready, IPC handlers before the
 * window loads), the single-instance lock, deep links from argv / open-url / second-instance reaching the host and
 * the renderer being told, `--seed-check` running without a window, and listeners removed at quit.
 */

const ROOT = resolve(__dirname, '../..');
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUv_-12';
const LINK = `techpass-onboarding://register?token=${TOKEN}`;

const h = vi.hoisted(() => {
  const state = {
    events: [] as string[],
    appListeners: new Map<string, ((...args: unknown[]) => unknown)[]>(),
    lock: true,
    windows: [] as { webContents: { id: number; send: ReturnType<typeof vi.fn> }; focus: ReturnType<typeof vi.fn> }[],
    readyResolve: undefined as undefined | (() => void),
    exitCodes: [] as number[],
    userData: '',
    ipcHandles: [] as string[],
    ipcRemoved: [] as string[],
    /** What the app session's fetch (Chromium's net) was asked for. */
    sessionFetches: [] as string[],
    verifyProcs: 0,
  };
  return state;
});

vi.mock('electron', () => {
  let nextId = 1;
  class FakeBrowserWindow {
    webContents: Record<string, unknown>;
    focus = vi.fn();
    constructor(options: { webPreferences?: Record<string, unknown> }) {
      h.events.push(`window:sandbox=${String(options.webPreferences?.sandbox)}`);
      const id = nextId++;
      this.webContents = {
        id,
        send: vi.fn((channel: string) => h.events.push(`send:${channel}`)),
        on: vi.fn(),
        setWindowOpenHandler: vi.fn(),
        closeDevTools: vi.fn(),
        session: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
      };
      h.windows.push(this as never);
    }
    on = vi.fn();
    once = vi.fn();
    show = vi.fn();
    isMinimized = () => false;
    restore = vi.fn();
    loadURL = vi.fn(async (url: string) => {
      h.events.push(`loadURL:${url}`);
    });
    static getAllWindows = () => h.windows;
  }
  const app = {
    isPackaged: false,
    requestSingleInstanceLock: () => h.lock,
    quit: vi.fn(() => h.events.push('quit')),
    exit: vi.fn((code: number) => h.exitCodes.push(code)),
    getPath: (name: string) => (name === 'userData' ? h.userData : join(h.userData, name)),
    setPath: vi.fn((name: string, value: string) => {
      if (name === 'userData') h.userData = value;
    }),
    getAppPath: () => ROOT,
    getName: () => 'TechPass Onboarding',
    getVersion: () => '0.0.0-test',
    getLocale: () => 'en-SG',
    setAsDefaultProtocolClient: vi.fn((scheme: string) => h.events.push(`protocolClient:${scheme}`)),
    on: vi.fn((event: string, listener: (...args: unknown[]) => unknown) => {
      h.appListeners.set(event, [...(h.appListeners.get(event) ?? []), listener]);
      return app;
    }),
    whenReady: () => new Promise<void>((r) => (h.readyResolve = r)),
  };
  const defaultSession = {
    fetch: vi.fn(async (url: string) => {
      h.sessionFetches.push(url);
      throw new Error('net::ERR_CONNECTION_REFUSED');
    }),
    setProxy: vi.fn(async () => undefined),
    resolveProxy: vi.fn(async () => 'DIRECT'),
    setCertificateVerifyProc: vi.fn(() => {
      h.verifyProcs += 1;
    }),
  };
  return {
    app,
    session: { defaultSession, fromPartition: vi.fn(() => defaultSession) },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: vi.fn((channel: string) => {
        h.ipcHandles.push(channel);
        if (h.ipcHandles.length === 1) h.events.push('ipc:first-handler');
      }),
      removeHandler: vi.fn((channel: string) => h.ipcRemoved.push(channel)),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn((schemes: { scheme: string }[]) =>
        h.events.push(`privileged:${schemes.map((s) => s.scheme).join(',')}`),
      ),
      handle: vi.fn((scheme: string) => h.events.push(`protocol.handle:${scheme}`)),
      unhandle: vi.fn((scheme: string) => h.events.push(`protocol.unhandle:${scheme}`)),
    },
    shell: { openExternal: vi.fn() },
    Notification: class {
      static isSupported = () => false;
      show = vi.fn();
    },
  };
});

vi.mock('../host/seed-checks', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  runSeedCheckCli: vi.fn(async (argv: string[], io: { stdout(t: string): void }) => {
    io.stdout(`seed-check ${argv.join(' ')}\n`);
    return argv.includes('--json') ? 1 : 0;
  }),
}));

const emit = async (event: string, ...args: unknown[]) => {
  for (const l of h.appListeners.get(event) ?? []) await l(...args);
};

/** Waits until the fake window was told the journey changed (the host applied a deep link). */
async function journeyPushes(count: number): Promise<void> {
  await vi.waitFor(
    () => expect(h.events.filter((e) => e === `send:${EVENT_CHANNEL}`).length).toBeGreaterThanOrEqual(count),
    { timeout: 10_000 },
  );
}

const argv = process.argv;
let dataDir: string;
beforeEach(() => {
  vi.resetModules();
  dataDir = mkdtempSync(join(tmpdir(), 'techpass-main-'));
  Object.assign(h, {
    events: [],
    appListeners: new Map(),
    lock: true,
    windows: [],
    exitCodes: [],
    userData: join(dataDir, 'default-user-data'),
    ipcHandles: [],
    ipcRemoved: [],
    sessionFetches: [],
    verifyProcs: 0,
  });
  // A backend that refuses connections at once: the deep link fails fast and is reported to the renderer anyway.
  vi.stubEnv('TECHPASS_BACKEND_URL', 'http://127.0.0.1:9');
  vi.stubEnv('TECHPASS_HOST_DATA_DIR', dataDir);
  vi.stubEnv('DBUS_SESSION_BUS_ADDRESS', '');
  vi.stubEnv('NODE_ENV', 'production'); // no log echo on stderr
});
afterEach(async () => {
  // Quit as the app does, so the host log's file is closed explicitly: Node 26 fails a run in which a FileHandle is
  // left to the garbage collector. The app holds the quit until the file is ended, then quits again.
  const quits = h.events.filter((e) => e === 'quit').length;
  await emit('will-quit', { preventDefault: vi.fn() });
  await vi
    .waitFor(() => expect(h.events.filter((e) => e === 'quit').length).toBeGreaterThan(quits), { timeout: 5_000 })
    .catch(() => undefined);
  process.argv = argv;
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('electron main', () => {
  it('registers app:// before ready, IPC handlers before the window loads, and applies a deep link from argv', async () => {
    process.argv = ['/usr/bin/electron', ROOT, LINK];
    await import('./index');
    expect(h.events[0]).toBe('privileged:app');
    expect(h.events).toContain('protocolClient:techpass-onboarding');
    expect(h.userData).toBe(dataDir); // TECHPASS_HOST_DATA_DIR honoured when not packaged
    h.readyResolve?.();
    await vi.waitFor(() => expect(h.events.some((e) => e.startsWith('loadURL:'))).toBe(true), { timeout: 10_000 });
    const order = h.events.filter((e) => /^(ipc:first-handler|window:|loadURL:|protocol.handle:)/.test(e));
    expect(order).toEqual([
      'protocol.handle:app',
      'ipc:first-handler',
      'window:sandbox=true',
      'loadURL:app://onboarding/index.html',
    ]);
    expect(h.ipcHandles.sort()).toEqual(METHOD_NAMES.map((m) => channelFor(m)).sort());
    await journeyPushes(1);
  });

  it('open-url (macOS) and second-instance (Windows/Linux) links reach the host and the renderer is told', async () => {
    process.argv = ['/usr/bin/electron', ROOT];
    await import('./index');
    h.readyResolve?.();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1), { timeout: 10_000 });
    const event = { preventDefault: vi.fn() };
    await emit('open-url', event, LINK);
    expect(event.preventDefault).toHaveBeenCalled();
    await journeyPushes(1);
    await emit('second-instance', {}, ['/usr/bin/electron', ROOT, LINK]);
    await journeyPushes(2);
    expect(h.windows[0]?.focus).toHaveBeenCalled();
    // Not our link: ignored, the renderer is not disturbed.
    await emit('second-instance', {}, ['/usr/bin/electron', ROOT, 'techpass-onboarding://evil?token=x']);
    await emit('open-url', { preventDefault: vi.fn() }, 'https://evil.example/');
    await new Promise((r) => setTimeout(r, 50));
    expect(h.events.filter((e) => e === `send:${EVENT_CHANNEL}`)).toHaveLength(2);
  });

  it('removes its IPC handlers and protocol handler at quit', async () => {
    process.argv = ['/usr/bin/electron', ROOT];
    await import('./index');
    h.readyResolve?.();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1), { timeout: 10_000 });
    await emit('will-quit', { preventDefault: vi.fn() });
    expect(h.ipcRemoved.sort()).toEqual(METHOD_NAMES.map((m) => channelFor(m)).sort());
    expect(h.events).toContain('protocol.unhandle:app');
  });

  it('holds the quit until the host log is ended, then quits again (the last lines reach the file)', async () => {
    process.argv = ['/usr/bin/electron', ROOT];
    await import('./index');
    h.readyResolve?.();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1), { timeout: 10_000 });
    const first = { preventDefault: vi.fn() };
    await emit('will-quit', first);
    expect(first.preventDefault).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(h.events).toContain('quit'), { timeout: 5_000 });
    const logFile = join(dataDir, 'logs', 'host.log');
    const written = readFileSync(logFile, 'utf8');
    expect(written.length).toBeGreaterThan(0);
    // The second will-quit (from that quit) goes through.
    const second = { preventDefault: vi.fn() };
    await emit('will-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });

  it('a second instance hands over and quits (single-instance lock)', async () => {
    h.lock = false;
    process.argv = ['/usr/bin/electron', ROOT, LINK];
    await import('./index');
    expect(h.events).toContain('quit');
    expect(h.appListeners.has('second-instance')).toBe(false);
  });

  it('--seed-check runs the device check without a window and exits with its code', async () => {
    process.argv = ['/opt/TechPass/techpass-onboarding', '--seed-check', '--json'];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await import('./index');
    h.readyResolve?.(); // Chromium's network (for the reachability probes) is there once the app is ready
    await vi.waitFor(() => expect(h.exitCodes).toEqual([1]));
    write.mockRestore();
    expect(h.windows).toHaveLength(0);
    expect(h.events).not.toContain('privileged:app');
  });

  it("hands the app session's fetch (Chromium's net) to the host, with the certificate verifier installed first", async () => {
    process.argv = ['/usr/bin/electron', ROOT, LINK];
    await import('./index');
    h.readyResolve?.();
    await journeyPushes(1);
    // The deep link's invitation look-up went through session.fetch, nowhere else (the backend port refuses anyway).
    expect(h.sessionFetches.some((u) => u.startsWith(`http://127.0.0.1:9/v1/registrations/${TOKEN}`))).toBe(true);
    expect(h.verifyProcs).toBe(1);
  });
});
