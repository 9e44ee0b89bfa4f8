/**
 * Message templates for the notification catalogue (domain.md §2.6): one per code the backend sends.
 *
 * This file holds what a template IS (channel, recipient, which variables are secrets, the zod schema of its
 * variables); the words live in one catalogue per language (`templates/en.ts`, `templates/zh-CN.ts`), typed so that a
 * catalogue missing a template, or using a variable the schema does not have, fails typecheck.
 * `renderTemplate(code, data, locale)` validates the variables (a missing variable is a bug, caught when the message
 * is queued) and returns `{ subject?, body }` as plain text in that language.
 */
import { z } from 'zod';
import { DEFAULT_LOCALE, SUPPORTED_LOCALES, type Locale } from '../../../shared/domain/locale';
import type { Catalogue, Rendered } from './templates/catalogue';
import { formattersFor } from './templates/catalogue';
import { en } from './templates/en';
import { zhCN } from './templates/zh-CN';
import type { Channel } from './types';

export {
  ACCOUNTS_FAQ_URL,
  DEEP_LINK_SCHEME,
  registrationDeepLink,
  SEED_PERSONA_URL,
  SEED_PREREQUISITES_URL,
  SUPPORT_URL,
} from './templates/links';
export type { Rendered } from './templates/catalogue';
export { formatDateTime, SERVICE_TIME_ZONE } from './templates/catalogue';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * `2026-12-05T02:00:00Z` → `Sat 5 Dec 2026, 10:00 SGT` (SGT is UTC+8 all year), for English operator output (admin
 * CLI, the registration page). Messages to users format dates in their language with `formatDateTime`.
 */
export function formatSgt(value: Date | string): string {
  const d = new Date(new Date(value).getTime() + 8 * 3600_000);
  if (Number.isNaN(d.getTime())) return String(value);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} SGT`;
}

/** An instant (ISO string or Date); the catalogue formats it for the reader's language and names the time zone. */
const when = z
  .union([z.string().min(1), z.date()])
  .transform((v) => new Date(v))
  .refine((d) => !Number.isNaN(d.getTime()), 'Expected a date and time.');
const text = z.string().min(1);
const loginId = z.string().min(3);
const sixDigits = z.string().regex(/^\d{6}$/);

/**
 * Why an account changed state (N-STATUS), as a code: each catalogue words it. The lifecycle rules name theirs by rule
 * (not activated in the window, no sign-in for too long); an administrator's action is `administrator`.
 */
export const StatusReason = z.enum(['not-activated', 'inactive-disable', 'inactive-terminate', 'administrator']);
export type StatusReason = z.infer<typeof StatusReason>;

interface TemplateDefinition<S extends z.ZodType> {
  channel: Channel;
  recipient: string;
  /** Variables that are secrets: erased after delivery outside test/demo, never logged. */
  secretKeys: readonly string[];
  schema: S;
  /**
   * Sent before the recipient chose a language (the invitation): above the body, a line in each other language points
   * to that language's version in the app.
   */
  beforeLanguageChosen?: true;
}

function def<S extends z.ZodType>(
  channel: Channel,
  recipient: string,
  secretKeys: readonly string[],
  schema: S,
  extra: { beforeLanguageChosen?: true } = {},
): TemplateDefinition<S> {
  return { channel, recipient, secretKeys, schema, ...extra };
}

export const TEMPLATES = {
  'N-REG-LINK': def(
    'email',
    'invitee',
    ['token', 'registrationUrl'],
    z.looseObject({
      token: text,
      registrationUrl: z.string().url(),
      expiresAt: when,
      inviterEmail: z.string().optional(),
    }),
    { beforeLanguageChosen: true },
  ),
  'N-REG-RESULT': def(
    'email',
    'inviter',
    [],
    z.looseObject({
      outcome: z.enum(['registered', 'expired']),
      inviteeEmail: text,
      at: when,
      username: z.string().optional(),
    }),
  ),
  'N-REG-UNDELIVERED': def(
    'email',
    'inviter',
    [],
    z.looseObject({ inviteeEmail: text, at: when, reason: z.enum(['failed', 'rejected']) }),
  ),
  'N-ONBOARD': def(
    'email',
    'invitee (organisational email)',
    [],
    z.looseObject({ username: text, loginId, activateBy: when }),
  ),
  'N-INITPWD': def(
    'sms',
    'registered mobile',
    ['password'],
    z.looseObject({ password: text, loginId: z.string().optional() }),
  ),
  'N-SEED-INVITE': def('email', 'organisational email', [], z.looseObject({ loginId, expiresAt: when })),
  'N-REMIND-TERM-PENDING': def('email', 'account holder', [], z.looseObject({ loginId, deadline: when })),
  'N-REMIND-DISABLE': def('email', 'account holder', [], z.looseObject({ loginId, deadline: when })),
  'N-REMIND-TERM': def('email', 'account holder', [], z.looseObject({ loginId, deadline: when })),
  'N-STATUS': def(
    'email',
    'account holder and requestor',
    [],
    z.looseObject({
      loginId,
      status: z.enum(['enabled', 'disabled', 'terminated', 'deleted']),
      at: when,
      reason: StatusReason.optional(),
      source: z.enum(['user', 'scheduled-job', 'cam', 'admin', 'support']).optional(),
    }),
  ),
  'N-SEED-REVOKED': def('email', 'account holder', [], z.looseObject({ loginId, at: when.optional() })),
  'N-PWD-EXPIRY': def('email', 'account holder', [], z.looseObject({ loginId, expiresAt: when })),
  'N-PWD-RESET-CODE': def('sms', 'registered mobile', ['code'], z.looseObject({ code: sixDigits })),
  'N-PHONE-CODE': def('sms', 'mobile being verified', ['code'], z.looseObject({ code: sixDigits })),
  'N-PWD-RESET-LINK': def(
    'email',
    'organisational email',
    ['resetUrl', 'token'],
    z.looseObject({ loginId, resetUrl: z.string().url(), expiresAt: when, ticket: z.string().optional() }),
  ),
  'N-DUP-REG': def('email', 'existing account holder', [], z.looseObject({ loginId })),
  'N-PWD-CHANGED': def(
    'email',
    'account holder',
    [],
    z.looseObject({ loginId, at: when, via: z.enum(['change', 'reset', 'support-link', 'initial-password']) }),
  ),
} as const;

export type TemplateId = keyof typeof TEMPLATES;
export const TEMPLATE_IDS = Object.keys(TEMPLATES) as TemplateId[];
export const TemplateIdSchema = z.enum(TEMPLATE_IDS as [TemplateId, ...TemplateId[]]);

/** The template's data variables by name, as a TS type (before parsing: what a caller passes). */
export type TemplateData<T extends TemplateId> = z.input<(typeof TEMPLATES)[T]['schema']>;
/** The declared keys of an object type, without the index signature a loose zod object adds. */
type DeclaredKeys<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
/**
 * The template's variables as a catalogue sees them (after parsing: instants are Dates). Only the declared ones:
 * a catalogue using a variable the schema does not declare fails typecheck.
 */
export type TemplateParams<T extends TemplateId> = DeclaredKeys<z.output<(typeof TEMPLATES)[T]['schema']>>;

/**
 * The language of messages to an inviter (invitation results, status copies): inviters are officers using the
 * TechPass Portal, which has no language setting, so no choice of theirs is known.
 */
export const INVITER_LOCALE: Locale = DEFAULT_LOCALE;

/** One catalogue per supported language: a language added to SUPPORTED_LOCALES without one fails typecheck. */
const CATALOGUES: { readonly [L in Locale]: Catalogue } = { en, 'zh-CN': zhCN };

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export function isTemplateId(code: string): code is TemplateId {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, code);
}

/** The channel a template goes out on (email or sms). */
export function templateChannel(code: TemplateId): Channel {
  return TEMPLATES[code].channel;
}

/** The data keys that are secrets (erased after delivery outside test/demo, never logged). */
export function secretKeys(code: TemplateId): readonly string[] {
  return TEMPLATES[code].secretKeys;
}

/**
 * Renders a template in `locale`; throws TemplateError for an unknown code or missing/invalid variables (names
 * only, no values: the data may hold secrets).
 */
export function renderTemplate(code: string, data: Record<string, unknown>, locale: Locale): Rendered {
  if (!isTemplateId(code)) throw new TemplateError(`Unknown message template ${code}.`);
  const t: TemplateDefinition<z.ZodType> = TEMPLATES[code];
  const parsed = t.schema.safeParse(data);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(data)'))].join(', ');
    throw new TemplateError(`Template ${code} needs valid data for: ${fields}.`);
  }
  const catalogue = CATALOGUES[locale] ?? CATALOGUES[DEFAULT_LOCALE];
  const render = catalogue.templates[code] as (d: unknown, f: ReturnType<typeof formattersFor>) => Rendered;
  const rendered = render(parsed.data, formattersFor(catalogue));
  if (!t.beforeLanguageChosen) return rendered;
  const pointers = SUPPORTED_LOCALES.filter((l) => l !== catalogue.locale).map(
    (l) => CATALOGUES[l].otherLanguagePointer,
  );
  return { ...rendered, body: [...pointers, '', rendered.body].join('\n') };
}
