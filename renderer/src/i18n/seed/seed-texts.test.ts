import { describe, expect, it } from 'vitest';
import { DEFENDER_ORGS, defenderOrgList, SEED_CATALOGUE } from '../../../../shared/domain/seed-catalogue';
import type { CheckResult } from '../../../../shared/domain/seed-report';
import { localiseCheck, seedTexts } from '.';
import { SEED_ZH_CN } from './zh-CN';

const check = (over: Partial<CheckResult>): CheckResult => ({
  id: 'SEED-15',
  status: 'FAIL',
  title: 'Disk encryption on',
  evidence: 'FileVault is Off.',
  remediation: '',
  needsElevation: false,
  ...over,
});

describe('SEED texts per language', () => {
  it('Chinese: every check of the catalogue, with the same optional parts, in Chinese', () => {
    expect(Object.keys(SEED_ZH_CN.checks).sort()).toEqual(SEED_CATALOGUE.map((e) => e.id).sort());
    for (const e of SEED_CATALOGUE) {
      const zh = SEED_ZH_CN.checks[e.id];
      expect(zh, e.id).toBeDefined();
      expect(!!zh?.clearWarning, `${e.id} clearWarning`).toBe(!!e.clearWarning);
      expect(Object.keys(zh?.platformRemediation ?? {}).sort(), `${e.id} platforms`).toEqual(
        Object.keys(e.platformRemediation ?? {}).sort(),
      );
      for (const text of [zh?.title, zh?.remediation, zh?.clearWarning].filter(Boolean))
        expect(text, e.id).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(Object.keys(SEED_ZH_CN.defenderOrgs).sort()).toEqual(DEFENDER_ORGS.map((o) => o.name).sort());
  });

  it('replaces the catalogue parts of a report’s remediation and keeps what the probe found on this device', async () => {
    const texts = await seedTexts('zh-CN');
    const entry = SEED_CATALOGUE.find((e) => e.id === 'SEED-15')!;
    const remediation = [
      'FileVault is off on the startup disk.',
      entry.remediation,
      entry.platformRemediation?.macos,
    ].join('\n');
    const words = localiseCheck(check({ remediation }), texts);
    expect(words.title).toBe('磁盘加密已开启');
    expect(words.remediation).toBe(
      `${SEED_ZH_CN.checks['SEED-15']?.remediation}\n${SEED_ZH_CN.checks['SEED-15']?.platformRemediation?.macos}`,
    );
    expect(words.deviceDetails).toBe('FileVault is off on the startup disk.');
    expect(words.clearWarning).toBe(SEED_ZH_CN.checks['SEED-15']?.clearWarning);
  });

  it('SEED-12: the Defender table in the screen’s language', async () => {
    const texts = await seedTexts('zh-CN');
    const entry = SEED_CATALOGUE.find((e) => e.id === 'SEED-12')!;
    const words = localiseCheck(
      check({ id: 'SEED-12', remediation: [entry.remediation, defenderOrgList()].join('\n') }),
      texts,
    );
    expect(words.remediation).toContain('按机构 ID：');
    expect(words.remediation).not.toContain('By org id');
    expect(words.deviceDetails).toBeUndefined();
  });

  it('English: the report as the host wrote it', async () => {
    const texts = await seedTexts('en');
    const words = localiseCheck(check({ remediation: 'Turn it on.' }), texts);
    expect(words).toMatchObject({ title: 'Disk encryption on', remediation: 'Turn it on.' });
  });
});
