/**
 * What can be wrong with one field of a form or request body, as a code with parameters. The shared rules, the host
 * and the backend return these; whoever shows them words them (the wizard from its catalogue in the user's language,
 * the admin CLI and the API's English `message` from the backend's table). No zod here: the wizard's first screen runs
 * the rules that return these, and the zod schema of a problem lives beside the other boundary schemas (`errors.ts`).
 */
import type { MobileExample, MobileNumberCheck } from './mobile-check';

export const FIELD_PROBLEM_CODES = [
  // Any field
  'field.required',
  'field.not_allowed',
  'field.not_applicable',
  'field.invalid',
  'body.invalid_json',
  // Username {min, max}
  'username.required',
  'username.too_short',
  'username.too_long',
  'username.must_start_with_letter',
  'username.character_not_allowed',
  'username.double_dot',
  'username.bad_ending',
  'username.taken',
  // Names and free text {max}
  'first_name.required',
  'last_name.required',
  'name.too_long',
  'name.character_not_allowed',
  'department.required',
  'reporting_officer_name.required',
  'company_address.required',
  'text.too_long',
  // Email {max}
  'email.required',
  'email.invalid',
  'email.too_long',
  'email.local_part_too_long',
  'email.litemail_not_allowed',
  'email.personal_not_allowed',
  'email.government_required',
  'email.integrated_identity_provider',
  // Mobile {country, callingCode, example, digits, entered?}
  'mobile.required',
  'mobile.no_country',
  'mobile.invalid',
  'mobile.too_short_for_country',
  'mobile.too_long_for_country',
  'mobile.invalid_for_country',
  'mobile.not_a_mobile',
  'mobile.singapore_format',
  'mobile.singapore_required',
  // Password {max}; policy {rules: the failed rule ids, comma-separated}
  'password.required',
  'password.too_long',
  'password.policy',
  'password.reused',
  'password.same_as_initial',
  'password.current_wrong',
  // Sign-in and links
  'login_id.use_username',
  'registration_link.required',
  // Admin requests {row: the earlier row of the same request}
  'email.duplicate_in_request',
  'cursor.invalid',
  'period.since_not_before_until',
  'inviter_email.must_match_key',
  'text.control_characters',
  'header.too_long',
  // Invitation and offshore facts {others: the ODC value that means "not in an ODC"}
  'offshore.fields_required',
  'offshore.onshore_not_applicable',
  'odc.required_offshore',
  'offshore_company_name.required_for_others',
  'offshore_company_name.only_for_others',
  'seed.required_offshore',
] as const;

export type FieldProblemCode = (typeof FIELD_PROBLEM_CODES)[number];
export type FieldProblemParams = Readonly<Record<string, string | number>>;

/** One field's problem. `params` fill the wording (limits, the country of a number, …); never a sentence. */
export interface FieldProblem {
  code: FieldProblemCode;
  params?: FieldProblemParams;
}

export function isFieldProblemCode(value: unknown): value is FieldProblemCode {
  return typeof value === 'string' && (FIELD_PROBLEM_CODES as readonly string[]).includes(value);
}

/** A problem with its parameters (left out when there are none, so equal problems compare equal). */
export function fieldProblem(code: FieldProblemCode, params?: FieldProblemParams): FieldProblem {
  return params && Object.keys(params).length > 0 ? { code, params } : { code };
}

/**
 * The problem of a number that failed `checkMobileNumber`, with what its wording needs: the number's country (ISO
 * code; the reader words its name), its calling code, the form numbers there take and, when the count differs, how
 * many digits were entered. `example` is the example mobile of `check.country`; no phone library is needed here, so
 * the wizard words the host's answer with it.
 */
export function mobileFieldProblemOf(
  check: MobileNumberCheck,
  example: MobileExample | undefined,
): FieldProblem | undefined {
  if (check.valid) return undefined;
  if (check.problem === 'empty') return fieldProblem('mobile.required');
  if (check.problem === 'no-country') return fieldProblem('mobile.no_country');
  if (!check.country || !example) return fieldProblem('mobile.invalid');
  const code =
    check.problem === 'too-short'
      ? 'mobile.too_short_for_country'
      : check.problem === 'too-long'
        ? 'mobile.too_long_for_country'
        : 'mobile.invalid_for_country';
  return fieldProblem(code, {
    country: check.country,
    callingCode: check.callingCode ?? '',
    example: example.national,
    digits: example.digits,
    ...(check.nationalDigits !== undefined && check.nationalDigits !== example.digits
      ? { entered: check.nationalDigits }
      : {}),
  });
}
