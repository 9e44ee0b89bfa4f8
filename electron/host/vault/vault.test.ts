import { describe, expect, it, vi } from 'vitest';
import { keychainProblem, Vault, type SecretStore, type VaultKey } from '.';

function mapStore(): SecretStore & { data: Map<VaultKey, string> } {
  const data = new Map<VaultKey, string>();
  return {
    data,
    get: async (k) => data.get(k) ?? null,
    set: async (k, v) => void data.set(k, v),
    delete: async (k) => void data.delete(k),
  };
}

const failing: SecretStore = {
  get: async () => {
    throw new Error('Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time');
  },
  set: async () => {
    throw new Error('should not be called');
  },
  delete: async () => {
    throw new Error('should not be called');
  },
};

describe('Vault', () => {
  it('keeps secrets in the keychain so a restart finds them, and wipes them all', async () => {
    const store = mapStore();
    const first = new Vault(store, 'linux');
    await first.set('session-token', 's3cr3t');
    await first.set('registration-token', 'reg');
    expect(store.data.get('session-token')).toBe('s3cr3t');
    const second = new Vault(store, 'linux');
    expect(await second.get('session-token')).toBe('s3cr3t');
    await second.wipe();
    expect(store.data.size).toBe(0);
    expect(await second.get('session-token')).toBeUndefined();
    expect(second.status).toEqual({ available: true });
  });

  it('without a Secret Service: says so plainly and keeps the journey working in memory for this run', async () => {
    const warn = vi.fn();
    const vault = new Vault(failing, 'linux', { warn });
    expect(await vault.probe()).toEqual({
      available: false,
      problem: 'linux-no-secret-service',
    });
    await vault.set('session-token', 'memory-only');
    expect(await vault.get('session-token')).toBe('memory-only');
    await vault.wipe();
    expect(await vault.get('session-token')).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    expect(JSON.stringify(warn.mock.calls)).not.toContain('memory-only');
  });

  it('a keychain that fails later is reported the same way, with no other fallback', async () => {
    const store = mapStore();
    store.set = async () => {
      throw new Error('Cannot create an item in a locked collection');
    };
    const vault = new Vault(store, 'linux');
    await vault.set('session-token', 'x');
    expect(vault.status.available).toBe(false);
    expect(vault.status.problem).toBe('linux-locked');
    expect(store.data.size).toBe(0);
  });

  it('names the problem per platform (a code: the wizard words it)', () => {
    expect(keychainProblem('darwin', new Error('x'))).toBe('macos');
    expect(keychainProblem('win32', new Error('x'))).toBe('windows');
    expect(keychainProblem('linux', new Error('org.freedesktop.DBus.Error.ServiceUnknown'))).toBe(
      'linux-no-secret-service',
    );
  });
});

describe('keychainServiceFor', () => {
  it('is stable per data folder and differs between folders', async () => {
    const { keychainServiceFor } = await import('.');
    expect(keychainServiceFor('/home/a/.config/TechPass')).toBe(keychainServiceFor('/home/a/.config/TechPass/'));
    expect(keychainServiceFor('/home/a/.config/TechPass')).not.toBe(keychainServiceFor('/tmp/e2e-1'));
    expect(keychainServiceFor('/tmp/x')).toMatch(/^techpass-onboarding\.[0-9a-f]{12}$/);
  });
});

describe('Vault start-up', () => {
  it('a secret asked for while the start-up read is still running is not reported absent', async () => {
    const data = new Map<VaultKey, string>([['session-token', 'from-last-run']]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: SecretStore = {
      get: async (k) => {
        await gate;
        return data.get(k) ?? null;
      },
      set: async (k, v) => void data.set(k, v),
      delete: async (k) => void data.delete(k),
    };
    const vault = new Vault(slow, 'linux');
    void vault.probe(); // what the host does at start
    const asked = vault.get('session-token'); // the renderer's first getJourney, at the same time
    release();
    expect(await asked).toBe('from-last-run');
  });
});
