import { describe, expect, it, vi } from 'vitest';
import { externalAllowlist, ORG_CONFIG_DEFAULTS } from '../host/org-config';
import { createSafeOpener } from './open-external';
import { seedCheckArgs } from './seed-check-argv';

vi.mock('electron', () => ({}));

describe('safe external opener', () => {
  it('opens allow-listed https links and refuses everything else', async () => {
    const open = vi.fn(async () => undefined);
    const log = { warn: vi.fn() };
    const opener = createSafeOpener(externalAllowlist(ORG_CONFIG_DEFAULTS), open, log);
    expect(await opener('https://go.gov.sg/seed-techpass-support')).toBe(true);
    for (const bad of [
      'http://go.gov.sg/x',
      'https://evil.example/',
      'file:///etc/passwd',
      'smb://host/share',
      'not a url',
    ]) {
      expect(await opener(bad)).toBe(false);
    }
    expect(open.mock.calls).toEqual([['https://go.gov.sg/seed-techpass-support']]);
    expect(log.warn).toHaveBeenCalledTimes(5);
  });
});

describe('--seed-check argv', () => {
  it('is null without the flag and keeps only the check’s own options', () => {
    expect(seedCheckArgs(['/app/techpass-onboarding'])).toBeNull();
    expect(seedCheckArgs(['/app/techpass-onboarding', '--seed-check'])).toEqual([]);
    expect(seedCheckArgs(['/app/techpass-onboarding', '--seed-check', '--json', '--no-sandbox'])).toEqual(['--json']);
    expect(seedCheckArgs(['electron', '.', '--seed-check', '--format', 'html'])).toEqual(['--format', 'html']);
  });
});
