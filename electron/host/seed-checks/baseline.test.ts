import { describe, expect, it } from 'vitest';
import { BUNDLED_SEED_OS_BASELINE, SeedOsBaseline } from '../../../shared/domain/seed-os-baseline';
import { decideMacVersion, decideWindowsVersion, loadBaseline } from './baseline';

describe('the bundled baseline', () => {
  it('validates against its own schema and matches domain.md §6.4', () => {
    expect(SeedOsBaseline.parse(BUNDLED_SEED_OS_BASELINE)).toEqual(BUNDLED_SEED_OS_BASELINE);
    expect(BUNDLED_SEED_OS_BASELINE.macos.supported.map((e) => `${e.major}:${e.minVersion}`)).toEqual([
      '26:26.1',
      '15:15.7.2',
      '14:14.8.2',
    ]);
    expect(BUNDLED_SEED_OS_BASELINE.windows.supported.map((e) => `${e.build}.${e.minUbr}`)).toEqual([
      '22621.6060',
      '22631.6491',
      '26100.7623',
      '26200.7623',
    ]);
  });
});

describe('loadBaseline', () => {
  const served = { ...BUNDLED_SEED_OS_BASELINE, version: '2026-03', effectiveFrom: '2026-03-17' };
  it('uses a valid served copy', async () => {
    const l = await loadBaseline({ fetchRemote: async () => served });
    expect(l).toMatchObject({ source: 'backend', baseline: { version: '2026-03' } });
    expect(l.note).toMatch(/2026-03 .*from the backend/);
  });
  type Fetch = (() => Promise<unknown>) | undefined;
  it.each<[string, Fetch, RegExp]>([
    ['no fetcher', undefined, /no backend copy requested/],
    [
      'fetch fails',
      async () => {
        throw new Error('ECONNREFUSED');
      },
      /unavailable: ECONNREFUSED/,
    ],
    ['empty body', async () => null, /sent no baseline/],
    ['invalid body', async () => ({ ...served, effectiveFrom: 'March' }), /invalid \(effectiveFrom/],
    ['unknown extra field (strict)', async () => ({ ...served, extra: 1 }), /invalid/],
  ])('falls back to the bundled copy: %s', async (_l, fetchRemote, why) => {
    const l = await loadBaseline({ fetchRemote });
    expect(l.source).toBe('bundled');
    expect(l.baseline).toBe(BUNDLED_SEED_OS_BASELINE);
    expect(l.note).toMatch(why);
  });
});

describe('decide versions against the bundled baseline', () => {
  const b = BUNDLED_SEED_OS_BASELINE;
  it.each([
    ['26.1', 'PASS'],
    ['26.0.1', 'FAIL'],
    ['15.7.2', 'PASS'],
    ['15.10', 'PASS'],
    ['15.7.1', 'FAIL'],
    ['14.8.2', 'PASS'],
    ['14.8', 'FAIL'],
    ['13.7.8', 'FAIL'],
    ['27.0', 'FAIL'],
  ])('macOS %s → %s', (v, s) => expect(decideMacVersion(b, v).status).toBe(s));
  it.each([
    [22621, 6060, 'PASS'],
    [22621, 6059, 'FAIL'],
    [22631, 6491, 'PASS'],
    [26100, 7622, 'FAIL'],
    [26100, 7623, 'PASS'],
    [26200, 8000, 'PASS'],
    [22000, 9999, 'FAIL'],
    [19045, 6456, 'FAIL'],
    [26100, undefined, 'UNKNOWN'],
  ] as const)('Windows %i.%s → %s', (build, ubr, s) => expect(decideWindowsVersion(b, build, ubr).status).toBe(s));
});
