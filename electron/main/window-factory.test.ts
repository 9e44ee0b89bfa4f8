import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow, lockDownWebContents, secureWebPreferences } from './window-factory';

vi.mock('electron', () => ({}));

type Handler = (...args: unknown[]) => unknown;

function fakeWebContents() {
  const handlers = new Map<string, Handler[]>();
  let openHandler: Handler | undefined;
  let permissionRequest: Handler | undefined;
  let permissionCheck: Handler | undefined;
  const wc = {
    on: vi.fn((event: string, h: Handler) => {
      handlers.set(event, [...(handlers.get(event) ?? []), h]);
      return wc;
    }),
    setWindowOpenHandler: vi.fn((h: Handler) => {
      openHandler = h;
    }),
    closeDevTools: vi.fn(),
    session: {
      setPermissionRequestHandler: vi.fn((h: Handler) => {
        permissionRequest = h;
      }),
      setPermissionCheckHandler: vi.fn((h: Handler) => {
        permissionCheck = h;
      }),
    },
    emit(event: string, ...args: unknown[]) {
      for (const h of handlers.get(event) ?? []) h(...args);
    },
    get openHandler() {
      return openHandler;
    },
    get permissionRequest() {
      return permissionRequest;
    },
    get permissionCheck() {
      return permissionCheck;
    },
  };
  return wc;
}

function build(isDev = false) {
  const created: BrowserWindowConstructorOptions[] = [];
  const wc = fakeWebContents();
  class FakeWindow {
    webContents = wc;
    constructor(options: BrowserWindowConstructorOptions) {
      created.push(options);
    }
    once = vi.fn();
    show = vi.fn();
  }
  const openExternal = vi.fn();
  const log = { warn: vi.fn() };
  const win = createMainWindow({
    BrowserWindow: FakeWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow,
    preloadPath: '/app/out/preload/index.js',
    isDev,
    openExternal,
    log,
  });
  return { win, created, wc, openExternal, log };
}

describe('window factory', () => {
  it('gives every window the hardened webPreferences', () => {
    const { created } = build();
    expect(created).toHaveLength(1);
    expect(created[0]?.webPreferences).toEqual({
      preload: '/app/out/preload/index.js',
      devTools: false,
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
    });
  });

  it('allows DevTools only in development', () => {
    expect(secureWebPreferences('/p', true).devTools).toBe(true);
    expect(secureWebPreferences('/p', false).devTools).toBe(false);
    const prod = build(false);
    prod.wc.emit('devtools-opened');
    expect(prod.wc.closeDevTools).toHaveBeenCalled();
    const dev = build(true);
    dev.wc.emit('devtools-opened');
    expect(dev.wc.closeDevTools).not.toHaveBeenCalled();
  });

  it('denies every navigation and redirect', () => {
    const { wc, log } = build();
    for (const event of ['will-navigate', 'will-redirect']) {
      const e = { preventDefault: vi.fn() };
      wc.emit(event, e, 'https://evil.example/');
      expect(e.preventDefault).toHaveBeenCalled();
    }
    expect(log.warn).toHaveBeenCalledWith('navigation blocked', { target: 'https://evil.example' });
    const e = { preventDefault: vi.fn() };
    wc.emit('will-navigate', e, `techpass-onboarding://register?token=${'T'.repeat(30)}`);
    expect(JSON.stringify(log.warn.mock.calls)).not.toContain('TTTT');
  });

  it('denies webview attachment', () => {
    const { wc } = build();
    const e = { preventDefault: vi.fn() };
    wc.emit('will-attach-webview', e);
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('denies window.open and hands the URL to the safe opener only', () => {
    const { wc, openExternal } = build();
    expect(wc.openHandler?.({ url: 'https://go.gov.sg/x' })).toEqual({ action: 'deny' });
    expect(wc.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://go.gov.sg/x'], ['file:///etc/passwd']]);
  });

  it('denies every permission request and check', () => {
    const { wc } = build();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      wc.permissionRequest?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(wc.permissionCheck?.({}, permission)).toBe(false);
    }
  });

  it('locks down any other WebContents the same way', () => {
    const wc = fakeWebContents();
    lockDownWebContents(wc as never, { openExternal: vi.fn(), log: { warn: vi.fn() } });
    const e = { preventDefault: vi.fn() };
    wc.emit('will-navigate', e, 'https://evil.example/');
    expect(e.preventDefault).toHaveBeenCalled();
    expect(wc.openHandler?.({ url: 'https://x' })).toEqual({ action: 'deny' });
  });
});
