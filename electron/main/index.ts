import { app, BrowserWindow, ipcMain, protocol, shell } from 'electron';
import { readFile } from 'node:fs/promises';
import { EVENT_CHANNEL } from '../../shared/contract';
import { createHostServices } from '../host/host-services';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY, mimeFor, resolveAppUrl } from './app-protocol';
import { registerIpc } from './ipc';
import { createMainWindow, defaultPreloadPath, lockDownWebContents } from './window-factory';
import { join } from 'node:path';

// Must run before the app is ready: app:// is a standard, secure scheme so the renderer gets a real origin.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
]);

const isDev = !app.isPackaged && process.env.NODE_ENV !== 'production';
const log = {
  warn: (message: string, fields?: Record<string, unknown>) => console.warn(`[main] ${message}`, fields ?? ''),
  error: (message: string, fields?: Record<string, unknown>) => console.error(`[main] ${message}`, fields ?? ''),
};

const ALLOWED_EXTERNAL_HOSTS = new Set(['go.gov.sg', 'docs.developer.tech.gov.sg', 'portal.techpass.gov.sg']);
/** The one place the app opens links outside itself: https only, allow-listed hosts only. */
function openExternalSafely(raw: string): void {
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' && ALLOWED_EXTERNAL_HOSTS.has(url.hostname)) {
      void shell.openExternal(url.toString());
      return;
    }
  } catch {
    // fall through
  }
  log.warn('external link refused', { url: raw.slice(0, 200) });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const ourWindows = new Set<number>();
  const backendUrl = (!app.isPackaged && process.env.TECHPASS_BACKEND_URL) || 'https://provisioning.techpass.gov.sg';
  const handlers = createHostServices({
    backendUrl,
    appName: app.getName(),
    appVersion: app.getVersion(),
    platform: process.platform,
    host: 'electron',
  });

  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, { openExternal: openExternalSafely, log }));

  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
      win.webContents.send(EVENT_CHANNEL);
    }
  });

  void app.whenReady().then(() => {
    const rendererDir = join(__dirname, '../renderer');
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppUrl(request.url, rendererDir);
      if (!file) return new Response('Not found', { status: 404 });
      try {
        const body = await readFile(file);
        return new Response(body, {
          headers: { 'content-type': mimeFor(file), 'content-security-policy': CONTENT_SECURITY_POLICY },
        });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });

    // Handlers are registered before any window loads.
    registerIpc(ipcMain, handlers, (id) => ourWindows.has(id), log);

    const win = createMainWindow({
      BrowserWindow,
      preloadPath: defaultPreloadPath(__dirname),
      isDev,
      openExternal: openExternalSafely,
      log,
    });
    ourWindows.add(win.webContents.id);
    win.on('closed', () => ourWindows.clear());
    void win.loadURL(`${APP_SCHEME}://${APP_HOST}/index.html`);
  });

  app.on('window-all-closed', () => app.quit());
}
