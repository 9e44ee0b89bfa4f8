import { z } from 'zod';
import { FIELD_PROBLEM_CODES, fieldProblem, isFieldProblemCode, type FieldProblem } from './field-problems';

/** A field's problem as it crosses a boundary (the codes' one home is `field-problems.ts`). */
export const FieldProblemCode = z.enum(FIELD_PROBLEM_CODES);
export const FieldProblemSchema = z.object({
  code: FieldProblemCode,
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/**
 * The field problem a zod issue carries (`problemIssue`, or a code as the message of a schema's check); zod's own
 * issues, which name no code, become the generic ones: a missing value, an unknown key, a value of the wrong form.
 */
export function fieldProblemOfIssue(issue: {
  code?: string;
  message?: string;
  params?: unknown;
  input?: unknown;
  maximum?: unknown;
}): FieldProblem {
  if (isFieldProblemCode(issue.message)) {
    const params =
      issue.params && typeof issue.params === 'object' ? (issue.params as Record<string, string | number>) : undefined;
    // A length check's limit (`.max(n, code)`) is the issue's own `maximum`.
    const limit = typeof issue.maximum === 'number' ? { max: issue.maximum } : undefined;
    return fieldProblem(issue.message, params ?? limit);
  }
  if (issue.code === 'unrecognized_keys') return fieldProblem('field.not_allowed');
  // zod 4 leaves `input` out of an issue (unless `reportInput`), so a missing value is told by zod's own wording.
  if (issue.code === 'invalid_type' && issue.message && /received undefined/.test(issue.message))
    return fieldProblem('field.required');
  return fieldProblem('field.invalid');
}

/**
 * Every error code that can cross a boundary (HTTP API → host → renderer).
 * The backend's API codes come first; the host adds its own transport and platform codes.
 * The renderer maps each code to a message in its catalogue (domain.md §7), so a code is never shown raw.
 */
export const API_ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'INVITATION_EXPIRED',
  'INVITATION_SUPERSEDED',
  'INVITATION_REVOKED',
  'INVITATION_USED',
  'USERNAME_TAKEN',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'ACCOUNT_TERMINATED',
  'ACCOUNT_RISK',
  'SESSION_EXPIRED',
  'MFA_REQUIRED',
  'CODE_INVALID',
  'CODE_EXPIRED',
  'CODE_REUSED',
  'TOO_MANY_ATTEMPTS',
  'RATE_LIMITED',
  'PASSWORD_POLICY',
  'PASSWORD_REUSED',
  'SEED_ONE_DEVICE',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'INTERNAL',
] as const;

export const HOST_ERROR_CODES = [
  /** The request the renderer sent failed the contract's schema. */
  'BAD_REQUEST',
  /** An IPC call came from a frame that is not one of the app's main frames. */
  'FORBIDDEN_SENDER',
  /** No network at all (DNS failure, no route). */
  'OFFLINE',
  /** The backend could not be reached or answered 5xx after retries. */
  'BACKEND_UNREACHABLE',
  /** The backend took too long (the link is too slow, or the answer stopped arriving). */
  'TIMEOUT',
  /** The network's proxy wants a user name and password (HTTP 407). */
  'PROXY_AUTH_REQUIRED',
  /** The certificate chain ends at a certificate authority this computer does not trust: TLS inspection re-signed it. */
  'TLS_INTERCEPTED',
  /** The certificate is not valid for the service (self-signed, expired, wrong name). */
  'TLS_UNTRUSTED',
  /** The service's name could not be found (DNS). */
  'DNS_NOT_FOUND',
  /** A web page (captive portal, proxy error page) answered where the service's JSON was expected. */
  'CAPTIVE_PORTAL',
  /** The OS keychain is missing or locked; the journey continues without persisting secrets. */
  'KEYCHAIN_UNAVAILABLE',
  /** The step needs a signed-in session and there is none. */
  'NOT_SIGNED_IN',
  /** The deep link or pasted registration link is not one the app accepts. */
  'INVALID_LINK',
  /** Something unexpected; the message says what to do next. */
  'UNEXPECTED',
] as const;

export const ERROR_CODES = [...API_ERROR_CODES, ...HOST_ERROR_CODES] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * Why a host error happened, when its code alone leaves the user a choice of causes (a TLS failure's certificate
 * problem, a proxy that failed rather than a service that is down). The renderer words each in its catalogue.
 */
export const BRIDGE_ERROR_REASONS = [
  // TLS_UNTRUSTED: what is wrong with the certificate.
  'cert_self_signed',
  'cert_expired',
  'cert_not_yet_valid',
  'cert_date_invalid',
  'cert_wrong_name',
  'cert_revoked',
  'cert_malformed',
  'tls_protocol',
  'cert_unverified',
  // BACKEND_UNREACHABLE: the proxy failed, or this computer switched certificate checks off.
  'proxy_failed',
  'tls_verification_off',
  // NOT_FOUND / INVALID_LINK: which link problem.
  'link_not_found',
  'link_not_registration',
  'link_needed',
  // BAD_REQUEST: a step asked for out of order.
  'step_not_available',
  'steps_remaining',
  'report_missing',
  // UNEXPECTED: the service answered something this version does not understand; a sign-in that did not finish.
  'answer_not_understood',
  'sign_in_unfinished',
] as const;
export const BridgeErrorReason = z.enum(BRIDGE_ERROR_REASONS);
export type BridgeErrorReason = z.infer<typeof BridgeErrorReason>;

/** A low-level code or name, never a sentence: letters, digits and `_ : . / + -` only, no spaces. */
const Token = z.string().regex(/^[A-Za-z0-9_:./+-]{1,80}$/);

/**
 * The facts a host error carries for the wizard's wording (`retryAfterSeconds` in "try again in 30 seconds", the
 * certificate authority's name) and for support (`cause`, `status`). Every key is named and typed: there is no room
 * for a sentence. (This replaces the former free `details` record: one place for the facts, and each one typed.)
 */
export const BridgeErrorParams = z
  .object({
    /** The certificate authority the network presented (TLS_INTERCEPTED / TLS_UNTRUSTED): a name, shown as it is. */
    issuer: z.string().max(300).optional(),
    /** How long to wait before asking again (RATE_LIMITED, a resend refused). */
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    /** The low-level code seen (ENOTFOUND, ERR_CERT_AUTHORITY_INVALID, 407): for support, not for the wording. */
    cause: Token.optional(),
    /** The HTTP status that answered (5xx, a captive portal's 200 or 302). */
    status: z.number().int().optional(),
    /** The content type of a web page that answered where JSON was expected. */
    contentType: Token.optional(),
    reason: BridgeErrorReason.optional(),
  })
  .strict();
export type BridgeErrorParams = z.infer<typeof BridgeErrorParams>;

/**
 * A typed error as it crosses the desktop contract: a code with typed parameters, never a sentence (the wizard words
 * `code`, `params.reason` and each field's problem from its own catalogue, in the user's language). `retryable` tells
 * the wizard whether "Try again" makes sense. Strict: a free-text field added by mistake fails the contract.
 */
export const BridgeError = z
  .object({
    code: ErrorCode,
    params: BridgeErrorParams.optional(),
    fields: z.record(z.string(), FieldProblemSchema.strict()).optional(),
    retryable: z.boolean().optional(),
  })
  .strict();
export type BridgeError = z.infer<typeof BridgeError>;

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}
