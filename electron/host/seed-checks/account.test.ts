import { describe, expect, it } from 'vitest';
import { accountChecks } from './account';
import type { SeedAccountInputs } from './types';

const NOW = new Date('2026-03-02T02:00:00Z'); // 10:00 SGT
const base: SeedAccountInputs = {
  accountState: 'ACTIVE',
  onboardingComplete: true,
  seed: { state: 'PROVISIONED', emailExpiresAt: '2026-03-20T00:00:00Z', devices: [] },
  loginId: 'alice@techpass.gov.sg',
  businessOperation: 'onshore',
  maintenance: [],
};
const seed = (s: Partial<NonNullable<SeedAccountInputs['seed']>>) => ({ ...base, seed: { ...base.seed!, ...s } });

type Row = [string, string, SeedAccountInputs | undefined, string, RegExp?, Date?];
const rows: Row[] = [
  ['ACC-1', 'active and onboarded', base, 'PASS'],
  ['ACC-1', 'active, terms pending', { ...base, onboardingComplete: false }, 'FAIL', /not complete/],
  ['ACC-1', 'pending', { ...base, accountState: 'PENDING' }, 'FAIL', /PENDING/],
  ['ACC-1', 'disabled', { ...base, accountState: 'DISABLED' }, 'FAIL', /DISABLED/],
  ['ACC-1', 'terminated', { ...base, accountState: 'TERMINATED' }, 'FAIL', /TERMINATED/],
  ['ACC-2', 'provisioned', base, 'PASS'],
  ['ACC-2', 'not required', seed({ state: 'NOT_REQUIRED' }), 'FAIL', /NOT_REQUIRED/],
  ['ACC-2', 'ineligible', seed({ state: 'INELIGIBLE' }), 'FAIL', /not eligible/],
  ['ACC-2', 'revoked', seed({ state: 'LICENCE_REVOKED' }), 'FAIL', /revoked/],
  ['ACC-2', 'deprovisioned', seed({ state: 'DEPROVISIONED' }), 'FAIL', /declined/],
  ['ACC-2', 'invite expired still has the licence', seed({ state: 'INVITE_EXPIRED' }), 'PASS'],
  ['ACC-3', 'valid 17 days', base, 'PASS', /17 days left/],
  ['ACC-3', 'expires in 2 days', seed({ emailExpiresAt: '2026-03-04T00:00:00Z' }), 'WARN', /less than 3 days/],
  ['ACC-3', 'expired by date', seed({ emailExpiresAt: '2026-03-01T00:00:00Z' }), 'FAIL', /expired/],
  ['ACC-3', 'expired by state', seed({ state: 'INVITE_EXPIRED' }), 'FAIL'],
  ['ACC-3', 'no expiry known', seed({ emailExpiresAt: undefined }), 'UNKNOWN'],
  ['ACC-3', 'already onboarded', seed({ state: 'ONBOARDED' }), 'N/A'],
  ['ACC-4', 'vendor', base, 'PASS', /vendor route/],
  ['ACC-4', 'public officer', { ...base, loginId: 'tan_ah_kow@tech.gov.sg' }, 'PASS', /public officer route/],
  ['ACC-4', 'other', { ...base, loginId: 'bob@example.com' }, 'WARN'],
  ['ACC-5', 'no devices', base, 'PASS'],
  [
    'ACC-5',
    'a device pending',
    seed({ devices: [{ name: 'LAPTOP-1', state: 'DEVICE_ONBOARDING' }] }),
    'FAIL',
    /LAPTOP-1/,
  ],
  ['ACC-5', 'state onboarded', seed({ state: 'ONBOARDED', devices: [] }), 'FAIL'],
  ['ACC-5', 'device list missing', seed({ devices: undefined }), 'UNKNOWN'],
  ['ACC-6', 'no window', base, 'PASS'],
  [
    'ACC-6',
    'inside a window',
    {
      ...base,
      maintenance: [{ start: '2026-03-02T01:00:00Z', end: '2026-03-02T03:00:00Z', description: 'Tanium upgrade' }],
    },
    'WARN',
    /Tanium upgrade/,
  ],
  [
    'ACC-6',
    'window soon',
    { ...base, maintenance: [{ start: '2026-03-02T03:00:00Z', end: '2026-03-02T05:00:00Z' }] },
    'INFO',
    /starts soon/,
  ],
  [
    'ACC-6',
    'no feed, usual hours',
    { ...base, maintenance: undefined },
    'INFO',
    /within those hours now/,
    new Date('2026-03-02T11:00:00Z'),
  ],
  ['ACC-6', 'no feed, daytime', { ...base, maintenance: undefined }, 'INFO', /^(?!.*within those hours)/],
];

describe.each(rows)('%s %s', (id, _label, inputs, status, evidence, now) => {
  it(`→ ${status}`, () => {
    const d = accountChecks(inputs, now ?? NOW)[id]!;
    expect(d.status).toBe(status);
    if (evidence) expect(d.evidence).toMatch(evidence);
  });
});

describe('without a signed-in user (the CLI)', () => {
  it('reports UNKNOWN/INFO with why, never FAIL', () => {
    const all = accountChecks(undefined, NOW);
    expect(Object.values(all).map((d) => d.status)).toEqual([
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
      'INFO',
    ]);
    expect(all['ACC-1']!.evidence).toMatch(/No signed-in TechPass session/);
  });
});
