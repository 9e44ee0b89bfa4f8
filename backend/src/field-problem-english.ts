/**
 * The English wording of every field problem, for the API envelope's `message` (API consumers read it; the wizard
 * words the code itself) and for the admin CLI. The wizard's catalogues live in the renderer, which the backend may
 * not import; this table is typed against the one list of codes, so a new code without English fails to compile.
 */
import { countryName } from '../../shared/domain/phone';
import { ODC_OTHERS } from '../../shared/domain/registration-rules';
import type { FieldProblem, FieldProblemCode, FieldProblemParams } from '../../shared/domain/field-problems';

type Wording = (p: FieldProblemParams) => string;

const usernameRules = (p: FieldProblemParams) =>
  `Use ${p.min ?? 3} to ${p.max ?? 64} characters: start with a letter, then letters, digits, dots, hyphens or underscores.`;
const mobileForm = (p: FieldProblemParams) =>
  `Mobile numbers there look like ${p.example} (${p.digits} digits after the country code +${p.callingCode}).` +
  (typeof p.entered === 'number' ? ` You entered ${p.entered}.` : '');
const where = (p: FieldProblemParams) =>
  `${typeof p.country === 'string' ? countryName(p.country) : ''} (+${p.callingCode})`;
const others = (p: FieldProblemParams) => String(p.others ?? ODC_OTHERS);

export const FIELD_PROBLEM_ENGLISH: Readonly<Record<FieldProblemCode, Wording>> = {
  'field.required': () => 'This field is required.',
  'field.not_allowed': () => 'This field is not allowed here. Remove it.',
  'field.not_applicable': () => 'Leave this field out: it does not apply to this invitation.',
  'field.invalid': () => 'This value is not valid.',
  'body.invalid_json': () => 'The request body is not valid JSON for this endpoint.',
  'username.required': () => 'Enter a username.',
  'username.too_short': (p) => `The username is too short. ${usernameRules(p)}`,
  'username.too_long': (p) => `The username is too long. ${usernameRules(p)}`,
  'username.must_start_with_letter': (p) => `Start the username with a letter. ${usernameRules(p)}`,
  'username.character_not_allowed': (p) => `The username contains a character that is not allowed. ${usernameRules(p)}`,
  'username.double_dot': () => 'Do not use two dots in a row in the username.',
  'username.bad_ending': () => 'Do not end the username with a dot or a hyphen.',
  'username.taken': () => 'This username is taken.',
  'first_name.required': () => 'Enter the first name.',
  'last_name.required': () => 'Enter the last name.',
  'name.too_long': (p) => `Shorten the name to ${p.max} characters or fewer.`,
  'name.character_not_allowed': () => 'Use only letters, spaces, apostrophes, hyphens and dots in a name.',
  'department.required': () => 'Enter the department.',
  'reporting_officer_name.required': () => "Enter the offshore reporting officer's name.",
  'company_address.required': () => 'Enter the offshore company address.',
  'text.too_long': (p) => `Shorten this to ${p.max} characters or fewer.`,
  'email.required': () => 'Enter an email address.',
  'email.invalid': () => 'Enter a valid email address, for example name@company.com.',
  'email.too_long': (p) => `Use an email address of ${p.max} characters or fewer.`,
  'email.local_part_too_long': (p) => `The part before the @ must be ${p.max} characters or fewer.`,
  'email.litemail_not_allowed': () =>
    'TechPass cannot email a LiteMail address. Use a standard organisational mailbox.',
  'email.personal_not_allowed': () =>
    'Use an organisational email address, not a personal one (such as Gmail or Yahoo).',
  'email.government_required': () =>
    'The inviter must use a government (.gov.sg) email address with a standard mailbox.',
  'email.integrated_identity_provider': () =>
    'This address belongs to an integrated government identity provider: that user signs in with their own government account and needs no invitation.',
  'mobile.required': () => 'Enter a mobile number with its country code.',
  'mobile.no_country': () => 'Choose the country code of the mobile number.',
  'mobile.invalid': () =>
    'This is not a valid mobile number. Enter it with its country code, for example +65 8123 4567.',
  'mobile.too_short_for_country': (p) => `This number is too short for ${where(p)}. ${mobileForm(p)}`,
  'mobile.too_long_for_country': (p) => `This number is too long for ${where(p)}. ${mobileForm(p)}`,
  'mobile.invalid_for_country': (p) => `This is not a valid mobile number for ${where(p)}. ${mobileForm(p)}`,
  'mobile.not_a_mobile': () => 'Enter a mobile number (one that can receive SMS), with its country code.',
  'mobile.singapore_format': () => 'Singapore mobile numbers have 8 digits starting with 8 or 9, after +65.',
  'mobile.singapore_required': () => 'Onshore users must register a Singapore mobile number (+65).',
  'password.required': () => 'Enter a password.',
  'password.too_long': (p) => `Shorten the password to ${p.max} characters or fewer.`,
  'password.policy': (p) =>
    `The password does not meet the policy${p.rules ? ` (failed rules: ${String(p.rules).split(',').join(', ')})` : ''}.`,
  'password.reused': () => 'This password was used before.',
  'password.same_as_initial': () => 'Choose a password different from the initial one.',
  'password.current_wrong': () => 'This is not the current password.',
  'login_id.use_username': () => 'Use the TechPass username, not an email address.',
  'registration_link.required': () => 'Paste the registration link from the invitation email.',
  'email.duplicate_in_request': (p) => `Appears twice: already in row ${p.row} of this request.`,
  'cursor.invalid': () => 'Not a cursor this server gave out.',
  'period.since_not_before_until': () => 'Pick a time before "until".',
  'inviter_email.must_match_key': (p) => `Must be ${p.principal} (the principal of the key) or left out.`,
  'text.control_characters': () => 'Remove control characters; use plain text.',
  'header.too_long': (p) => `Use at most ${p.max} characters.`,
  'offshore.fields_required': () => 'Required for offshore users outside an ODC.',
  'offshore.onshore_not_applicable': () =>
    'The ODC and the offshore company name apply to offshore users only. Leave them out for onshore users.',
  'odc.required_offshore': (p) =>
    `Offshore users need an ODC: pick one from the list, or "${others(p)}" with an offshore company name.`,
  'offshore_company_name.required_for_others': (p) => `Enter the offshore company name when the ODC is "${others(p)}".`,
  'offshore_company_name.only_for_others': (p) => `Only give an offshore company name when the ODC is "${others(p)}".`,
  'seed.required_offshore': () => 'SEED is mandatory for offshore users: set seedRequested to true.',
};

/** One problem in English (a country parameter, an ISO code, is worded as its English name). */
export function englishFieldProblem(problem: FieldProblem): string {
  return FIELD_PROBLEM_ENGLISH[problem.code](problem.params ?? {});
}
