import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHostDataDir } from './data-dir';
import { createHostLogger, redact } from './host-log';

describe('host log', () => {
  it('redacts secret-looking fields at any depth and writes JSON lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'techpass-log-'));
    try {
      const log = createHostLogger({ file: join(dir, 'logs', 'host.log') });
      log.warn('something', {
        password: 'hunter2',
        nested: { sessionToken: 'abc', method: 'signIn' },
        code: '123456',
        step: 'phone',
      });
      await log.close();
      const line = JSON.parse(readFileSync(join(dir, 'logs', 'host.log'), 'utf8').trim()) as Record<string, unknown>;
      expect(line).toMatchObject({
        level: 'warn',
        message: 'something',
        password: '[redacted]',
        code: '[redacted]',
        step: 'phone',
      });
      expect(line.nested).toEqual({ sessionToken: '[redacted]', method: 'signIn' });
      expect(JSON.stringify(line)).not.toMatch(/hunter2|abc"|123456/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes asynchronously: a call returns before the line is on disk, and flush waits for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'techpass-log-'));
    const file = join(dir, 'logs', 'host.log');
    try {
      const log = createHostLogger({ file });
      log.info('first line', { step: 'welcome' });
      // Nothing was written in the caller's turn of the event loop (an appendFileSync would have).
      expect(existsSync(file) ? readFileSync(file, 'utf8') : '').not.toContain('first line');
      await log.flush();
      expect(readFileSync(file, 'utf8')).toContain('"message":"first line"');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      await log.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rotates at the size limit and keeps only the configured number of older files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'techpass-log-'));
    const logs = join(dir, 'logs');
    try {
      const log = createHostLogger({ file: join(logs, 'host.log'), maxSize: '4K', rotations: 2 });
      // About 150 bytes a line: 100 lines are ~15 KiB, several times the limit.
      for (let i = 0; i < 100; i++) log.info('journey step', { i, note: 'n'.repeat(100) });
      await log.close();
      expect(readdirSync(logs).sort()).toEqual(['host.log', 'host.log.1', 'host.log.2']);
      // Each rotated file stopped near the limit (a file rotates once a write takes it to the limit).
      for (const f of ['host.log.1', 'host.log.2']) expect(statSync(join(logs, f)).size).toBeLessThan(4096 + 300);
      // Newest last: the live file holds the last line, host.log.1 the lines before it; nothing is lost in between.
      const live = readFileSync(join(logs, 'host.log'), 'utf8').trim().split('\n');
      const prev = readFileSync(join(logs, 'host.log.1'), 'utf8').trim().split('\n');
      const index = (l: string) => (JSON.parse(l) as { i: number }).i;
      expect(index(live[live.length - 1]!)).toBe(99);
      expect(index(prev[prev.length - 1]!) + 1).toBe(index(live[0]!));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never breaks the app when the log file cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'techpass-log-'));
    try {
      // The "logs" folder is a file: the folder cannot be made.
      writeFileSync(join(dir, 'logs'), 'not a folder');
      const log = createHostLogger({ file: join(dir, 'logs', 'host.log') });
      expect(() => log.error('still fine', {})).not.toThrow();
      await log.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shortens long values', () => {
    expect(String(redact({ note: 'x'.repeat(1000) })?.note)).toHaveLength(300);
  });
});

describe('defaultHostDataDir', () => {
  it('uses TECHPASS_HOST_DATA_DIR, else a per-user folder per platform', () => {
    expect(defaultHostDataDir({ TECHPASS_HOST_DATA_DIR: '/tmp/x' }, 'linux')).toBe('/tmp/x');
    expect(defaultHostDataDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux')).toBe(
      '/home/a/.config/techpass-onboarding-web',
    );
    expect(defaultHostDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toContain(
      'TechPass Onboarding (web)',
    );
    expect(defaultHostDataDir({}, 'darwin')).toContain('Library/Application Support');
  });
});
