import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import { join } from 'node:path';

/** The only webPreferences any window of the app gets (Electron security checklist). */
export function secureWebPreferences(
  preloadPath: string,
  isDev = false,
): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    // DevTools only in development.
    devTools: isDev,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

export interface WindowFactoryDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  preloadPath: string;
  isDev: boolean;
  /** Opens an allow-listed https link in the user's browser; everything else is dropped. */
  openExternal: (url: string) => void;
  log: { warn(message: string, fields?: Record<string, unknown>): void };
}

/** Denies every navigation, new window and permission request on a WebContents. */
export function lockDownWebContents(
  contents: WebContents,
  deps: Pick<WindowFactoryDeps, 'openExternal' | 'log'>,
): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    // Only where it tried to go: a full URL may carry a token in its query.
    deps.log.warn('navigation blocked', { target: originOf(url) });
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links with target=_blank go to the safe opener, which applies the https allowlist.
    deps.openExternal(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

/** Creates the app's window. Every BrowserWindow is made here, hardened the same way. */
export function createMainWindow(deps: WindowFactoryDeps): BrowserWindow {
  const win = new deps.BrowserWindow({
    width: 1100,
    height: 820,
    minWidth: 720,
    minHeight: 560,
    show: false,
    title: 'TechPass Onboarding',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(deps.preloadPath, deps.isDev),
  });
  lockDownWebContents(win.webContents, deps);
  if (!deps.isDev) {
    win.webContents.on('devtools-opened', () => win.webContents.closeDevTools());
  }
  win.once('ready-to-show', () => win.show());
  return win;
}

export const defaultPreloadPath = (mainDir: string): string => join(mainDir, '../preload/index.js');

function originOf(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}`.slice(0, 200);
  } catch {
    return '(not a URL)';
  }
}
