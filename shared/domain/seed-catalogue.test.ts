import { describe, expect, it } from 'vitest';
import { catalogueEntry, DEFENDER_ORGS, SEED_CATALOGUE } from './seed-catalogue';
import { CheckResult } from './seed-report';

describe('SEED catalogue', () => {
  it('has ACC-1…ACC-6 then SEED-01…SEED-21, each once', () => {
    expect(SEED_CATALOGUE.map((e) => e.id)).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((n) => `ACC-${n}`),
      ...Array.from({ length: 21 }, (_, i) => `SEED-${String(i + 1).padStart(2, '0')}`),
    ]);
  });
  it.each(SEED_CATALOGUE.map((e) => [e.id, e] as const))('%s is complete and fits the report schema', (_id, e) => {
    expect(e.kind).toBe(e.id.startsWith('ACC') ? 'account' : 'device');
    expect(e.title.length).toBeGreaterThan(5);
    expect(e.severity).toMatch(/FAIL|WARN|INFO/);
    expect(e.remediation.length).toBeGreaterThan(20);
    expect(e.platforms.length).toBeGreaterThan(0);
    for (const p of Object.keys(e.platformRemediation ?? {})) expect(e.platforms).toContain(p);
    expect(
      CheckResult.safeParse({
        id: e.id,
        status: 'FAIL',
        title: e.title,
        evidence: 'x',
        remediation: e.remediation,
        docUrl: e.docUrl,
        needsElevation: false,
      }).success,
    ).toBe(true);
  });
  it.each(SEED_CATALOGUE.filter((e) => /WARN/.test(e.severity)).map((e) => [e.id, e] as const))(
    '%s can warn, and says exactly what clears the warning',
    (_id, e) => {
      expect(e.clearWarning).toMatch(/(then check again|tick the confirmation under this check)\.$/);
    },
  );
  it('knows the three documented Defender org ids', () => {
    expect(DEFENDER_ORGS.map((o) => o.name)).toEqual(['WOG', 'TechPass', 'Hive']);
    for (const o of DEFENDER_ORGS)
      expect(o.orgId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
  it('catalogueEntry throws for an unknown id', () => {
    expect(catalogueEntry('SEED-07').title).toMatch(/browser/);
    expect(() => catalogueEntry('SEED-99')).toThrow(/Unknown/);
  });
});
