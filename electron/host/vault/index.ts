import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';

/** What the vault may hold: only what the host needs to resume. Passwords are never stored. */
export const VAULT_KEYS = ['session-token', 'registration-token', 'mfa-token', 'authenticator-enrolment'] as const;
export type VaultKey = (typeof VAULT_KEYS)[number];

export type { KeychainProblem } from '../../../shared/contract';
import type { KeychainProblem } from '../../../shared/contract';

export interface KeychainStatus {
  available: boolean;
  problem?: KeychainProblem;
}

/** The OS keychain seen through a small interface, so tests can stand in a fake. */
export interface SecretStore {
  get(key: VaultKey): Promise<string | null>;
  set(key: VaultKey, value: string): Promise<void>;
  delete(key: VaultKey): Promise<void>;
}

export const KEYCHAIN_SERVICE = 'techpass-onboarding';

/**
 * The keychain service name for one data folder: each profile (Electron's userData, a web host's data dir, a test's
 * temp dir) gets its own entries, so two hosts never read or wipe each other's secrets.
 */
export function keychainServiceFor(dataDir: string): string {
  return `${KEYCHAIN_SERVICE}.${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`;
}
const KEYCHAIN_TIMEOUT_MS = 5_000;

/**
 * The OS keychain through @napi-rs/keyring: Windows Credential Manager, macOS Keychain, Linux Secret Service. On Linux
 * the store is pinned to the Secret Service so a missing daemon fails loudly instead of silently falling back to the
 * kernel keyring (which does not survive a reboot and is not what the user expects).
 */
export function osKeychain(service = KEYCHAIN_SERVICE): SecretStore {
  const entry = (key: VaultKey): AsyncEntry => new AsyncEntry(service, key, { linux: { store: 'secret-service' } });
  return {
    async get(key) {
      return entry(key).getPassword(AbortSignal.timeout(KEYCHAIN_TIMEOUT_MS));
    },
    async set(key, value) {
      await entry(key).setPassword(value, AbortSignal.timeout(KEYCHAIN_TIMEOUT_MS));
    },
    async delete(key) {
      await entry(key).deleteCredential(AbortSignal.timeout(KEYCHAIN_TIMEOUT_MS));
    },
  };
}

/** Why the keychain failed, per platform, as a code (the wizard words it). Never includes a secret. */
export function keychainProblem(platform: string, error: unknown): KeychainProblem {
  const detail = error instanceof Error ? error.message : String(error);
  if (platform === 'linux') {
    if (/dbus|secret|org\.freedesktop|autolaunch|no such interface|service unknown/i.test(detail))
      return 'linux-no-secret-service';
    if (/locked/i.test(detail)) return 'linux-locked';
    return 'linux-other';
  }
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  return 'none';
}

export interface VaultLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Secrets the host must keep to resume: kept in memory for this run, and in the OS keychain when it works. When the
 * keychain fails the journey goes on with memory only and `status` says so in plain words; there is no other
 * fallback. `wipe()` clears both (Done, sign-out, and when the server says the session is gone).
 */
export class Vault {
  private readonly memory = new Map<VaultKey, string>();
  private current: KeychainStatus = { available: true };
  private probing: Promise<KeychainStatus> | undefined;
  /** Keys deleted or wiped in this run (a slow start-up read must not bring them back). */
  private readonly deleted = new Set<VaultKey>();

  constructor(
    private readonly store: SecretStore | null,
    private readonly platform: string = process.platform,
    private readonly log: VaultLogger = { warn: () => undefined },
  ) {
    if (!store) this.current = { available: false, problem: keychainProblem(platform, 'none') };
  }

  get status(): KeychainStatus {
    return { ...this.current };
  }

  /**
   * Reads the keychain once at start so the status is known before the first secret is stored. Every caller waits for
   * that one read to finish (a secret asked for during start-up must not look absent).
   */
  probe(): Promise<KeychainStatus> {
    this.probing ??= this.readAll().then(() => this.status);
    return this.probing;
  }

  private async readAll(): Promise<void> {
    if (!this.store) return;
    try {
      for (const key of VAULT_KEYS) {
        const value = await this.store.get(key);
        if (value !== null && !this.memory.has(key) && !this.deleted.has(key)) this.memory.set(key, value);
      }
    } catch (err) {
      this.markUnavailable(err);
    }
  }

  async get(key: VaultKey): Promise<string | undefined> {
    await this.probe();
    return this.memory.get(key);
  }

  async set(key: VaultKey, value: string): Promise<void> {
    await this.probe();
    this.deleted.delete(key);
    this.memory.set(key, value);
    if (!this.store || !this.current.available) return;
    try {
      await this.store.set(key, value);
    } catch (err) {
      this.markUnavailable(err);
    }
  }

  async delete(key: VaultKey): Promise<void> {
    await this.probe();
    this.deleted.add(key);
    this.memory.delete(key);
    if (!this.store || !this.current.available) return;
    try {
      await this.store.delete(key);
    } catch (err) {
      if (!isNoEntry(err)) this.markUnavailable(err);
    }
  }

  /** Forgets every secret, in memory and in the keychain. */
  async wipe(): Promise<void> {
    this.memory.clear();
    for (const key of VAULT_KEYS) this.deleted.add(key);
    if (!this.store || !this.current.available) return;
    for (const key of VAULT_KEYS) {
      try {
        await this.store.delete(key);
      } catch (err) {
        if (!isNoEntry(err)) this.markUnavailable(err);
      }
    }
  }

  private markUnavailable(err: unknown): void {
    if (!this.current.available) return;
    this.current = { available: false, problem: keychainProblem(this.platform, err) };
    // The error text from the keyring library names the platform failure, never the secret.
    this.log.warn('keychain unavailable; secrets kept in memory for this run only', {
      error: (err instanceof Error ? err.message : String(err)).slice(0, 200),
    });
  }
}

function isNoEntry(err: unknown): boolean {
  return err instanceof Error && /no (matching )?entry|not found/i.test(err.message);
}
