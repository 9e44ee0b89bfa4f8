/**
 * Message templates for the notification catalogue (domain.md §2.6): one per code the backend sends.
 * `renderTemplate(code, data)` validates the template's variables with zod (a missing variable is a bug, caught when
 * the message is queued) and returns `{ subject?, body }` as plain text. Times are shown in SGT.
 */
import { z } from 'zod';
import { LOGIN_ID_DOMAIN } from '../../../shared/domain/registration-rules';
import type { Channel } from './types';

export const DEEP_LINK_SCHEME = 'techpass-onboarding';
export const SUPPORT_URL = 'https://go.gov.sg/seed-techpass-support';
export const ACCOUNTS_FAQ_URL = 'https://docs.developer.tech.gov.sg/docs/techpass/faq-accounts';
export const SEED_PREREQUISITES_URL = 'https://docs.developer.tech.gov.sg/docs/security-suite-for-engineering-endpoint-devices/prerequisites';
export const SEED_PERSONA_URL = 'https://docs.developer.tech.gov.sg/docs/security-suite-for-engineering-endpoint-devices/identify-onboarding-persona';

export interface Rendered {
  subject?: string;
  body: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `2026-12-05T02:00:00Z` → `Sat 5 Dec 2026, 10:00 SGT` (SGT is UTC+8 all year). */
export function formatSgt(value: Date | string): string {
  const d = new Date(new Date(value).getTime() + 8 * 3600_000);
  if (Number.isNaN(d.getTime())) return String(value);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} SGT`;
}

/** The desktop wizard's deep link for a registration token. */
export function registrationDeepLink(token: string): string {
  return `${DEEP_LINK_SCHEME}://register?token=${encodeURIComponent(token)}`;
}

const when = z.union([z.string().min(1), z.date()]).transform((v) => formatSgt(v));
const text = z.string().min(1);
const loginId = z.string().min(3);

function def<S extends z.ZodType>(
  channel: Channel,
  recipient: string,
  secretKeys: string[],
  schema: S,
  render: (d: z.output<S>) => Rendered,
) {
  return { channel, recipient, secretKeys, schema, render };
}

const SERVICE_REQUEST = `raise a service request at ${SUPPORT_URL}`;
const JUNK = 'If you cannot find an email from TechPass, check your junk, spam, deleted items and archive folders.';

export const TEMPLATES = {
  'N-REG-LINK': def(
    'email',
    'invitee',
    ['token', 'registrationUrl'],
    z.looseObject({ token: text, registrationUrl: z.string().url(), expiresAt: when, inviterEmail: z.string().optional() }),
    (d) => ({
      subject: 'Complete your TechPass registration',
      body: [
        `You have been invited to TechPass${d.inviterEmail ? ` by ${d.inviterEmail}` : ''}.`,
        '',
        `Complete your registration by ${d.expiresAt}. The link works once.`,
        '',
        `If you have the TechPass Onboarding app, open this link to continue in the app:`,
        registrationDeepLink(d.token),
        '',
        'Or open this link in your browser:',
        d.registrationUrl,
        '',
        'If the link has expired, ask the person who invited you to send a new invitation.',
        'Do not forward this email: anyone with the link can register in your name.',
      ].join('\n'),
    }),
  ),
  'N-REG-RESULT': def(
    'email',
    'inviter',
    [],
    z.looseObject({ outcome: z.enum(['registered', 'expired']), inviteeEmail: text, at: when, username: z.string().optional() }),
    (d) =>
      d.outcome === 'registered'
        ? {
            subject: `TechPass invitation accepted: ${d.inviteeEmail}`,
            body: `The invitation you sent to ${d.inviteeEmail} was used to register on ${d.at}${d.username ? ` (TechPass ID ${d.username}@${LOGIN_ID_DOMAIN})` : ''}.\n\nNo action is needed. The user must activate the account within 30 days.`,
          }
        : {
            subject: `TechPass invitation expired: ${d.inviteeEmail}`,
            body: `The invitation you sent to ${d.inviteeEmail} expired on ${d.at} without being used.\n\nTo invite this person again, send a new invitation from the TechPass Portal.`,
          },
  ),
  'N-REG-UNDELIVERED': def(
    'email',
    'inviter',
    [],
    z.looseObject({ inviteeEmail: text, at: when, reason: z.enum(['failed', 'rejected']) }),
    (d) => ({
      subject: `TechPass invitation not delivered: ${d.inviteeEmail}`,
      body: [
        d.reason === 'rejected'
          ? `The invitation email you sent to ${d.inviteeEmail} was refused by the recipient's mail server on ${d.at}.`
          : `The invitation email you sent to ${d.inviteeEmail} could not be delivered; TechPass stopped retrying on ${d.at}.`,
        '',
        'The person has not received a registration link. Check the email address (a typing mistake is the usual cause);',
        'if it is right, ask them whether their organisation blocks mail from TechPass, then send a new invitation from',
        `the TechPass Portal. If it fails again, ${SERVICE_REQUEST}.`,
      ].join('\n'),
    }),
  ),
  'N-ONBOARD': def(
    'email',
    'invitee (organisational email)',
    [],
    z.looseObject({ username: text, loginId, activateBy: when }),
    (d) => ({
      subject: 'Your TechPass account is ready',
      body: [
        'Your TechPass account has been created.',
        '',
        `Username: ${d.username}`,
        `TechPass ID: ${d.loginId}`,
        '',
        'Log in with this username (or TechPass ID), not with your email address. The TechPass ID has no mailbox;',
        'TechPass emails keep coming to this address.',
        '',
        `Sign in and set up the Authenticator app by ${d.activateBy}, or the account will be closed.`,
        '',
        JUNK,
      ].join('\n'),
    }),
  ),
  'N-INITPWD': def('sms', 'registered mobile', ['password'], z.looseObject({ password: text, loginId: z.string().optional() }), (d) => ({
    body: `TechPass initial password${d.loginId ? ` for ${d.loginId}` : ''}: ${d.password}\nYou must change it at your first sign-in. Never share it.`,
  })),
  'N-SEED-INVITE': def('email', 'organisational email', [], z.looseObject({ loginId, expiresAt: when }), (d) => {
    const vendor = d.loginId.toLowerCase().endsWith(`@${LOGIN_ID_DOMAIN}`);
    return {
      subject: 'Onboard your Internet Device to SEED',
      body: [
        `A SEED licence has been assigned to your TechPass account ${d.loginId}.`,
        '',
        `This email is valid until ${d.expiresAt}. After that, ask your PM/RO to resend it, use "Request for SEED" in the TechPass Portal, or ${SERVICE_REQUEST}.`,
        '',
        'Before you start: activate your TechPass account (sign in and set up the Authenticator app). You can onboard only one device.',
        `Your onboarding route: ${vendor ? 'vendor (TechPass ID ending in @techpass.gov.sg)' : 'public officer'}. Persona guide: ${SEED_PERSONA_URL}`,
        `Prerequisites: ${SEED_PREREQUISITES_URL}`,
        'Before onboarding, run the device check in the TechPass Onboarding app: it lists anything you must remove or update first.',
      ].join('\n'),
    };
  }),
  'N-REMIND-TERM-PENDING': def('email', 'account holder', [], z.looseObject({ loginId, deadline: when }), (d) => ({
    subject: 'Activate your TechPass account or it will be closed',
    body: `Your TechPass account ${d.loginId} has not been activated yet.\n\nSign in and set up the Authenticator app by ${d.deadline}, or the account will be closed and you will need a new invitation.\n\n${JUNK}`,
  })),
  'N-REMIND-DISABLE': def('email', 'account holder', [], z.looseObject({ loginId, deadline: when }), (d) => ({
    subject: 'Sign in to TechPass or your account will be disabled',
    body: `You have not signed in to your TechPass account ${d.loginId} for over 60 days.\n\nSign in by ${d.deadline} to keep it. Otherwise it will be disabled and its SEED licence revoked; you would then need to ${SERVICE_REQUEST} to re-enable it.`,
  })),
  'N-REMIND-TERM': def('email', 'account holder', [], z.looseObject({ loginId, deadline: when }), (d) => ({
    subject: 'Sign in to TechPass or your account will be closed',
    body: `You have not signed in to your TechPass account ${d.loginId} for a long time.\n\nSign in by ${d.deadline} (if the account is disabled, ${SERVICE_REQUEST} to re-enable it first). Otherwise it will be closed for good and cannot be recovered.`,
  })),
  'N-STATUS': def(
    'email',
    'account holder and requestor',
    [],
    z.looseObject({
      loginId,
      status: z.enum(['enabled', 'disabled', 'terminated', 'deleted']),
      at: when,
      reason: z.string().optional(),
      source: z.enum(['user', 'scheduled-job', 'cam', 'admin', 'support']).optional(),
    }),
    (d) => {
      const next = {
        enabled: 'Sign in within 5 days, or automatic rules may disable it again.',
        disabled: `To use it again, ${SERVICE_REQUEST} to re-enable it, then sign in within 5 days.`,
        terminated: 'A closed account cannot be recovered. If you still need TechPass, ask for a new invitation.',
        deleted: 'The account and its data have been deleted. If you still need TechPass, ask for a new invitation.',
      }[d.status];
      const by = d.source === 'scheduled-job' ? ' automatically' : d.source === 'cam' ? ' by your organisation’s HR feed' : '';
      return {
        subject: `TechPass account ${d.loginId} ${d.status}`,
        body: `The TechPass account ${d.loginId} was ${d.status}${by} on ${d.at}${d.reason ? ` (${d.reason})` : ''}.\n\n${next}\n\nAccounts FAQ: ${ACCOUNTS_FAQ_URL}`,
      };
    },
  ),
  'N-SEED-REVOKED': def('email', 'account holder', [], z.looseObject({ loginId, at: when.optional() }), (d) => ({
    subject: 'Your SEED licence was revoked',
    body: `The SEED licence of ${d.loginId} was revoked${d.at ? ` on ${d.at}` : ''} because the account was disabled.\n\nIf the account is re-enabled (${SERVICE_REQUEST}), the licence is reinstated for a device that was onboarded.`,
  })),
  'N-PWD-EXPIRY': def('email', 'account holder', [], z.looseObject({ loginId, expiresAt: when }), (d) => ({
    subject: 'Your TechPass password expires soon',
    body: `The password of ${d.loginId} expires on ${d.expiresAt}.\n\nChange it before then. If it has already expired, reset it with "Forgot password" using the code sent to your registered mobile.`,
  })),
  'N-PWD-RESET-CODE': def('sms', 'registered mobile', ['code'], z.looseObject({ code: z.string().regex(/^\d{6}$/) }), (d) => ({
    body: `${d.code} is your TechPass password reset code. It expires in 10 minutes. Never share it. If you did not ask for it, ignore this SMS.`,
  })),
  'N-PHONE-CODE': def('sms', 'mobile being verified', ['code'], z.looseObject({ code: z.string().regex(/^\d{6}$/) }), (d) => ({
    body: `${d.code} is your TechPass verification code. It expires in 10 minutes. Never share it.`,
  })),
  'N-PWD-RESET-LINK': def(
    'email',
    'organisational email',
    ['resetUrl', 'token'],
    z.looseObject({ loginId, resetUrl: z.string().url(), expiresAt: when, ticket: z.string().optional() }),
    (d) => ({
      subject: 'Set a new TechPass password',
      body: [
        `TechPass support${d.ticket ? ` (ticket ${d.ticket})` : ''} sent you a one-time link to set a new password for ${d.loginId},`,
        'because the SMS code could not reach your mobile.',
        '',
        `The link works once and expires on ${d.expiresAt}:`,
        d.resetUrl,
        '',
        'If you did not ask TechPass support for this, do not use the link and contact support.',
      ].join('\n'),
    }),
  ),
  'N-DUP-REG': def('email', 'existing account holder', [], z.looseObject({ loginId }), (d) => ({
    subject: 'Your email was used for a new TechPass registration request',
    body: `Someone asked for a new TechPass account with your email address, which already has the account ${d.loginId}. No second account was created.\n\nSign in with ${d.loginId}. If this was not you, contact TechPass support at ${SUPPORT_URL}.`,
  })),
  'N-PWD-CHANGED': def(
    'email',
    'account holder',
    [],
    z.looseObject({ loginId, at: when, via: z.enum(['change', 'reset', 'support-link', 'initial-password']) }),
    (d) => ({
      subject: 'Your TechPass password was changed',
      body: [
        `The password of ${d.loginId} was ${{ change: 'changed', reset: 'reset with a code sent to your mobile', 'support-link': 'reset with a link from TechPass support', 'initial-password': 'replaced by a new initial password' }[d.via]} on ${d.at}.`,
        'Every other session of this account was signed out.',
        '',
        'If this was you, there is nothing else to do.',
        `Not you? Reset your password now with "Forgot password" in the TechPass Onboarding app, then contact TechPass support at ${SUPPORT_URL}.`,
      ].join('\n'),
    }),
  ),
} as const;

export type TemplateId = keyof typeof TEMPLATES;
export const TEMPLATE_IDS = Object.keys(TEMPLATES) as TemplateId[];
export const TemplateIdSchema = z.enum(TEMPLATE_IDS as [TemplateId, ...TemplateId[]]);

/** The template's data variables by name, as a TS type (after parsing). */
export type TemplateData<T extends TemplateId> = z.input<(typeof TEMPLATES)[T]['schema']>;

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

/** Renders a template; throws TemplateError for an unknown code or missing/invalid variables (names only, no values). */
export function renderTemplate(code: string, data: Record<string, unknown>): Rendered {
  if (!isTemplateId(code)) throw new TemplateError(`Unknown message template ${code}.`);
  const t = TEMPLATES[code] as unknown as { schema: z.ZodType; render: (d: unknown) => Rendered };
  const parsed = t.schema.safeParse(data);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(data)'))].join(', ');
    throw new TemplateError(`Template ${code} needs valid data for: ${fields}.`);
  }
  return t.render(parsed.data);
}
