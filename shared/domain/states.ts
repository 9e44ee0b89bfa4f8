/**
 * The domain's closed vocabularies as zod enums, each with its type derived from it: the API schemas, the desktop
 * contract, the backend and the host all use these, so a state added here reaches every layer (and a union written
 * beside one of these would drift from it).
 */
import { z } from 'zod';

/** domain.md §1.2. */
export const BusinessOperation = z.enum(['onshore', 'offshore']);
export type BusinessOperation = z.infer<typeof BusinessOperation>;

/** domain.md §3.5: SMS initial password, or the invitee sets it on the registration form. */
export const PasswordDelivery = z.enum(['sms', 'self_set']);
export type PasswordDelivery = z.infer<typeof PasswordDelivery>;

/** domain.md §2.2 lifecycle states. */
export const AccountState = z.enum(['PENDING', 'ACTIVE', 'DISABLED', 'TERMINATED', 'DELETED']);
export type AccountState = z.infer<typeof AccountState>;

/** domain.md §2.2 overlay flags (PHONE_VERIFIED: the SMS method of §4.1 step 5 is registered). */
export const AccountFlag = z.enum([
  'LOCKED',
  'RISK_HIGH',
  'UNDER_INVESTIGATION',
  'ONBOARDING_COMPLETE',
  'MFA_REGISTERED',
  'MUST_CHANGE_PASSWORD',
  'PHONE_VERIFIED',
]);
export type AccountFlag = z.infer<typeof AccountFlag>;

/** domain.md §2.3. */
export const SeedState = z.enum([
  'NOT_REQUIRED',
  'INELIGIBLE',
  'PROVISIONED',
  'INVITE_EXPIRED',
  'DEVICE_ONBOARDING',
  'ONBOARDED',
  'LICENCE_REVOKED',
  'DEPROVISIONED',
]);
export type SeedState = z.infer<typeof SeedState>;

/** domain.md §2.1, plus `revoked` (withdrawn by an admin). */
export const InvitationStatus = z.enum(['sent', 'registered', 'expired', 'superseded', 'revoked']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

/** What the signed-in user still has to do, in domain.md §4.1 order. */
export const RequiredAction = z.enum(['authenticator', 'phone', 'password', 'terms']);
export type RequiredAction = z.infer<typeof RequiredAction>;

/** The registration form fields an invitee may have to fill (domain.md §3.4). */
export const RegistrationField = z.enum([
  'username',
  'firstName',
  'lastName',
  'mobile',
  'department',
  'password',
  'offshoreReportingOfficer',
  'offshoreCompanyAddress',
]);
export type RegistrationField = z.infer<typeof RegistrationField>;

/** How a notification reaches its recipient (domain.md §2.6). */
export const MessageChannel = z.enum(['email', 'sms']);
export type MessageChannel = z.infer<typeof MessageChannel>;
