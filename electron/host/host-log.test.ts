import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHostDataDir } from './data-dir';
import { createHostLogger, redact } from './host-log';

describe('host log', () => {
  it('redacts secret-looking fields at any depth and writes JSON lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'techpass-log-'));
    try {
      const log = createHostLogger({ file: join(dir, 'logs', 'host.log') });
      log.warn('something', { password: 'hunter2', nested: { sessionToken: 'abc', method: 'signIn' }, code: '123456', step: 'phone' });
      const line = JSON.parse(readFileSync(join(dir, 'logs', 'host.log'), 'utf8').trim()) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 'warn', message: 'something', password: '[redacted]', code: '[redacted]', step: 'phone' });
      expect(line.nested).toEqual({ sessionToken: '[redacted]', method: 'signIn' });
      expect(JSON.stringify(line)).not.toMatch(/hunter2|abc"|123456/);
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
    expect(defaultHostDataDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux')).toBe('/home/a/.config/techpass-onboarding-web');
    expect(defaultHostDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toContain('TechPass Onboarding (web)');
    expect(defaultHostDataDir({}, 'darwin')).toContain('Library/Application Support');
  });
});
