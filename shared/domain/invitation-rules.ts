/**
 * Invitation rules (domain.md §2.1, §3.1) shared by every path that creates an invitation: the admin API (single and
 * bulk) and the admin CLI, which checks a file or the options before it sends anything.
 */
import { fieldProblem, type FieldProblem } from './field-problems';
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
 * The cross-field rules of §3.1 that a per-field schema cannot express, as field → problem (undefined when none):
 * - a WoG or MoE address signs in through its integrated identity provider and is never invited (§1.2, §3.1 step 2);
 * - offshore needs an ODC, a company name exactly when the ODC is Others, and SEED (mandatory offshore, §1.4);
 * - onshore has neither an ODC nor an offshore company name.
 */
export function invitationProblems(body: InvitationRequest): Record<string, FieldProblem> | undefined {
  const fields: Record<string, FieldProblem> = {};
  const kind = classifyEmail(body.email).kind;
  if (kind === 'government' || kind === 'moe') fields.email = fieldProblem('email.integrated_identity_provider');
  const others = { others: ODC_OTHERS };
  if (body.businessOperation === 'offshore') {
    if (!body.odc) fields.odc = fieldProblem('odc.required_offshore', others);
    if (body.odc === ODC_OTHERS && !body.offshoreCompanyName)
      fields.offshoreCompanyName = fieldProblem('offshore_company_name.required_for_others', others);
    if (body.odc && body.odc !== ODC_OTHERS && body.offshoreCompanyName)
      fields.offshoreCompanyName = fieldProblem('offshore_company_name.only_for_others', others);
    if (!body.seedRequested) fields.seedRequested = fieldProblem('seed.required_offshore');
  } else {
    const onshore = fieldProblem('offshore.onshore_not_applicable');
    if (body.odc) fields.odc = onshore;
    if (body.offshoreCompanyName) fields.offshoreCompanyName = onshore;
  }
  return Object.keys(fields).length ? fields : undefined;
}

/**
 * The status of an invitation as of `now`: a SENT invitation whose link validity (D1) has run out is expired on every
 * read, before the lifecycle job records it.
 */
export function invitationStatusAt(
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- names the known values; a stored string is accepted
  inv: { status: InvitationStatus | string; expiresAt: string | Date },
  now: Date,
): InvitationStatus {
  const status = InvitationStatus.parse(inv.status.toLowerCase());
  if (status === 'sent' && new Date(inv.expiresAt).getTime() <= now.getTime()) return 'expired';
  return status;
}
