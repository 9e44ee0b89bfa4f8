import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialProgress, PROGRESS_FILE, ProgressStore } from './progress-store';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'techpass-progress-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ProgressStore', () => {
  it('starts at welcome, saves atomically (no temp file left), readable only by the user, and loads what it saved', () => {
    const dir = fresh();
    const store = new ProgressStore(join(dir, 'nested'));
    expect(store.load()).toEqual({ ...initialProgress(), correlationId: expect.any(String) });
    store.save({
      ...initialProgress(),
      step: 'phone',
      loginId: 'jane@techpass.gov.sg',
      acceptedTerms: ['privacy@2025.1'],
    });
    expect(readdirSync(join(dir, 'nested'))).toEqual([PROGRESS_FILE]);
    if (process.platform !== 'win32') expect(statSync(store.file).mode & 0o077).toBe(0);
    expect(new ProgressStore(join(dir, 'nested')).load()).toMatchObject({
      step: 'phone',
      loginId: 'jane@techpass.gov.sg',
    });
  });

  it('a corrupt or foreign file is ignored (start again) instead of crashing the app', () => {
    const dir = fresh();
    const store = new ProgressStore(dir);
    writeFileSync(store.file, '{ half a file');
    expect(store.load()).toEqual({ ...initialProgress(), correlationId: expect.any(String) });
    writeFileSync(store.file, JSON.stringify({ version: 1, step: 'not-a-step' }));
    expect(store.load()).toEqual({ ...initialProgress(), correlationId: expect.any(String) });
  });

  it('refuses to save something that is not valid progress', () => {
    const store = new ProgressStore(fresh());
    expect(() => store.save({ ...initialProgress(), step: 'nowhere' as never })).toThrow();
    expect(() => readFileSync(store.file)).toThrow();
  });
});
