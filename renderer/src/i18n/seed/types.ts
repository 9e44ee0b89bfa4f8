import type { SeedPlatform } from '../../../../shared/domain/seed-catalogue';

/** One SEED check's words in one language (the English ones live in shared/domain/seed-catalogue.ts). */
export interface SeedCheckText {
  title: string;
  remediation: string;
  clearWarning?: string;
  platformRemediation?: Partial<Record<SeedPlatform, string>>;
}

/** A language's SEED texts: every check of the catalogue, and SEED-12's Defender table. */
export interface SeedTexts {
  checks: Readonly<Record<string, SeedCheckText>>;
  defenderByOrg: string;
  /** What to do per known organisation, by its name in DEFENDER_ORGS. */
  defenderOrgs: Readonly<Record<string, string>>;
  defenderOtherOrg: string;
  defenderAnyOther: string;
}
