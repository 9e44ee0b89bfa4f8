/**
 * The zod schemas of the registration fields (domain.md §3.4), for request bodies at the boundaries (backend, host,
 * API contract). Each field's rule lives in `registration-rules.ts` as a plain function; the schemas here only
 * call it, so the wizard (which uses the functions, without zod) and the server can never disagree.
 */
import { z } from 'zod';
import { fieldProblem, type FieldProblem } from './field-problems';
import {
  departmentProblem,
  E164_RE,
  firstNameProblem,
  governmentEmailProblem,
  lastNameProblem,
  compactPhone,
  normaliseEmail,
  offshoreCompanyAddressProblem,
  offshoreReportingOfficerNameProblem,
  orgEmailProblem,
  requiredRegistrationFields,
  usernameProblem,
  type InvitationFacts,
} from './registration-rules';

/**
 * A zod issue that carries a field problem: the code as the issue's message, its parameters as the issue's `params`
 * (`fieldProblemOfIssue` in `errors.ts` reads them back at every boundary).
 */
export function problemIssue(problem: FieldProblem, path?: PropertyKey[]) {
  return {
    code: 'custom' as const,
    message: problem.code,
    ...(path ? { path } : {}),
    ...(problem.params ? { params: problem.params } : {}),
  };
}

/**
 * A trimmed string checked by a rule function (its first problem is the issue). A value that is not a string at all
 * gets the rule's problem for an empty field, so "missing" reads the same whether the field was left out or blank.
 */
function checkedText(
  problem: (value: string) => FieldProblem | undefined,
  missing: FieldProblem = problem('') ?? fieldProblem('field.required'),
) {
  return z
    .string({ error: missing.code })
    .trim()
    .superRefine((v, ctx) => {
      const found = problem(v);
      if (found) ctx.addIssue(problemIssue(found));
    });
}

/** Lower-cases and trims, then checks §3.4's username rules; the message lists the rules. */
export const Username = checkedText(usernameProblem).toLowerCase();

export const FirstName = checkedText(firstNameProblem);
export const LastName = checkedText(lastNameProblem);
export const Department = checkedText(departmentProblem);
export const OffshoreReportingOfficerName = checkedText(offshoreReportingOfficerNameProblem);
export const OffshoreCompanyAddress = checkedText(offshoreCompanyAddressProblem);

export const Mobile = z
  .string({ error: 'mobile.required' satisfies FieldProblem['code'] })
  .transform(compactPhone)
  .pipe(z.string().regex(E164_RE, 'mobile.invalid' satisfies FieldProblem['code']));

/** An organisational email: valid format and length, not LiteMail, not personal. Lower-cased. */
export const OrgEmail = checkedText(orgEmailProblem).transform(normaliseEmail);

/** An inviter's email must be a government address with a standard mailbox (the inviter is a public officer). */
export const GovernmentEmail = checkedText(governmentEmailProblem, fieldProblem('email.required')).transform(
  normaliseEmail,
);

export const OffshoreReportingOfficer = z
  .object({
    name: OffshoreReportingOfficerName,
    email: OrgEmail,
  })
  .strict();

/** Longer than any policy allows: refused before hashing, so a huge body costs nothing. */
const PASSWORD_INPUT_MAX = 1024;

/**
 * The §3.4 registration body as the wizard sends it, before invitation-specific requirements.
 * Use `registrationBodyFor(invitation)` to get a schema that also enforces required/forbidden fields.
 */
export const RegistrationBodyBase = z
  .object({
    username: Username,
    firstName: FirstName,
    lastName: LastName,
    mobile: Mobile,
    department: Department,
    password: z
      .string({ error: 'password.required' satisfies FieldProblem['code'] })
      .max(PASSWORD_INPUT_MAX, 'password.too_long' satisfies FieldProblem['code'])
      .optional(),
    offshoreReportingOfficer: OffshoreReportingOfficer.optional(),
    offshoreCompanyAddress: OffshoreCompanyAddress.optional(),
  })
  .strict();
export type RegistrationBody = z.infer<typeof RegistrationBodyBase>;

/**
 * The registration body schema for one invitation: password required for self_set (and refused for sms), offshore
 * fields required for offshore + Others (and refused otherwise). The password policy itself is checked separately
 * (checkPassword) because it needs the username and names.
 */
export function registrationBodyFor(inv: InvitationFacts) {
  const required = new Set(requiredRegistrationFields(inv));
  return RegistrationBodyBase.superRefine((body, ctx) => {
    const need = (field: 'password' | 'offshoreReportingOfficer' | 'offshoreCompanyAddress', missing: FieldProblem) => {
      const present = body[field] !== undefined;
      if (required.has(field) && !present) ctx.addIssue(problemIssue(missing, [field]));
      if (!required.has(field) && present) ctx.addIssue(problemIssue(fieldProblem('field.not_applicable'), [field]));
    };
    need('password', fieldProblem('password.required'));
    need('offshoreReportingOfficer', fieldProblem('offshore.fields_required'));
    need('offshoreCompanyAddress', fieldProblem('offshore.fields_required'));
  });
}
