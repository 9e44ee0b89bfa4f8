import { DEFENDER_ORGS, DEFENDER_OTHER_ORG_ACTION } from '../../../../shared/domain/seed-catalogue';
import type { Decision } from '../types';

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
