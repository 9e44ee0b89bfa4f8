/**
 * Invitation rules (domain.md §2.1, §3.1) shared by every path that creates an invitation: the admin API (single and
 * bulk) and the admin CLI, which checks a file or the options before it sends anything.
 */
import { classifyEmail, ODC_OTHERS } from './registration-rules';
import { InvitationStatus, type BusinessOperation } from './states';

/** The fields of an invitation request the cross-field rules read. */
export interface InvitationRequest {
  email: string;
  businessOperation: BusinessOperation;
  odc?: string | undefined;
  offshoreCompanyName?: string | undefined;
  seedRequested: boolean;
}

/**
 * The cross-field rules of §3.1 that a per-field schema cannot express, as field → message (undefined when none):
 * - a WoG or MoE address signs in through its integrated identity provider and is never invited (§1.2, §3.1 step 2);
 * - offshore needs an ODC, a company name exactly when the ODC is Others, and SEED (mandatory offshore, §1.4);
 * - onshore has neither an ODC nor an offshore company name.
 */
export function invitationProblems(body: InvitationRequest): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  const kind = classifyEmail(body.email).kind;
  if (kind === 'government' || kind === 'moe') {
    fields.email = 'This address belongs to an integrated government identity provider: that user signs in with their own government account and needs no invitation.';
  }
  if (body.businessOperation === 'offshore') {
    if (!body.odc) fields.odc = `Offshore users need an ODC: pick one from the list, or "${ODC_OTHERS}" with an offshore company name.`;
    if (body.odc === ODC_OTHERS && !body.offshoreCompanyName) fields.offshoreCompanyName = `Enter the offshore company name when the ODC is "${ODC_OTHERS}".`;
    if (body.odc && body.odc !== ODC_OTHERS && body.offshoreCompanyName) fields.offshoreCompanyName = `Only give an offshore company name when the ODC is "${ODC_OTHERS}".`;
    if (!body.seedRequested) fields.seedRequested = 'SEED is mandatory for offshore users: set seedRequested to true.';
  } else {
    const onshore = 'The ODC and the offshore company name apply to offshore users only. Leave them out for onshore users.';
    if (body.odc) fields.odc = onshore;
    if (body.offshoreCompanyName) fields.offshoreCompanyName = onshore;
  }
  return Object.keys(fields).length ? fields : undefined;
}

/**
 * The status of an invitation as of `now`: a SENT invitation whose link validity (D1) has run out is expired on every
 * read, before the lifecycle job records it.
 */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- names the known values; a stored string is accepted
export function invitationStatusAt(inv: { status: InvitationStatus | string; expiresAt: string | Date }, now: Date): InvitationStatus {
  const status = InvitationStatus.parse(inv.status.toLowerCase());
  if (status === 'sent' && new Date(inv.expiresAt).getTime() <= now.getTime()) return 'expired';
  return status;
}

