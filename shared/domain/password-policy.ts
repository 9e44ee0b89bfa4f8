/**
 * TechPass LOCAL-account password policy (domain.md §4.4, [DEFAULT] values from Microsoft Entra, all configurable).
 * Pure: used by the wizard for a live checklist and by the backend as the enforcing check.
 */

export type RuleId =
  'length' | 'classes' | 'no-username' | 'no-name' | 'not-common' | 'not-previous' | 'confirm-matches';

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** How many of the four classes (upper, lower, digit, symbol) must appear. */
  minClasses: number;
  /** Username and name tokens shorter than this are not checked (too many false positives). */
  minTokenLength: number;
  /** Lower-case banned passwords; a password is banned when, lower-cased, it equals one of them. */
  bannedPasswords: readonly string[];
  /** Lower-case banned words: a password is banned when it is such a word decorated with digits/symbols only. */
  bannedWords: readonly string[];
}

/** A small list of very common passwords (the Entra banned list is not published; this is our [DEFAULT]). */
export const COMMON_PASSWORDS: readonly string[] = [
  'password',
  'password1',
  'password12',
  'password123',
  'password1234',
  'password!',
  'password1!',
  'passw0rd',
  'passw0rd!',
  'p@ssw0rd',
  'p@ssw0rd1',
  'p@ssword',
  'p@ssword1',
  'p@ssword123',
  '12345678',
  '123456789',
  '1234567890',
  '1q2w3e4r',
  '1q2w3e4r5t',
  'qwerty123',
  'qwerty12',
  'qwertyuiop',
  'qwerty123!',
  'qwerty1!',
  'abc12345',
  'abcd1234',
  'abcd1234!',
  'iloveyou',
  'iloveyou1',
  'welcome1',
  'welcome123',
  'welcome1!',
  'welcome@123',
  'letmein1',
  'letmein!',
  'admin123',
  'admin@123',
  'administrator',
  'changeme',
  'changeme1',
  'changeme!',
  'football1',
  'baseball1',
  'sunshine1',
  'princess1',
  'monkey123',
  'dragon123',
  'trustno1',
  'master123',
  'superman1',
  'starwars1',
  'zaq12wsx',
  'zaq1@wsx',
  '1qaz2wsx',
  '1qaz@wsx',
  'asdf1234',
  'asdfghjkl',
  'singapore',
  'singapore1',
  'singapore123',
  'singapore@123',
  'techpass',
  'techpass1',
  'techpass123',
  'techpass@123',
  'govtech123',
  'govtech@123',
];

/** Words that are banned whatever digits or symbols decorate them ("Password2025!", "Techpass#1"). */
export const BANNED_WORDS: readonly string[] = [
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'techpass',
  'qwerty',
  'welcome',
  'letmein',
  'changeme',
];

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  maxLength: 256,
  minClasses: 3,
  minTokenLength: 3,
  bannedPasswords: COMMON_PASSWORDS,
  bannedWords: BANNED_WORDS,
};

/** The facts a rule's wording needs (the lengths and class count come from the policy). */
export type PasswordRuleParams = { min?: number; max?: number };

/**
 * The rules in the order the wizard lists them, each with the facts its wording needs: ids and numbers only. The
 * wizard words each rule id from its catalogue; the backend's English for API consumers and its reset page is its
 * own table (backend/src/password-rule-english.ts).
 */
export function passwordRules(
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): { id: RuleId; params: PasswordRuleParams }[] {
  return [
    { id: 'length', params: { min: policy.minLength, max: policy.maxLength } },
    { id: 'classes', params: { min: policy.minClasses } },
    { id: 'no-username', params: {} },
    { id: 'no-name', params: {} },
    { id: 'not-common', params: {} },
    { id: 'not-previous', params: {} },
    { id: 'confirm-matches', params: {} },
  ];
}

/** The default rules, for the wizard's live checklist and the backend's reset page. */
export const PASSWORD_RULES: readonly { id: RuleId; params: PasswordRuleParams }[] = passwordRules();

export interface PasswordContext {
  username?: string | undefined;
  /** First name, last name, display name: each is split into tokens on spaces and punctuation. */
  names?: (string | undefined)[] | undefined;
  /** The current/initial password and earlier ones: the new password must differ from each. */
  previous?: string[] | undefined;
  /** The confirm field; the `confirm-matches` rule passes when omitted (a server-side check has no confirm field). */
  confirm?: string | undefined;
}

export interface PasswordCheck {
  ok: boolean;
  results: { id: RuleId; ok: boolean }[];
  failed: RuleId[];
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;
const SYMBOL = /[^\p{L}\p{Nd}]/u;

export function characterClasses(password: string): number {
  return [UPPER, LOWER, DIGIT, SYMBOL].filter((re) => re.test(password)).length;
}

/** Length in user-perceived characters (code points), so an emoji counts once. */
function codePointLength(s: string): number {
  return [...s].length;
}

function tokens(values: (string | undefined)[], minLength: number): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (!v) continue;
    for (const t of v.toLowerCase().split(/[^\p{L}\p{Nd}]+/u)) {
      if (codePointLength(t) >= minLength) out.push(t);
    }
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isCommon(password: string, policy: PasswordPolicy): boolean {
  const lower = password.toLowerCase();
  if (policy.bannedPasswords.includes(lower)) return true;
  // A banned word with only digits/symbols around it ("Password2025!", "!!Welcome1").
  return policy.bannedWords.some((w) => new RegExp(`^[^\\p{L}]*${escapeRegExp(w)}[^\\p{L}]*$`, 'u').test(lower));
}

export function checkPassword(
  password: string,
  ctx: PasswordContext = {},
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): PasswordCheck {
  const lower = password.toLowerCase();
  const len = codePointLength(password);
  const usernameTokens = ctx.username ? tokens([ctx.username], policy.minTokenLength) : [];
  // The whole username too (e.g. "jane.tan" itself), when long enough.
  const username = ctx.username?.toLowerCase().replace(/@techpass\.gov\.sg$/, '') ?? '';
  if (codePointLength(username) >= policy.minTokenLength) usernameTokens.push(username);
  const nameTokens = tokens(ctx.names ?? [], policy.minTokenLength);

  const results: { id: RuleId; ok: boolean }[] = [
    { id: 'length', ok: len >= policy.minLength && len <= policy.maxLength },
    { id: 'classes', ok: characterClasses(password) >= policy.minClasses },
    { id: 'no-username', ok: !usernameTokens.some((t) => lower.includes(t)) },
    { id: 'no-name', ok: !nameTokens.some((t) => lower.includes(t)) },
    { id: 'not-common', ok: password.length > 0 && !isCommon(password, policy) },
    { id: 'not-previous', ok: !(ctx.previous ?? []).some((p) => p === password) },
    { id: 'confirm-matches', ok: ctx.confirm === undefined || ctx.confirm === password },
  ];
  const failed = results.filter((r) => !r.ok).map((r) => r.id);
  return { ok: failed.length === 0, results, failed };
}

// Look-alike characters are left out so a password read from an SMS is easy to type.
const GEN_UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const GEN_LOWER = 'abcdefghijkmnopqrstuvwxyz';
const GEN_DIGIT = '23456789';
const GEN_SYMBOL = '!#$%*+-=?@';

/**
 * A random initial password that satisfies `policy` (SMS variant, domain.md §3.5). The caller supplies a CSPRNG
 * (`crypto.randomInt` in the backend): `randomInt(max)` must return an integer in [0, max).
 * It contains all four classes, is at least 14 characters (or the policy minimum, if larger) and avoids the
 * banned lists; it is re-drawn in the (astronomically unlikely) case it fails the policy.
 */
export function generateInitialPassword(
  randomInt: (max: number) => number,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
  ctx: Omit<PasswordContext, 'confirm'> = {},
): string {
  const length = Math.min(Math.max(14, policy.minLength), policy.maxLength);
  if (length < 4) throw new Error('The password policy is too short to hold all four character classes.');
  const pick = (set: string) => {
    const i = randomInt(set.length);
    if (!Number.isInteger(i) || i < 0 || i >= set.length) throw new Error('randomInt returned a value out of range');
    return set[i] as string;
  };
  const all = GEN_UPPER + GEN_LOWER + GEN_DIGIT + GEN_SYMBOL;
  for (let attempt = 0; attempt < 100; attempt++) {
    const chars = [pick(GEN_UPPER), pick(GEN_LOWER), pick(GEN_DIGIT), pick(GEN_SYMBOL)];
    while (chars.length < length) chars.push(pick(all));
    // Fisher–Yates so the class-guaranteed characters are not always first.
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
    }
    const candidate = chars.join('');
    if (checkPassword(candidate, ctx, policy).ok) return candidate;
  }
  throw new Error('Could not generate a password that satisfies the policy; check the policy and the random source.');
}
