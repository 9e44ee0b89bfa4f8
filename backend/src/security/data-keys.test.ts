import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { keyedHash, keyedHashMatches, localDataKeys, open, parseDataKeys, seal, sealedWithOldKey } from './data-keys';

const k = (n: number) => Buffer.alloc(32, n).toString('base64');

describe('data keys', () => {
  it('seals and opens; the plaintext is not in the sealed value; context binds it to its row', () => {
    const ring = parseDataKeys(`a:${k(1)}`);
    const sealed = seal(ring, 'JBSWY3DPEHPK3PXP', 'totp:acc-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(open(ring, sealed, 'totp:acc-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => open(ring, sealed, 'totp:acc-2')).toThrow();
    expect(seal(ring, 'x', 'c')).not.toBe(seal(ring, 'x', 'c'));
  });

  it('rotation: a new first key seals, the old one still opens, and old values are detectable', () => {
    const old = parseDataKeys(`a:${k(1)}`);
    const sealed = seal(old, 'secret', 'ctx');
    const rotated = parseDataKeys(`b:${k(2)},a:${k(1)}`);
    expect(open(rotated, sealed, 'ctx')).toBe('secret');
    expect(sealedWithOldKey(rotated, sealed)).toBe(true);
    expect(sealedWithOldKey(rotated, seal(rotated, 'secret', 'ctx'))).toBe(false);
    expect(() => open(parseDataKeys(`b:${k(2)}`), sealed, 'ctx')).toThrow(/not in DATA_ENCRYPTION_KEYS/);
  });

  it('keyed hashes: match with the key they name, survive rotation, differ per purpose', () => {
    const ring = parseDataKeys(`a:${k(1)}`);
    const h = keyedHash(ring, '123456', 'sms');
    expect(keyedHashMatches(ring, h, '123456', 'sms')).toBe(true);
    expect(keyedHashMatches(ring, h, '123457', 'sms')).toBe(false);
    expect(keyedHashMatches(ring, h, '123456', 'reset')).toBe(false);
    expect(keyedHashMatches(parseDataKeys(`b:${k(2)},a:${k(1)}`), h, '123456', 'sms')).toBe(true);
  });

  it('refuses malformed rings', () => {
    expect(() => parseDataKeys('')).toThrow();
    expect(() => parseDataKeys('a:short')).toThrow(/32 bytes/);
    expect(() => parseDataKeys(`a:${k(1)},a:${k(2)}`)).toThrow(/twice/);
  });

  it('demo/test: a generated key file (0600) that a restart reads back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-keys-'));
    const a = localDataKeys(dir);
    const b = localDataKeys(dir);
    expect(open(b, seal(a, 'v', 'c'), 'c')).toBe('v');
    expect(statSync(join(dir, 'data-keys.local')).mode & 0o777).toBe(0o600);
  });

  it('production refuses to start without DATA_ENCRYPTION_KEYS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-keys-'));
    expect(() => loadConfig({ TECHPASS_DATA_DIR: dir })).toThrow(/DATA_ENCRYPTION_KEYS: required in production/);
    expect(
      loadConfig({ TECHPASS_DATA_DIR: dir, DATA_ENCRYPTION_KEYS: `k1:${k(3)}`, DELIVERY: 'store-only' }).dataKeys
        .currentId,
    ).toBe('k1');
  });
});

describe('test and demo mode stay on this machine', () => {
  it('refuses a non-loopback HOST in test or demo mode unless allowed on purpose; production is not affected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-host-'));
    for (const mode of [{ TECHPASS_TEST_MODE: '1' }, { TECHPASS_DEMO: '1' }]) {
      for (const host of ['0.0.0.0', '10.1.2.3', '::', 'example.com']) {
        expect(() => loadConfig({ TECHPASS_DATA_DIR: dir, HOST: host, ...mode })).toThrow(
          /HOST: (test|demo) mode listens on 127\.0\.0\.1, ::1 or localhost only/,
        );
      }
      for (const host of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost'])
        expect(loadConfig({ TECHPASS_DATA_DIR: dir, HOST: host, ...mode }).host).toBe(host);
      expect(
        loadConfig({ TECHPASS_DATA_DIR: dir, HOST: '0.0.0.0', TECHPASS_ALLOW_REMOTE_TEST_MODE: '1', ...mode }).host,
      ).toBe('0.0.0.0');
    }
    expect(
      loadConfig({
        TECHPASS_DATA_DIR: dir,
        HOST: '0.0.0.0',
        DATA_ENCRYPTION_KEYS: `k1:${k(3)}`,
        DELIVERY: 'store-only',
      }).host,
    ).toBe('0.0.0.0');
  });
});
