/**
 * The set-up the host's integration suites share: one test backend per file, throw-away data folders removed after
 * each test, and an in-memory keychain. Each registers its own vitest hooks, so a suite states what it needs in one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SecretStore, VaultKey } from '../vault';
import { startBackendProcess, type BackendProcess } from './backend-process';

/** A test backend started before the file's tests and stopped after them; call the result inside a test or hook. */
export function backendForSuite(options?: Parameters<typeof startBackendProcess>[0]): () => BackendProcess {
  let backend: BackendProcess | undefined;
  beforeAll(async () => {
    backend = await startBackendProcess(options);
  });
  afterAll(async () => {
    await backend?.stop();
  });
  return () => {
    if (!backend) throw new Error('the suite backend is not running (used outside a test or hook?)');
    return backend;
  };
}

/** Makes a fresh folder under the system temp dir named after `prefix`; every one is removed after each test. */
export function tempDirsPerTest(prefix: string): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    made.push(dir);
    return dir;
  };
}

/** A keychain held in memory (its entries readable by the test through `data`). */
export function memorySecretStore(
  entries: Iterable<[VaultKey, string]> = [],
): SecretStore & { data: Map<VaultKey, string> } {
  const data = new Map<VaultKey, string>(entries);
  return {
    data,
    get: async (k) => data.get(k) ?? null,
    set: async (k, v) => void data.set(k, v),
    delete: async (k) => void data.delete(k),
  };
}
