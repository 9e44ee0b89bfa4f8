import { DEFENDER_ORGS, DEFENDER_OTHER_ORG_ACTION } from '../../../../shared/domain/seed-catalogue';
import { parseMdatpOrgId } from '../parsers/macos';
import type { Decision, ProbeContext } from '../types';
import { completed, output, unknown, whyFailed } from './util';

export function defenderDecision(orgId: string | undefined, evidence: string): Decision {
  if (!orgId) {
    return { status: 'PASS', evidence: `No Defender for Endpoint org id. ${evidence}`.trim() };
  }
  const org = DEFENDER_ORGS.find((o) => o.orgId === orgId.toLowerCase());
  return {
    status: 'FAIL',
    evidence: `Defender for Endpoint org id ${orgId} (${org ? org.name : 'another organisation'}). ${evidence}`.trim(),
    remediation: org ? `${org.name} tenant: ${org.action}` : DEFENDER_OTHER_ORG_ACTION,
  };
}

/** SEED-12 on macOS and Linux: the org id Defender for Endpoint's `mdatp` reports, decided as above. */
export async function mdatpDecision(ctx: ProbeContext, mdatp: string): Promise<Decision> {
  const args = ['health', '--field', 'org_id'];
  const res = await ctx.run(mdatp, args);
  if (!completed(res)) return unknown(whyFailed(mdatp, args, res));
  const orgId = parseMdatpOrgId(res.stdout);
  // No org id and a failed run: mdatp could not tell (not "not onboarded").
  if (!orgId && res.code !== 0) return unknown(whyFailed(mdatp, args, res));
  return defenderDecision(orgId, output(mdatp, args, res, 200));
}
