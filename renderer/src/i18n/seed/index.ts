import {
  DEFENDER_ORGS,
  defenderOrgList,
  SEED_CATALOGUE,
  type SeedPlatform,
} from '../../../../shared/domain/seed-catalogue';
import type { CheckResult } from '../../../../shared/domain/seed-report';
import { pseudoText } from '../pseudo';
import type { AnyLocale } from '../types';
import type { SeedTexts } from './types';

export type { SeedCheckText, SeedTexts } from './types';

/** The pseudo-locale's SEED texts: the English catalogue, pseudo-localised (dev and tests only). */
function pseudoSeedTexts(): SeedTexts {
  const p = (s: string): string => `[${pseudoText(s)}]`;
  const mapRecord = <T extends string>(r: Partial<Record<T, string>> | undefined) =>
    r && (Object.fromEntries(Object.entries(r).map(([k, v]) => [k, p(v as string)])) as Partial<Record<T, string>>);
  return {
    checks: Object.fromEntries(
      SEED_CATALOGUE.map((e) => [
        e.id,
        {
          title: p(e.title),
          remediation: p(e.remediation),
          ...(e.clearWarning ? { clearWarning: p(e.clearWarning) } : {}),
          ...(e.platformRemediation ? { platformRemediation: mapRecord(e.platformRemediation) } : {}),
        },
      ]),
    ),
    defenderByOrg: p('By org id:'),
    defenderOrgs: Object.fromEntries(DEFENDER_ORGS.map((o) => [o.name, p(o.action)])),
    defenderOtherOrg: p('Another organisation'),
    defenderAnyOther: p('Any other org id'),
  };
}

/** A language's SEED texts (its own chunk); English has none here: the report the host made is already English. */
export async function seedTexts(locale: AnyLocale): Promise<SeedTexts | undefined> {
  if (locale === 'zh-CN') return (await import('./zh-CN')).SEED_ZH_CN;
  if (locale === 'en-XA') return pseudoSeedTexts();
  return undefined;
}

/** A check as the screen shows it: its title and steps in the screen's language. */
export interface LocalisedCheck {
  title: string;
  /** What to do, in the screen's language. */
  remediation: string;
  /** What the probe added for this device beyond the catalogue's steps (English: the probes word it). */
  deviceDetails?: string;
  /** What clears a warning. */
  clearWarning?: string;
}

const PLATFORMS: readonly SeedPlatform[] = ['windows', 'macos', 'linux'];

/**
 * The host's report is in English (it is also what the CLI prints and IT reads). Its remediation is the probe's
 * device-specific line, then the catalogue's steps, then the platform's: the catalogue's parts are replaced by the
 * translation and what is left is the device-specific part, kept (in English) rather than lost.
 */
export function localiseCheck(check: CheckResult, texts: SeedTexts | undefined): LocalisedCheck {
  const entry = SEED_CATALOGUE.find((e) => e.id === check.id);
  const text = texts?.checks[check.id];
  if (!entry || !text) {
    return {
      title: check.title,
      remediation: check.remediation,
      ...(entry?.clearWarning ? { clearWarning: entry.clearWarning } : {}),
    };
  }
  let rest = check.remediation;
  const parts: string[] = [];
  if (rest.includes(entry.remediation)) {
    rest = rest.replace(entry.remediation, '');
    parts.push(text.remediation);
  }
  const platform = PLATFORMS.find(
    (p) => entry.platformRemediation?.[p] && rest.includes(entry.platformRemediation[p] ?? ''),
  );
  if (platform) {
    rest = rest.replace(entry.platformRemediation?.[platform] ?? '', '');
    const translated = text.platformRemediation?.[platform];
    if (translated) parts.push(translated);
  }
  if (check.id === 'SEED-12' && rest.includes(defenderOrgList())) {
    rest = rest.replace(defenderOrgList(), '');
    parts.push(
      `${texts.defenderByOrg}\n` +
        DEFENDER_ORGS.map((o) => `• ${o.orgId} (${o.name}): ${texts.defenderOrgs[o.name] ?? o.action}`).join('\n') +
        `\n• ${texts.defenderAnyOther}: ${texts.defenderOtherOrg}`,
    );
  }
  const deviceDetails = rest.replace(/\n{2,}/g, '\n').trim();
  return {
    title: text.title,
    remediation: check.remediation ? parts.join('\n') : '',
    ...(deviceDetails ? { deviceDetails } : {}),
    ...(text.clearWarning ? { clearWarning: text.clearWarning } : {}),
  };
}
