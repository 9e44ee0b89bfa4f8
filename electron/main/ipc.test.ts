import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, channelFor, type Handlers } from '../../shared/contract';
import { registerIpc, isTrustedSender, APP_ORIGIN } from './ipc';

vi.mock('electron', () => ({}));

type Listener = (event: unknown, payload: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel: string, listener: Listener) => handlers.set(channel, listener),
    removeHandler: (channel: string) => handlers.delete(channel),
  };
}

const OUR_WC_ID = 7;

function frame(url: string, parent: unknown = null) {
  return { url, parent };
}

function event({ url = `${APP_ORIGIN}/index.html`, sub = false, wcId = OUR_WC_ID } = {}) {
  const main = frame(url);
  const senderFrame = sub ? frame(url, main) : main;
  return { sender: { id: wcId, mainFrame: main }, senderFrame };
}

function setup() {
  const ipc = fakeIpcMain();
  const getAppInfo = vi.fn(async () => ({
    name: 'TechPass Onboarding',
    version: '1.0.0',
    platform: 'linux',
    host: 'electron' as const,
  }));
  const signIn = vi.fn(async () => {
    throw new Error('must not be reached');
  });
  const handlers = { getAppInfo, signIn } as unknown as Handlers;
  const log = { warn: vi.fn(), error: vi.fn() };
  const unregister = registerIpc(ipc, handlers, (id) => id === OUR_WC_ID, log);
  return { ipc, getAppInfo, signIn, log, unregister };
}

describe('IPC adapter', () => {
  it('registers exactly one handler per contract method and removes them all', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(channelFor).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('serves a call from the main frame of our window', async () => {
    const { ipc, getAppInfo } = setup();
    const result = await ipc.handlers.get(channelFor('getAppInfo'))!(event(), {});
    expect(result).toEqual({ ok: true, result: expect.objectContaining({ version: '1.0.0' }) });
    expect(getAppInfo).toHaveBeenCalledOnce();
  });

  it.each([
    ['a sub-frame (iframe)', { sub: true }],
    ['another web contents', { wcId: 99 }],
    ['a page on another origin', { url: 'https://evil.example/' }],
    ['a file:// page', { url: 'file:///tmp/x.html' }],
  ])('rejects a call from %s without running the service', async (_name, opts) => {
    const { ipc, getAppInfo, log } = setup();
    const result = await ipc.handlers.get(channelFor('getAppInfo'))!(event(opts), {});
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN_SENDER' }) });
    expect(getAppInfo).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalled();
  });

  it('rejects a payload that fails the schema before the service sees it', async () => {
    const { ipc, signIn } = setup();
    const bad = await ipc.handlers.get(channelFor('signIn'))!(event(), { loginId: 42, password: 'x', extra: true });
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'BAD_REQUEST' }) });
    expect((bad as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('loginId');
    expect(signIn).not.toHaveBeenCalled();
  });

  it('turns an unexpected exception into a typed error without leaking its message', async () => {
    const { ipc, signIn } = setup();
    const result = await ipc.handlers.get(channelFor('signIn'))!(event(), {
      loginId: 'alice',
      password: 'Secret-Pass-1',
    });
    expect(signIn).toHaveBeenCalledOnce();
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNEXPECTED' }) });
    expect(JSON.stringify(result)).not.toContain('must not be reached');
  });

  it('isTrustedSender refuses an event without a frame', () => {
    expect(isTrustedSender({ senderFrame: null, sender: { id: OUR_WC_ID } } as never, () => true)).toBe(false);
  });
});
