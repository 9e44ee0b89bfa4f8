/**
 * Registration-form rules (domain.md §3.4) and email classification (§1.3, §9 A13/A14).
 * Pure and shared: the wizard validates as the user types, the backend enforces the same rules.
 * Real phone-number parsing (libphonenumber-js) happens in the backend/host; here only the basic E.164 shape.
 *
 * Plain functions with no zod, so the wizard's screens can use them without loading a schema library; the zod
 * schemas that check request bodies (`registration-schemas.ts`) call these same functions.
 */
import { fieldProblem, type FieldProblem } from './field-problems';
import type { BusinessOperation, PasswordDelivery, RegistrationField } from './states';

/** The mailbox-less domain of LOCAL login ids (§1.2). */
export const LOGIN_ID_DOMAIN = 'techpass.gov.sg';

// ---------------------------------------------------------------------------------------------------------------
// Username

export const USERNAME_RE = /^[a-z][a-z0-9._-]{2,63}$/;

export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 64;

/** The first problem with a (lower-cased) username, or undefined when it is valid. */
export function usernameProblem(raw: string): FieldProblem | undefined {
  const v = raw.trim().toLowerCase();
  const limits = { min: USERNAME_MIN_LENGTH, max: USERNAME_MAX_LENGTH };
  if (v.length === 0) return fieldProblem('username.required');
  if (v.length < USERNAME_MIN_LENGTH) return fieldProblem('username.too_short', limits);
  if (v.length > USERNAME_MAX_LENGTH) return fieldProblem('username.too_long', limits);
  if (!/^[a-z]/.test(v)) return fieldProblem('username.must_start_with_letter', limits);
  if (!USERNAME_RE.test(v)) return fieldProblem('username.character_not_allowed', limits);
  if (v.includes('..')) return fieldProblem('username.double_dot');
  if (/[.-]$/.test(v)) return fieldProblem('username.bad_ending');
  return undefined;
}

export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** `username@techpass.gov.sg` (the TechPass ID of a LOCAL account). */
export function loginIdFor(username: string): string {
  return `${normaliseUsername(username)}@${LOGIN_ID_DOMAIN}`;
}

/**
 * What the user typed at sign-in, as a username: accepts `name` or `name@techpass.gov.sg`; returns undefined for
 * any other email (E-LOGIN-USE-USERNAME: the user typed their organisational email).
 */
export function usernameFromLoginId(input: string): string | undefined {
  const v = input.trim().toLowerCase();
  if (!v.includes('@')) return v;
  const suffix = `@${LOGIN_ID_DOMAIN}`;
  return v.endsWith(suffix) && v.indexOf('@') === v.length - suffix.length ? v.slice(0, -suffix.length) : undefined;
}

/**
 * E-LOGIN-USE-USERNAME: what the user typed at sign-in holds an `@` but is not a TechPass ID (`name@techpass.gov.sg`),
 * so it is most likely their organisational email. The one rule the wizard (as the user types) and the host (before
 * a request) both apply; the backend reads the same input with `usernameFromLoginId`.
 */
export function isEmailNotTechPassId(input: string): boolean {
  return usernameFromLoginId(input) === undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Names, department, offshore fields

const NAME_RE = /^[\p{L}\p{M}][\p{L}\p{M} '.-]*$/u;

export const NAME_MAX_LENGTH = 64;

/** The first problem with a person's name (trimmed), or undefined. */
function personNameProblem(raw: string, required: FieldProblem): FieldProblem | undefined {
  const v = raw.trim();
  if (v.length === 0) return required;
  if (v.length > NAME_MAX_LENGTH) return fieldProblem('name.too_long', { max: NAME_MAX_LENGTH });
  if (!NAME_RE.test(v)) return fieldProblem('name.character_not_allowed');
  return undefined;
}

export function firstNameProblem(raw: string): FieldProblem | undefined {
  return personNameProblem(raw, fieldProblem('first_name.required'));
}

export function lastNameProblem(raw: string): FieldProblem | undefined {
  return personNameProblem(raw, fieldProblem('last_name.required'));
}

/** A required free-text field (trimmed): empty, or longer than `max`. */
function requiredTextProblem(raw: string, max: number, required: FieldProblem): FieldProblem | undefined {
  const v = raw.trim();
  if (v.length === 0) return required;
  if (v.length > max) return fieldProblem('text.too_long', { max });
  return undefined;
}

export function departmentProblem(raw: string): FieldProblem | undefined {
  return requiredTextProblem(raw, 100, fieldProblem('department.required'));
}

export function offshoreReportingOfficerNameProblem(raw: string): FieldProblem | undefined {
  return requiredTextProblem(raw, 100, fieldProblem('reporting_officer_name.required'));
}

export function offshoreCompanyAddressProblem(raw: string): FieldProblem | undefined {
  return requiredTextProblem(raw, 300, fieldProblem('company_address.required'));
}

// ---------------------------------------------------------------------------------------------------------------
// Mobile

/** Basic E.164 shape (§3.4). The backend/host additionally parses with libphonenumber-js. */
export const E164_RE = /^\+[1-9]\d{7,14}$/;
/** Valid Singapore mobile (production only, §9 A10). */
export const SG_MOBILE_RE = /^\+65[89]\d{7}$/;

/** Strips spaces, dashes, dots and brackets so "+65 9123-4567" becomes "+6591234567". */
export function compactPhone(raw: string): string {
  return raw.trim().replace(/[\s\-().]/g, '');
}

/** W-REG-CHINA-SMS applies: a +86 number and the password comes by SMS. */
export function isChinaMobile(e164: string): boolean {
  return compactPhone(e164).startsWith('+86');
}

// ---------------------------------------------------------------------------------------------------------------
// Email

export const EMAIL_MAX_LENGTH = 113;
export const EMAIL_LOCAL_MAX_LENGTH = 64;

// A pragmatic address shape: one @, a dot-atom local part, a domain of LDH labels with a letter TLD.
const EMAIL_RE =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** True when the input has the shape of an email address (ignores the length rules). */
export function looksLikeEmail(input: string): boolean {
  return EMAIL_RE.test(input.trim());
}

/** The first problem with an email's format/length, or undefined. */
export function emailFormatProblem(raw: string): FieldProblem | undefined {
  const v = raw.trim();
  if (v.length === 0) return fieldProblem('email.required');
  if (!looksLikeEmail(v)) return fieldProblem('email.invalid');
  if (v.length > EMAIL_MAX_LENGTH) return fieldProblem('email.too_long', { max: EMAIL_MAX_LENGTH });
  const local = v.slice(0, v.lastIndexOf('@'));
  if (local.length > EMAIL_LOCAL_MAX_LENGTH)
    return fieldProblem('email.local_part_too_long', { max: EMAIL_LOCAL_MAX_LENGTH });
  return undefined;
}

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function emailDomain(email: string): string {
  const v = normaliseEmail(email);
  return v.slice(v.lastIndexOf('@') + 1);
}

export type EmailKind = 'litemail' | 'personal' | 'q3' | 'government' | 'moe' | 'organisation' | 'invalid';

export interface EmailLists {
  /** Personal webmail domains (§9 A13). A domain matches exactly or by its first label's family, see `personalPrefixes`. */
  personalDomains: readonly string[];
  /** First labels that mark a personal provider under any TLD (gmail.com, yahoo.com.sg, hotmail.co.uk, …). */
  personalPrefixes: readonly string[];
  /** §1.3 Q3: government domains treated as non-integrated (invited, LOCAL id). */
  q3Domains: readonly string[];
  /** Mailboxes without an inbox (R1). */
  litemailDomains: readonly string[];
  /** MoE integrated IdP (§9 A14). */
  moeDomains: readonly string[];
  /** SEED hidden at sign-up (R4). */
  seedIneligibleSignUpDomains: readonly string[];
  /** Whole-of-Government suffix. */
  governmentSuffix: string;
}

export const DEFAULT_EMAIL_LISTS: EmailLists = {
  personalDomains: [
    'gmail.com',
    'googlemail.com',
    'yahoo.com',
    'yahoo.com.sg',
    'ymail.com',
    'rocketmail.com',
    'hotmail.com',
    'hotmail.sg',
    'outlook.com',
    'outlook.sg',
    'live.com',
    'live.com.sg',
    'msn.com',
    'icloud.com',
    'me.com',
    'mac.com',
    'qq.com',
    'foxmail.com',
    '163.com',
    '126.com',
    'yeah.net',
    'sina.com',
    'sohu.com',
    'aliyun.com',
    'proton.me',
    'protonmail.com',
    'protonmail.ch',
    'pm.me',
    'aol.com',
    'gmx.com',
    'gmx.net',
    'mail.com',
    'yandex.com',
    'yandex.ru',
    'zoho.com',
    'tutanota.com',
    'hey.com',
    'rediffmail.com',
    'singnet.com.sg',
    'starhub.net.sg',
    'pacific.net.sg',
  ],
  personalPrefixes: [
    'gmail',
    'yahoo',
    'hotmail',
    'outlook',
    'live',
    'icloud',
    'qq',
    '163',
    '126',
    'proton',
    'protonmail',
  ],
  q3Domains: ['mindef.gov.sg', 'dsta.gov.sg', 'dsta-wog.gov.sg', 'defence.gov.sg', 'gebiz.gov.sg', 'sps.gov.sg'],
  litemailDomains: ['litemail.gov.sg'],
  moeDomains: ['moe.gov.sg', 'schools.gov.sg'],
  seedIneligibleSignUpDomains: ['schools.gov.sg'],
  governmentSuffix: '.gov.sg',
};

export interface EmailClassification {
  kind: EmailKind;
  /** The lower-cased domain (empty when invalid). */
  domain: string;
  /** A `name_from.vendor@agency.gov.sg` address (R5). */
  fromVendor: boolean;
  /** For `invalid`: what is wrong. */
  problem?: FieldProblem;
}

function matchesDomain(domain: string, list: readonly string[]): boolean {
  return list.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * Classifies an email for routing (§1.3) and for the registration form:
 * - `litemail`: LiteMail, never accepted (R1);
 * - `personal`: webmail, never accepted (R2);
 * - `q3`: MINDEF/DSTA/… — invited as non-integrated;
 * - `moe`: MoE integrated IdP (`moe.gov.sg`, `schools.gov.sg`);
 * - `government`: any other `*.gov.sg` (WoG integrated IdP);
 * - `organisation`: any other organisational domain (vendors);
 * - `invalid`: not an email, or too long.
 */
export function classifyEmail(email: string, lists: EmailLists = DEFAULT_EMAIL_LISTS): EmailClassification {
  const problem = emailFormatProblem(email);
  if (problem) return { kind: 'invalid', domain: '', fromVendor: false, problem };
  const v = normaliseEmail(email);
  const domain = emailDomain(v);
  const local = v.slice(0, v.lastIndexOf('@'));
  const isGov = domain.endsWith(lists.governmentSuffix);
  const fromVendor = isGov && /_from\./.test(local);
  let kind: EmailKind;
  if (matchesDomain(domain, lists.litemailDomains)) kind = 'litemail';
  else if (
    matchesDomain(domain, lists.personalDomains) ||
    lists.personalPrefixes.includes(domain.split('.')[0] as string)
  )
    kind = 'personal';
  else if (matchesDomain(domain, lists.q3Domains)) kind = 'q3';
  else if (matchesDomain(domain, lists.moeDomains)) kind = 'moe';
  else if (isGov) kind = 'government';
  else kind = 'organisation';
  return { kind, domain, fromVendor };
}

/** `*.gov.sg` (any government domain, including LiteMail, Q3 and MoE; use classifyEmail for routing). */
export function isGovernmentEmail(email: string, lists: EmailLists = DEFAULT_EMAIL_LISTS): boolean {
  return emailFormatProblem(email) === undefined && emailDomain(email).endsWith(lists.governmentSuffix);
}

/** The problem with an email the form must not accept (LiteMail, personal, invalid), or undefined when acceptable. */
export function orgEmailProblem(email: string, lists: EmailLists = DEFAULT_EMAIL_LISTS): FieldProblem | undefined {
  const c = classifyEmail(email, lists);
  switch (c.kind) {
    case 'invalid':
      return c.problem;
    case 'litemail':
      return fieldProblem('email.litemail_not_allowed');
    case 'personal':
      return fieldProblem('email.personal_not_allowed');
    default:
      return undefined;
  }
}

/**
 * The problem with an inviter's email that is not a government address with a standard mailbox (the inviter is a
 * public officer), or undefined when acceptable.
 */
export function governmentEmailProblem(
  email: string,
  lists: EmailLists = DEFAULT_EMAIL_LISTS,
): FieldProblem | undefined {
  const problem = emailFormatProblem(email);
  if (problem) return problem;
  if (!isGovernmentEmail(email, lists) || classifyEmail(email, lists).kind === 'litemail') {
    return fieldProblem('email.government_required');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Which fields an invitee fills in

export type { BusinessOperation, PasswordDelivery, RegistrationField } from './states';

export const ODC_OTHERS = 'Others';

export interface InvitationFacts {
  businessOperation: BusinessOperation;
  odc?: string | null | undefined;
  passwordDelivery: PasswordDelivery;
}

/**
 * Whether registering with this invitation provisions SEED: when the inviter asked for it, and always for offshore
 * users (domain.md §1.1: SEED is mandatory offshore). The wizard plans its steps from this before registering.
 */
export function seedAtRegistration(inv: { seedRequested: boolean; businessOperation: BusinessOperation }): boolean {
  return inv.seedRequested || inv.businessOperation === 'offshore';
}

/** Offshore and ODC = Others (§1.1 "Vendor, offshore, not in an ODC"). */
export function needsOffshoreFields(inv: Pick<InvitationFacts, 'businessOperation' | 'odc'>): boolean {
  return inv.businessOperation === 'offshore' && inv.odc === ODC_OTHERS;
}

/** The POST /v1/registrations/{token} body fields this invitee must fill (§3.4). */
export function requiredRegistrationFields(inv: InvitationFacts): RegistrationField[] {
  const fields: RegistrationField[] = ['username', 'firstName', 'lastName', 'mobile', 'department'];
  if (inv.passwordDelivery === 'self_set') fields.push('password');
  if (needsOffshoreFields(inv)) fields.push('offshoreReportingOfficer', 'offshoreCompanyAddress');
  return fields;
}

// ---------------------------------------------------------------------------------------------------------------
// Masking (show where a message went without disclosing the address)

/** `jane.tan@agency.gov.sg` → `j*******@agency.gov.sg`; keeps the first character (two if the local part is long). */
export function maskEmail(email: string): string {
  const v = email.trim();
  const at = v.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = v.slice(0, at);
  const keep = local.length >= 6 ? 2 : 1;
  return `${local.slice(0, keep)}${'*'.repeat(Math.max(local.length - keep, 3))}${v.slice(at)}`;
}

/** `+6591234567` → `+65****4567`: keeps the first two digits (the country code, mostly) and the last four. */
export function maskPhone(phone: string): string {
  const digits = compactPhone(phone).replace(/^\+/, '');
  if (!/^\d{8,}$/.test(digits)) return '****';
  return `+${digits.slice(0, 2)}${'*'.repeat(digits.length - 6)}${digits.slice(-4)}`;
}
