import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { applyUpdatePolicy, type UpdaterDeps } from './updater';

function fakeUpdater() {
  const emitter = new EventEmitter();
  return Object.assign(emitter, {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    setFeedURL: vi.fn(),
    checkForUpdates: vi.fn(async () => null),
  });
}

function deps(over: Partial<UpdaterDeps> = {}) {
  const updater = fakeUpdater();
  const d: UpdaterDeps = {
    loadUpdater: vi.fn(async () => updater as never),
    notify: vi.fn(),
    log: { warn: vi.fn() },
    isPackaged: true,
    ...over,
  };
  return { d, updater };
}

describe('update policy', () => {
  it("'none' never loads the updater, so no server is ever contacted", async () => {
    const { d, updater } = deps();
    expect(await applyUpdatePolicy('none', d)).toBe(false);
    expect(d.loadUpdater).not.toHaveBeenCalled();
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
  });

  it('does nothing in development (unpackaged) whatever the policy', async () => {
    const { d } = deps({ isPackaged: false });
    expect(await applyUpdatePolicy('auto', d)).toBe(false);
    expect(d.loadUpdater).not.toHaveBeenCalled();
  });

  it("'notify' checks without downloading and tells the user what is available", async () => {
    const { d, updater } = deps();
    expect(await applyUpdatePolicy('notify', d)).toBe(true);
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.checkForUpdates).toHaveBeenCalledOnce();
    updater.emit('update-available', { version: '9.9.9' });
    expect(d.notify).toHaveBeenCalledWith({ kind: 'update_available', version: '9.9.9' });
  });

  it("'auto' downloads and installs on quit, using the organisation's https feed", async () => {
    const { d, updater } = deps({ feedUrl: 'https://updates.example-agency.gov.sg/techpass/' });
    expect(await applyUpdatePolicy('auto', d)).toBe(true);
    expect(updater.setFeedURL).toHaveBeenCalledWith({
      provider: 'generic',
      url: 'https://updates.example-agency.gov.sg/techpass/',
    });
    expect(updater.autoDownload).toBe(true);
    updater.emit('update-downloaded', { version: '9.9.9' });
    expect(d.notify).toHaveBeenCalledWith({ kind: 'update_downloaded', version: '9.9.9' });
  });

  it('refuses a plain-http feed', async () => {
    const { d, updater } = deps({ feedUrl: 'http://updates.example/' });
    expect(await applyUpdatePolicy('auto', d)).toBe(false);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
  });

  it("applies the org's network rules to the updater's own session before the first check", async () => {
    const { d, updater } = deps();
    const netSession = { partition: 'electron-updater' };
    Object.defineProperty(updater, 'netSession', { get: () => netSession });
    const order: string[] = [];
    d.prepareNetwork = vi.fn(async (s) => void order.push(`prepare:${(s as unknown as typeof netSession).partition}`));
    updater.checkForUpdates.mockImplementation(async () => {
      order.push('check');
      return null;
    });
    expect(await applyUpdatePolicy('notify', d)).toBe(true);
    expect(order).toEqual(['prepare:electron-updater', 'check']);
  });
});
