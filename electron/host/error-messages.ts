import type { ErrorCode } from '../../shared/domain/errors';

/**
 * What the user reads for each backend error code (domain.md §7): what happened and what to do next. The backend's
 * own message is for QA and logs; the wizard shows these (or its own catalogue, keyed by the same code).
 */
export const USER_MESSAGES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Some details are not valid. Correct the highlighted fields, then try again.',
  NOT_FOUND: 'The TechPass service could not find what this step needs. Go back one step and try again; if it keeps happening, contact support.',
  UNAUTHORIZED: 'Your sign-in has ended. Sign in again to continue.',
  SESSION_EXPIRED: 'Your sign-in has ended. Sign in again to continue where you left off.',
  FORBIDDEN: 'You are not allowed to do this. If you think this is wrong, contact TechPass support.',
  PAYLOAD_TOO_LARGE: 'What you entered is too long. Shorten it, then try again.',
  INVITATION_EXPIRED: 'This link has expired. Ask your inviter to send a new invitation.',
  INVITATION_SUPERSEDED: 'A newer invitation was sent to you. Use the link in the most recent invitation email.',
  INVITATION_REVOKED: 'This invitation was withdrawn. Ask your inviter to send a new invitation if you still need an account.',
  INVITATION_USED: 'Registration is already done with this link. Sign in with your TechPass username.',
  USERNAME_TAKEN: 'This username is already taken. Choose another username.',
  INVALID_CREDENTIALS:
    'The username or password is wrong. Check them and try again. After several failed attempts the account will be locked.',
  ACCOUNT_LOCKED:
    'Your account is locked after repeated failed sign-ins. Reset your password to unlock it. If that fails, raise a service request.',
  ACCOUNT_DISABLED:
    'Your account is disabled. Raise a service request to re-enable it, then sign in within 5 days.',
  ACCOUNT_TERMINATED: 'This account has been closed. Ask your inviter for a new account.',
  ACCOUNT_RISK: 'Sign-in is blocked for your protection. Check your email for what to do next, or contact support.',
  MFA_REQUIRED: 'Enter the 6-digit code from your authenticator app to finish signing in.',
  CODE_INVALID: 'That code is not right. Check it and try again.',
  CODE_EXPIRED: 'That code has expired. Ask for a new code, then enter it.',
  CODE_REUSED: 'That code was already used. Wait for the next code in your authenticator app, then enter it.',
  TOO_MANY_ATTEMPTS: 'Too many wrong codes. Ask for a new code, then try again.',
  RATE_LIMITED: 'Too many attempts in a short time. Wait a little, then try again.',
  PASSWORD_POLICY: 'The new password does not meet the password rules. Change it as shown, then try again.',
  PASSWORD_REUSED: 'You used this password before. Choose a password you have not used.',
  SEED_ONE_DEVICE: 'Only one device per user can use SEED. Offboard the existing device first.',
  CONFLICT: 'This was already done or changed in the meantime. Reload the step and continue.',
  IDEMPOTENCY_KEY_REUSED: 'This request clashed with an earlier one. Try again.',
  INTERNAL: 'The TechPass service had a problem. Try again in a few minutes; if it keeps happening, contact support.',
};

export const OFFLINE_MESSAGE = 'You seem to be offline. Check your internet connection, then try again.';
export const UNREACHABLE_MESSAGE =
  'The TechPass service cannot be reached right now. Your progress is saved: try again in a few minutes.';
export const TIMEOUT_MESSAGE =
  'The connection to TechPass is too slow: no answer arrived in time. What you typed is kept; try again, or move to a faster connection.';
export const DNS_NOT_FOUND_MESSAGE =
  'The TechPass service could not be found on this network (its name does not resolve). Check your internet connection; if it works for other sites, ask your IT support whether this network blocks the service or needs a proxy.';
export const PROXY_AUTH_MESSAGE =
  "Your network's proxy asks for a user name and password before the app can reach TechPass. Ask your IT support to let the app through the proxy, or for the proxy credentials to set on this computer.";
export const CAPTIVE_PORTAL_MESSAGE =
  "A web page answered instead of the TechPass service: this network may want you to sign in first (a hotel or guest Wi-Fi page), or its proxy blocked the request. Open a web browser, finish the network's sign-in page, then try again; otherwise ask your IT support to allow the service.";
export const PROXY_FAILED_MESSAGE =
  "Your network's proxy could not connect the app to TechPass. Try again in a few minutes; if it keeps happening, ask your IT support to allow the TechPass service through the proxy.";

/** The certificate was re-signed by an authority this computer does not trust (TLS inspection). */
export function tlsInterceptedMessage(issuer: string | undefined): string {
  const who = issuer ? `“${issuer}”` : 'a certificate authority this computer does not know';
  return `The connection to TechPass is secured with a certificate issued by ${who}, which this computer does not trust; usually your network's TLS inspection re-signs connections. For your safety the app does not continue. Ask your IT support to trust that certificate authority on this computer, or to add it to the app's extraCaCertificates setting.`;
}

/** The certificate is invalid for the service (self-signed, expired, another name). */
export function tlsUntrustedMessage(issuer: string | undefined, reason: string): string {
  const who = issuer ? ` (issued by “${issuer}”)` : '';
  return `The TechPass service's certificate${who} is not valid here: ${reason}. For your safety the app does not continue. Check the date and time of this computer; otherwise ask your IT support, who may need to trust the certificate or set the app's extraCaCertificates.`;
}
export const NOT_SIGNED_IN_MESSAGE = 'Sign in first to continue this step.';

export const REGISTRATION_LINK_NOT_FOUND =
  'This registration link is not valid. Check that you copied the whole link from your invitation email, or ask your inviter to send a new invitation.';
