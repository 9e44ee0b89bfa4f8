/**
 * The provisioning HTTP API (backend/), as zod schemas shared by the backend (validation, OpenAPI) and the desktop
 * host's client (response parsing). Every request body is `.strict()`.
 */
import { z } from 'zod';
import { TolerantApiError } from './errors';
// ---------- field rules (domain.md §3.4; the rules themselves live in shared/domain/registration-rules) ----------
import { FirstName, GovernmentEmail, Mobile, OrgEmail, RegistrationBodyBase } from '../domain/registration-schemas';
import {
  AccountFlag,
  AccountState,
  BusinessOperation,
  InvitationStatus,
  MessageChannel,
  PasswordDelivery,
  RegistrationField,
  RequiredAction,
  SeedState,
} from '../domain/states';
import { Locale } from '../domain/locale';

export const Email = OrgEmail;
export const PersonName = FirstName;

// The domain's vocabularies (states, flags, actions) are defined once in shared/domain/states.
export {
  AccountFlag,
  AccountState,
  BusinessOperation,
  InvitationStatus,
  MessageChannel,
  PasswordDelivery,
  RegistrationField,
  RequiredAction,
  SeedState,
};
export const TermsId = z.enum(['privacy', 'terms-of-use', 'mdm-aup']);
export const IsoDateTime = z.string();

export const SeedSummary = z.object({ state: SeedState, emailExpiresAt: IsoDateTime.optional() });

// ---------- admin: invitations ----------
export const CreateInvitationBody = z
  .object({
    email: OrgEmail,
    firstName: PersonName.optional(),
    lastName: PersonName.optional(),
    businessOperation: BusinessOperation,
    odc: z.string().min(1).max(100).optional(),
    offshoreCompanyName: z.string().min(1).max(200).optional(),
    sponsoringAgency: z.string().min(1).max(100),
    seedRequested: z.boolean(),
    passwordDelivery: PasswordDelivery,
    inviterEmail: GovernmentEmail,
  })
  .strict();
export type CreateInvitationBody = z.infer<typeof CreateInvitationBody>;
export const CreatedInvitation = z.object({ id: z.string(), status: InvitationStatus, expiresAt: IsoDateTime });
export const InvitationSummary = z.object({
  id: z.string(),
  email: z.string(),
  status: InvitationStatus,
  businessOperation: BusinessOperation,
  odc: z.string().nullable(),
  seedRequested: z.boolean(),
  passwordDelivery: PasswordDelivery,
  inviterEmail: z.string(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
});
export const BulkInvitationBody = z.array(CreateInvitationBody).min(1).max(500);
export const BulkInvitationQuery = z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict();
export const BulkInvitationResult = z.object({
  dryRun: z.boolean(),
  results: z.array(
    z.object({
      index: z.number(),
      email: z.string(),
      ok: z.boolean(),
      id: z.string().optional(),
      // Read as the CLI reads any error answer: a row's code from another backend version still shows.
      error: TolerantApiError.optional(),
    }),
  ),
});

// ---------- admin: accounts ----------
export const AccountSummary = z.object({
  username: z.string(),
  loginId: z.string(),
  state: AccountState,
  flags: z.array(AccountFlag),
  createdAt: IsoDateTime,
  seed: SeedSummary,
});
export const AdminAccountAction = z.enum([
  'enable',
  'disable',
  'terminate',
  'reset-mfa',
  'resend-initial-password',
  'resend-seed-email',
  'unlock',
]);
export type AdminAccountAction = z.infer<typeof AdminAccountAction>;
/** The support actions on an account: each needs a support ticket reference, recorded in the audit trail. */
export const AdminSupportAction = z.enum(['send-reset-link', 'verify-phone']);
export type AdminSupportAction = z.infer<typeof AdminSupportAction>;
export const SupportTicketBody = z.object({ ticket: z.string().min(1).max(100) }).strict();

// ---------- registration ----------
export const RegistrationInfo = z.object({
  email: z.string(),
  businessOperation: BusinessOperation,
  odc: z.string().nullable(),
  /** Shown read-only on the registration form (domain §3.4); optional so older backends still parse. */
  sponsoringAgency: z.string().optional(),
  /** The company the inviter named for an offshore user outside an ODC (shown read-only, never asked again). */
  offshoreCompanyName: z.string().nullable().optional(),
  seedRequested: z.boolean(),
  passwordDelivery: PasswordDelivery,
  requiredFields: z.array(RegistrationField),
  expiresAt: IsoDateTime,
});
/** `locale`: the language the user chose in the wizard; their emails and SMS use it (default `en`). */
export const RegistrationBody = RegistrationBodyBase.extend({ locale: Locale.optional() });
export type RegistrationBody = z.infer<typeof RegistrationBody>;
export const RegistrationResult = z.object({
  username: z.string(),
  loginId: z.string(),
  passwordDelivery: PasswordDelivery,
  activateBy: IsoDateTime,
  seed: SeedSummary,
  /**
   * SMS variant: the reference of the initial-password SMS, for GET /v1/deliveries/{ref} while the user waits for it
   * (a random id: whoever registered holds it; it tells nothing but the delivery state).
   */
  initialPasswordDelivery: z.string().optional(),
});

// ---------- sessions ----------
export const SignInBody = z
  .object({ loginId: z.string().min(1).max(200), password: z.string().min(1).max(256) })
  .strict();
export const SessionCreated = z.object({ token: z.string(), requiredActions: z.array(RequiredAction) });
export const MfaRequired = z.object({ status: z.literal('mfa_required'), mfaToken: z.string() });
export const MfaBody = z
  .object({ mfaToken: z.string().min(1).max(200), code: z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.') })
  .strict();

// ---------- me ----------
export const Me = z.object({
  username: z.string(),
  loginId: z.string(),
  state: AccountState,
  requiredActions: z.array(RequiredAction),
  onboardingComplete: z.boolean(),
  deadlines: z.object({ activateBy: IsoDateTime.optional(), passwordExpiresAt: IsoDateTime.optional() }),
  seed: SeedSummary,
  serverTime: IsoDateTime,
});
export const AuthenticatorEnrolment = z.object({ secret: z.string(), otpauthUri: z.string() });
export const CodeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.') }).strict();
export const PhoneBody = z.object({ mobile: Mobile }).strict();
/** The language of the account's emails and SMS (PUT /v1/me/locale). */
export const LocaleBody = z.object({ locale: Locale }).strict();
export const PhoneCodeSent = z.object({
  status: z.literal('sent'),
  resendAfterSeconds: z.number(),
  expiresAt: IsoDateTime,
});
/**
 * Where a message is on its way, as support and the user see it:
 * - `queued`: waiting for its first attempt;
 * - `sending`: a worker holds it and an attempt is in progress;
 * - `retrying`: the last attempt failed (see `lastError`); the next one is due at `nextAttemptAt`;
 * - `sent`: the transport accepted it;
 * - `failed`: given up after the retries ran out;
 * - `rejected`: given up because the transport refused it for good (an SMTP 5xx reply, a gateway's permanent error).
 */
export const DeliveryState = z.enum(['queued', 'sending', 'retrying', 'sent', 'failed', 'rejected']);
/** One message's delivery (GET /v1/admin/invitations/:id/deliveries, /v1/admin/accounts/:username/deliveries): never its body or data. */
export const Delivery = z
  .object({
    id: z.string(),
    channel: z.enum(['email', 'sms']),
    to: z.string(),
    template: z.string(),
    state: DeliveryState,
    attempts: z.number().int().min(0),
    /** The transport's reason for the last failed attempt (a status code and the server's short reply; no secrets). */
    lastError: z.string().nullable(),
    createdAt: IsoDateTime,
    lastAttemptAt: IsoDateTime.nullable(),
    sentAt: IsoDateTime.nullable(),
    /** When a `queued` or `retrying` message is tried next. */
    nextAttemptAt: IsoDateTime.nullable(),
  })
  .strict();
export const DeliveryList = z.array(Delivery);
/**
 * GET /v1/me/phone/delivery: how the newest phone-verification code SMS is doing (`none` before any was asked for).
 * `to` is the user's own number (E.164); no error text, which is for support.
 */
export const PhoneCodeDelivery = z
  .object({
    state: z.union([DeliveryState, z.literal('none')]),
    to: z.string().optional(),
    attempts: z.number().int().min(0),
    lastAttemptAt: IsoDateTime.nullable(),
  })
  .strict();
/** GET /v1/deliveries/{ref}: the delivery state of one message whose reference the caller was given. */
export const MessageDelivery = z.object({ state: DeliveryState }).strict();
export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) })
  .strict();
export const ActionResult = z.object({
  requiredActions: z.array(RequiredAction),
  onboardingComplete: z.boolean(),
  state: AccountState,
});
export const TermsDoc = z.object({
  id: TermsId,
  version: z.string(),
  title: z.string(),
  body: z.string(),
  required: z.boolean(),
});
export const TermsList = z.array(TermsDoc);
/** `language`: the language the text was shown in (the English version binds either way; default `en`). */
export const AcceptTermsBody = z
  .object({ id: TermsId, version: z.string().min(1).max(20), language: Locale.optional() })
  .strict();

// ---------- password reset ----------
export const PasswordResetStartBody = z.object({ loginId: z.string().min(1).max(200) }).strict();
export const PasswordResetCompleteBody = z
  .object({
    loginId: z.string().min(1).max(200),
    code: z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.'),
    newPassword: z.string().min(1).max(256),
  })
  .strict();
export const PasswordResetLinkBody = z
  .object({ token: z.string().min(1).max(200), newPassword: z.string().min(1).max(256) })
  .strict();

// ---------- initial password (SMS variant): self-service resend ----------
/** Who asks: the username (or TechPass ID) and the mobile number given at registration, together. */
export const InitialPasswordResendBody = z.object({ loginId: z.string().min(1).max(200), mobile: Mobile }).strict();
/** The same answer whether or not an account matches (no account enumeration); the counts are for this pair. */
export const InitialPasswordResendAccepted = z.object({
  status: z.literal('accepted'),
  sentToday: z.number().int().min(0),
  dailyLimit: z.number().int().min(1),
  resendAfterSeconds: z.number().int().min(0),
});

// ---------- SEED ----------
export const SeedDevice = z.object({
  id: z.string(),
  name: z.string(),
  os: z.string(),
  status: z.string(),
  onboardedAt: IsoDateTime.nullable(),
});
export const RegisterSeedDeviceBody = z
  .object({ name: z.string().trim().min(1).max(100), os: z.string().trim().min(1).max(100) })
  .strict();
export const MeSeed = z.object({
  state: SeedState,
  emailExpiresAt: IsoDateTime.optional(),
  devices: z.array(SeedDevice),
});
export const SeedStatus = z.object({
  maintenance: z.object({
    active: z.boolean(),
    windows: z.array(z.object({ startsAt: IsoDateTime, endsAt: IsoDateTime, description: z.string() })),
  }),
  serverTime: IsoDateTime,
});

// ---------- test mode ----------
export const OutboxMessage = z.object({
  id: z.string(),
  channel: MessageChannel,
  to: z.string(),
  template: z.string(),
  subject: z.string().optional(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: IsoDateTime,
});
export const OutboxList = z.array(OutboxMessage);
export const ClockNow = z.object({ now: IsoDateTime });
export const AdvanceClockBody = z
  .object({
    advanceSeconds: z
      .number()
      .int()
      .min(0)
      .max(10 * 365 * 86400),
  })
  .strict();
