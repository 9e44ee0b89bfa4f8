import { app, BrowserWindow, ipcMain, Notification, protocol, session, shell } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EVENT_CHANNEL } from '../../shared/contract';
import { DEEP_LINK_SCHEME, deepLinkFromArgv } from '../host/deep-link';
import { createHost, type Host } from '../host/host-services';
import { createHostLogger } from '../host/host-log';
import { externalAllowlist, loadOrgConfig } from '../host/org-config';
import { UiPreferencesStore } from '../host/ui-preferences';
import { runSeedCheckCli } from '../host/seed-checks';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY, mimeFor, resolveAppUrl } from './app-protocol';
import { registerIpc } from './ipc';
import { applyOrgNetwork, electronNetwork } from './network';
import { createSafeOpener } from './open-external';
import { seedCheckArgs } from './seed-check-argv';
import { nativeLocale, nativeNoticeText } from './native-text';
import { applyUpdatePolicy } from './updater';
import { createMainWindow, defaultPreloadPath, lockDownWebContents } from './window-factory';

const isDev = !app.isPackaged && process.env.NODE_ENV !== 'production';
const seedCheck = seedCheckArgs(process.argv);

if (seedCheck) {
  // `techpass-onboarding --seed-check [--json]`: no window, no single-instance lock; exit with the check's code.
  // Its reachability probes use Chromium's network (system proxy, OS certificates), which is there once the app is ready.
  void app
    .whenReady()
    .then(() =>
      runSeedCheckCli(seedCheck, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        network: electronNetwork(session.defaultSession, new Map()),
      }),
    )
    .then(
      (code) => app.exit(code),
      (err: unknown) => {
        process.stderr.write(`The SEED device check could not run: ${String(err)}\n`);
        app.exit(2);
      },
    );
} else {
  startApp();
}

function startApp(): void {
  // Must run before the app is ready: app:// is a standard, secure scheme so the renderer gets a real origin.
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
  ]);

  // Development and end-to-end runs may point the app at a throw-away data folder (never in a packaged app).
  if (!app.isPackaged && process.env.TECHPASS_HOST_DATA_DIR)
    app.setPath('userData', process.env.TECHPASS_HOST_DATA_DIR);

  if (!app.requestSingleInstanceLock()) {
    // The running instance receives our argv (and any deep link in it) through 'second-instance'.
    app.quit();
    return;
  }

  const log = createHostLogger({ file: join(app.getPath('userData'), 'logs', 'host.log'), stderr: isDev });
  const ourWindows = new Set<number>();
  let host: Host | undefined;
  let mainWindow: BrowserWindow | undefined;
  let openSafely: (url: string) => Promise<boolean> = async () => false;
  /** Deep links that arrive before the host is ready (macOS sends open-url very early). */
  const pendingLinks: string[] = [];
  const cleanups: (() => void)[] = [];

  const applyDeepLink = (url: string): void => {
    if (!host) {
      pendingLinks.push(url);
      return;
    }
    void host.handleOsDeepLink(url);
  };

  // Registration of the techpass-onboarding:// handler (in development, point the OS at this Electron + app path).
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }

  app.on('open-url', (event, url) => {
    event.preventDefault();
    applyDeepLink(url);
  });

  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link) applyDeepLink(link);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) =>
    lockDownWebContents(contents, { openExternal: (url) => void openSafely(url), log }),
  );

  void app.whenReady().then(async () => {
    const org = await loadOrgConfig({
      platform: process.platform,
      isPackaged: app.isPackaged,
      env: process.env,
      bundledPath: app.isPackaged
        ? join(process.resourcesPath, 'org-config.json')
        : join(app.getAppPath(), 'electron', 'resources', 'org-config.json'),
      log,
    });
    openSafely = createSafeOpener(externalAllowlist(org.config), (url) => shell.openExternal(url), log);

    // The host's one way to the network: the app session's fetch (Chromium), with the org's proxy and CAs applied.
    const tlsFailures = new Map<string, { issuer?: string; subject?: string }>();
    await applyOrgNetwork(session.defaultSession, org.config, tlsFailures, log);
    // For IT reading the log: which way Chromium sends requests to the backend ("DIRECT", "PROXY host:port", …).
    void session.defaultSession
      .resolveProxy(org.config.backendUrl)
      .then((route) => log.info('route to the backend', { route }))
      .catch(() => undefined);

    host = createHost({
      backendUrl: org.config.backendUrl,
      orgConfig: org.config,
      appName: app.getName(),
      appVersion: app.getVersion(),
      platform: process.platform,
      host: 'electron',
      systemLocale: app.getLocale(),
      dataDir: app.getPath('userData'),
      log,
      network: electronNetwork(session.defaultSession, tlsFailures),
      openExternal: async (url) => {
        await openSafely(url);
      },
      saveReport: async (filename, content) => {
        const dir = app.getPath('downloads');
        let path = join(dir, filename);
        for (let n = 1; existsSync(path); n++) path = join(dir, filename.replace(/(\.[a-z]+)$/, ` (${n})$1`));
        await writeFile(path, content, { mode: 0o600 });
        return path;
      },
    });
    const offJourney = host.onJourneyChanged(() => {
      for (const win of BrowserWindow.getAllWindows()) {
        if (ourWindows.has(win.webContents.id)) win.webContents.send(EVENT_CHANNEL);
      }
    });
    cleanups.push(offJourney);

    const rendererDir = join(__dirname, '../renderer');
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppUrl(request.url, rendererDir);
      if (!file) return new Response('Not found', { status: 404 });
      try {
        const body = await readFile(file);
        return new Response(body, {
          headers: {
            'content-type': mimeFor(file),
            'content-security-policy': CONTENT_SECURITY_POLICY,
            'x-content-type-options': 'nosniff',
          },
        });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });
    cleanups.push(() => protocol.unhandle(APP_SCHEME));

    // Handlers are registered before any window loads.
    cleanups.push(registerIpc(ipcMain, host.handlers, (id) => ourWindows.has(id), log));

    const win = createMainWindow({
      BrowserWindow,
      preloadPath: defaultPreloadPath(__dirname),
      isDev,
      openExternal: (url) => void openSafely(url),
      log,
    });
    mainWindow = win;
    const id = win.webContents.id;
    ourWindows.add(id);
    win.on('closed', () => {
      ourWindows.delete(id);
      mainWindow = undefined;
    });

    // A link the app was started with (Windows/Linux argv), or that arrived before the host was ready (macOS).
    const startLink = deepLinkFromArgv(process.argv);
    if (startLink) pendingLinks.push(startLink);
    for (const link of pendingLinks.splice(0)) void host.handleOsDeepLink(link);

    void win.loadURL(`${APP_SCHEME}://${APP_HOST}/index.html`);
    log.info('app started', { packaged: app.isPackaged, updatePolicy: org.config.updatePolicy });
    void applyUpdatePolicy(org.config.updatePolicy, {
      loadUpdater: async () => (await import('electron-updater')).autoUpdater,
      notify: (notice) => {
        if (!Notification.isSupported()) return;
        // Read at the moment of showing: the user may have switched the language since the app started.
        const locale = nativeLocale(
          new UiPreferencesStore(app.getPath('userData')).read().locale,
          org.config.locale,
          app.getLocale(),
        );
        new Notification(nativeNoticeText(notice, locale)).show();
      },
      log,
      isPackaged: app.isPackaged,
      // electron-updater requests through its own session: give it the same proxy and trust rules.
      prepareNetwork: (updaterSession) => applyOrgNetwork(updaterSession, org.config, tlsFailures, log),
    });
  });

  app.on('window-all-closed', () => app.quit());
  let logClosed = false;
  app.on('will-quit', (event: { preventDefault(): void }) => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    if (logClosed) return;
    // Log writes are asynchronous and Electron does not wait for a will-quit listener: hold the quit until the file is
    // ended (the last lines written out), then quit again. `app.quit()` rather than `app.exit()`, so the updater's
    // install-on-quit still runs; a close that hangs gives up after two seconds so the app always quits.
    event.preventDefault();
    const giveUp = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
    void Promise.race([log.close(), giveUp])
      .catch(() => undefined)
      .then(() => {
        logClosed = true;
        app.quit();
      });
  });
}
