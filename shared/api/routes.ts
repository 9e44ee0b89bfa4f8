/**
 * The route table of the provisioning API: every operation with its method, path, operationId, summary, security,
 * request schemas and a response schema for every status it answers with. The backend registers its routes from this
 * table (a route without an entry cannot be registered), `/openapi.json` is generated from it, and the one HTTP client
 * (`client.ts`) derives its types from it. Operation ids are the names the desktop host and its contract use.
 */
import { z } from 'zod';
import { SeedOsBaseline } from '../domain/seed-os-baseline';
import { ApiErrorEnvelope } from './errors';
import * as o from './observability';
import * as s from './provisioning';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call an operation: anyone (`public`, rate limited per address), a signed-in user (`session`: the bearer
 * token of POST /v1/sessions), an administrator (`admin`: the portal's ADMIN_API_KEY or a named admin key), or anyone
 * on a backend started in test mode (`testMode`; the outbox also in demo mode, where it is the demo inbox). `metrics`:
 * METRICS_API_KEY or the admin key, checked by the handler (a Prometheus scraper holds no admin principal).
 */
export type Security = 'public' | 'session' | 'admin' | 'metrics' | 'testMode';

/** A response without a body (204). */
export const NoContent = { kind: 'empty' } as const;
/** A response that is an HTML page (the links in emails that a browser opens). */
export const HtmlPage = { kind: 'html' } as const;
/** The Prometheus text exposition format. */
export const PrometheusText = { kind: 'text' } as const;
export type ResponseSpec = z.ZodType | typeof NoContent | typeof HtmlPage | typeof PrometheusText;

export interface RouteDef {
  method: HttpMethod;
  /** Fastify's syntax: `:name` is a path parameter. */
  path: string;
  summary: string;
  description?: string;
  tags: readonly [string, ...string[]];
  security: Security;
  request?: {
    params?: z.ZodObject;
    query?: z.ZodObject;
    body?: z.ZodType;
    headers?: z.ZodObject;
  };
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Response headers worth documenting, by status. */
  responseHeaders?: Readonly<Record<number, Readonly<Record<string, string>>>>;
  /** A larger request body limit than the default 64 KiB. */
  bodyLimit?: number;
  /** Not rate limited per address (health probes, the API description). */
  unthrottled?: boolean;
  /** A `testMode` route that is also served in demo mode. */
  alsoInDemo?: boolean;
}

// ---------- request pieces ----------

const TokenParam = z.object({ token: z.string().min(1).max(200) }).strict();
/** The pages check the token themselves: a malformed one gets the page that says so (404), not a JSON error. */
const PageTokenParam = z.object({ token: z.string() }).strict();
const UsernameParam = z.object({ username: z.string().min(1).max(200) }).strict();
const IdParam = z.object({ id: z.string().min(1).max(100) }).strict();

/** A POST with this header is answered once: the same key and body within 24 h get the first answer again. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .describe('Any unique string (at most 200 characters), the same on every retry of one request.'),
});

/** Body limit of the bulk invitation route: 500 rows of the longest allowed fields (about 1.1 KiB each). */
export const BULK_BODY_LIMIT = 1024 * 1024;
/** The longest page of GET /v1/admin/invitations (also its default). */
export const INVITATION_PAGE_MAX = 100;

export const InvitationListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(INVITATION_PAGE_MAX).optional(),
    after: z.string().min(1).max(400).optional(),
  })
  .strict();
/** Each row is validated on its own (as a CreateInvitationBody), so one bad row is reported in its result. */
export const BulkInvitationRows = z
  .array(z.record(z.string(), z.unknown()))
  .min(1, 'Send at least one invitation.')
  .max(500, 'Send at most 500 invitations at once.');
export const AdminAccountActionParams = z
  .object({ username: z.string().min(1).max(200), action: s.AdminAccountAction })
  .strict();

// ---------- response pieces ----------

export const HealthResponse = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['production', 'demo', 'test']),
});
export const OpenApiDocument = z.object({ openapi: z.string() }).catchall(z.unknown());
export const PasswordResetAccepted = z.object({ status: z.literal('accepted'), message: z.string() });
export const PasswordResetDone = z.object({ status: z.literal('reset') });
export const LinkResetDone = z.object({ status: z.literal('reset'), loginId: z.string() });
export const JobRunReport = z
  .object({})
  .catchall(z.unknown())
  .describe('What the lifecycle jobs and the outbox worker did (counts).');

const E = ApiErrorEnvelope;
type Status = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 423 | 429 | 500;
/** The error envelope for each of these statuses. */
const errors = <const S extends readonly Status[]>(...statuses: S) =>
  Object.fromEntries(statuses.map((st) => [st, E])) as { [P in S[number]]: typeof E };
/** Every route: a malformed address (400) or a server failure (500). */
const ANY = [400, 500] as const;
/** Every POST, PUT and DELETE, with a body schema or not (a body sent anyway is read): not valid (400), too large (413), not JSON (415). */
const BODY = [400, 413, 415] as const;
const RETRY_AFTER = { 'Retry-After': 'Seconds to wait before trying again.' };

const route = <const R extends RouteDef>(r: R): R => r;

export const routes = {
  // ---------- service ----------
  health: route({
    method: 'GET',
    path: '/healthz',
    summary: 'Service name, version and mode (liveness probe)',
    tags: ['service'],
    security: 'public',
    unthrottled: true,
    responses: { 200: HealthResponse, ...errors(...ANY) },
  }),
  getOpenApiDocument: route({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API description (OpenAPI 3.1)',
    tags: ['service'],
    security: 'public',
    unthrottled: true,
    responses: { 200: OpenApiDocument, ...errors(...ANY) },
  }),

  // ---------- pages opened from emails ----------
  registrationPage: route({
    method: 'GET',
    path: '/register/:token',
    summary: 'Browser page of the invitation link: hands the token to the app (deep link)',
    description:
      'Never consumes the invitation (mail scanners open links too). 404: not a valid link; 409: already registered; 410: expired, superseded or revoked.',
    tags: ['pages'],
    security: 'public',
    request: { params: PageTokenParam },
    unthrottled: true,
    responses: { 200: HtmlPage, 404: HtmlPage, 409: HtmlPage, 410: HtmlPage, ...errors(...ANY) },
  }),
  resetPasswordPage: route({
    method: 'GET',
    path: '/reset-password/:token',
    summary: 'Browser page of the support reset link: a form that calls completeLinkReset',
    tags: ['pages'],
    security: 'public',
    request: { params: PageTokenParam },
    unthrottled: true,
    responses: { 200: HtmlPage, 404: HtmlPage, ...errors(...ANY) },
  }),

  // ---------- registration ----------
  getRegistration: route({
    method: 'GET',
    path: '/v1/registrations/:token',
    summary: 'What an invitation link is for: the invited email, the fields to fill in, the deadline',
    tags: ['registration'],
    security: 'public',
    request: { params: TokenParam },
    responses: { 200: s.RegistrationInfo, ...errors(...ANY, 404, 409, 410, 429) },
  }),
  submitRegistration: route({
    method: 'POST',
    path: '/v1/registrations/:token',
    summary: 'Register with an invitation: creates the TechPass account',
    tags: ['registration'],
    security: 'public',
    request: { params: TokenParam, body: s.RegistrationBody, headers: IdempotencyHeaders },
    responses: { 201: s.RegistrationResult, ...errors(...ANY, ...BODY, 404, 409, 410, 429) },
  }),

  // ---------- sessions ----------
  signIn: route({
    method: 'POST',
    path: '/v1/sessions',
    summary: 'Sign in with the TechPass ID or username and the password',
    description: '201: a session; 200: the second factor is due (answer with submitMfaCode).',
    tags: ['sessions'],
    security: 'public',
    request: { body: s.SignInBody, headers: IdempotencyHeaders },
    responses: { 200: s.MfaRequired, 201: s.SessionCreated, ...errors(...ANY, ...BODY, 401, 403, 409, 423, 429) },
    responseHeaders: { 429: RETRY_AFTER },
  }),
  submitMfaCode: route({
    method: 'POST',
    path: '/v1/sessions/mfa',
    summary: 'Complete a sign-in with the authenticator code',
    tags: ['sessions'],
    security: 'public',
    request: { body: s.MfaBody, headers: IdempotencyHeaders },
    responses: { 201: s.SessionCreated, ...errors(...ANY, ...BODY, 401, 403, 409, 423, 429) },
  }),
  signOut: route({
    method: 'DELETE',
    path: '/v1/sessions/current',
    summary: 'Sign out: ends the session of the bearer token',
    tags: ['sessions'],
    security: 'session',
    responses: { 204: NoContent, ...errors(...ANY, ...BODY, 401) },
  }),

  // ---------- password ----------
  startPasswordReset: route({
    method: 'POST',
    path: '/v1/password-resets',
    summary: 'Send a password reset code by SMS (the same answer whether or not the account exists)',
    tags: ['password'],
    security: 'public',
    request: { body: s.PasswordResetStartBody, headers: IdempotencyHeaders },
    responses: { 202: PasswordResetAccepted, ...errors(...ANY, ...BODY, 409, 429) },
  }),
  completePasswordReset: route({
    method: 'POST',
    path: '/v1/password-resets/complete',
    summary: 'Set a new password with the SMS reset code',
    tags: ['password'],
    security: 'public',
    request: { body: s.PasswordResetCompleteBody, headers: IdempotencyHeaders },
    responses: { 200: PasswordResetDone, ...errors(...ANY, ...BODY, 409, 423, 429) },
  }),
  completeLinkReset: route({
    method: 'POST',
    path: '/v1/password-resets/link',
    summary: 'Set a new password with the token of a support reset link',
    tags: ['password'],
    security: 'public',
    request: { body: s.PasswordResetLinkBody, headers: IdempotencyHeaders },
    responses: { 200: LinkResetDone, ...errors(...ANY, ...BODY, 404, 409, 410, 429) },
  }),
  resendInitialPassword: route({
    method: 'POST',
    path: '/v1/initial-password/resend',
    summary: 'Send the initial password by SMS again (the same answer whether or not the pair matches an account)',
    tags: ['password'],
    security: 'public',
    request: { body: s.InitialPasswordResendBody, headers: IdempotencyHeaders },
    responses: { 202: s.InitialPasswordResendAccepted, ...errors(...ANY, ...BODY, 409, 429) },
    responseHeaders: { 429: RETRY_AFTER },
  }),

  getInitialPasswordDelivery: route({
    method: 'GET',
    path: '/v1/deliveries/:id',
    summary:
      "The delivery state of the registration's initial-password SMS, by the reference the registration returned",
    description:
      'Polled by the account-created step while the user waits for the SMS. 404: no such message (it may have been delivered and tidied away).',
    tags: ['registration'],
    security: 'public',
    request: { params: IdParam },
    responses: { 200: s.MessageDelivery, ...errors(...ANY, 404, 429) },
  }),

  // ---------- public reference data ----------
  getTerms: route({
    method: 'GET',
    path: '/v1/terms',
    summary: 'The terms documents (the signed-in list is getMyTerms)',
    tags: ['terms'],
    security: 'public',
    responses: { 200: s.TermsList, ...errors(...ANY, 429) },
  }),
  getOsBaseline: route({
    method: 'GET',
    path: '/v1/seed/os-baseline',
    summary: 'The supported-OS baseline of SEED devices',
    tags: ['seed'],
    security: 'public',
    responses: { 200: SeedOsBaseline, ...errors(...ANY, 429) },
  }),
  getSeedStatus: route({
    method: 'GET',
    path: '/v1/seed/status',
    summary: 'SEED maintenance windows and the server time',
    tags: ['seed'],
    security: 'public',
    responses: { 200: s.SeedStatus, ...errors(...ANY, 429) },
  }),

  // ---------- signed in ----------
  getMe: route({
    method: 'GET',
    path: '/v1/me',
    summary: 'The signed-in account: state, required actions, deadlines, SEED',
    tags: ['me'],
    security: 'session',
    responses: { 200: s.Me, ...errors(...ANY, 401) },
  }),
  startAuthenticator: route({
    method: 'POST',
    path: '/v1/me/mfa/authenticator',
    summary: 'Start authenticator enrolment: the TOTP secret and its otpauth URI',
    tags: ['me'],
    security: 'session',
    request: { headers: IdempotencyHeaders },
    responses: { 200: s.AuthenticatorEnrolment, ...errors(...ANY, ...BODY, 401, 409) },
  }),
  verifyAuthenticator: route({
    method: 'POST',
    path: '/v1/me/mfa/authenticator/verify',
    summary: 'Finish authenticator enrolment with a current code',
    tags: ['me'],
    security: 'session',
    request: { body: s.CodeBody, headers: IdempotencyHeaders },
    responses: { 200: s.ActionResult, ...errors(...ANY, ...BODY, 401, 409) },
  }),
  sendPhoneCode: route({
    method: 'POST',
    path: '/v1/me/phone',
    summary: 'Send a verification code by SMS to this mobile number',
    tags: ['me'],
    security: 'session',
    request: { body: s.PhoneBody, headers: IdempotencyHeaders },
    responses: { 202: s.PhoneCodeSent, ...errors(...ANY, ...BODY, 401, 409, 429) },
    responseHeaders: { 429: RETRY_AFTER },
  }),
  getPhoneCodeDelivery: route({
    method: 'GET',
    path: '/v1/me/phone/delivery',
    summary: 'How the newest phone-verification code SMS is doing (none before one was asked for)',
    description: 'Polled by the phone step while the user waits for the code, so a failing SMS shows within seconds.',
    tags: ['me'],
    security: 'session',
    responses: { 200: s.PhoneCodeDelivery, ...errors(...ANY, 401) },
  }),
  verifyPhoneCode: route({
    method: 'POST',
    path: '/v1/me/phone/verify',
    summary: 'Verify the mobile number with the SMS code',
    tags: ['me'],
    security: 'session',
    request: { body: s.CodeBody, headers: IdempotencyHeaders },
    responses: { 200: s.ActionResult, ...errors(...ANY, ...BODY, 401, 409, 429) },
  }),
  updateMyLocale: route({
    method: 'PUT',
    path: '/v1/me/locale',
    summary: 'Set the language of every later email and SMS to this account',
    description:
      'The wizard sends it when the user switches language after registering (the registration carries the first choice). Idempotent: the same language again changes nothing.',
    tags: ['me'],
    security: 'session',
    request: { body: s.LocaleBody },
    responses: { 204: NoContent, ...errors(...ANY, ...BODY, 401) },
  }),
  changePassword: route({
    method: 'POST',
    path: '/v1/me/password',
    summary: 'Change the password (ends the other sessions)',
    tags: ['me'],
    security: 'session',
    request: { body: s.ChangePasswordBody, headers: IdempotencyHeaders },
    responses: { 200: s.ActionResult, ...errors(...ANY, ...BODY, 401, 409, 423, 429) },
  }),
  getMyTerms: route({
    method: 'GET',
    path: '/v1/me/terms',
    summary: 'The terms documents, with which ones this user must accept',
    tags: ['terms'],
    security: 'session',
    responses: { 200: s.TermsList, ...errors(...ANY, 401) },
  }),
  acceptTerm: route({
    method: 'POST',
    path: '/v1/me/terms',
    summary: 'Accept one version of a terms document',
    tags: ['terms'],
    security: 'session',
    request: { body: s.AcceptTermsBody, headers: IdempotencyHeaders },
    responses: { 200: s.ActionResult, ...errors(...ANY, ...BODY, 401, 409) },
  }),
  getMeSeed: route({
    method: 'GET',
    path: '/v1/me/seed',
    summary: 'The SEED state and devices of the signed-in account',
    tags: ['seed'],
    security: 'session',
    responses: { 200: s.MeSeed, ...errors(...ANY, 401) },
  }),
  registerSeedDevice: route({
    method: 'POST',
    path: '/v1/me/seed/devices',
    summary: 'Register the SEED device (one per account)',
    tags: ['seed'],
    security: 'session',
    request: { body: s.RegisterSeedDeviceBody, headers: IdempotencyHeaders },
    responses: { 201: s.MeSeed, ...errors(...ANY, ...BODY, 401, 409) },
  }),
  removeSeedDevice: route({
    method: 'DELETE',
    path: '/v1/me/seed/devices/:id',
    summary: 'Offboard a SEED device',
    tags: ['seed'],
    security: 'session',
    request: { params: IdParam },
    responses: { 200: s.MeSeed, ...errors(...ANY, ...BODY, 401, 404, 409) },
  }),

  // ---------- admin ----------
  createInvitation: route({
    method: 'POST',
    path: '/v1/admin/invitations',
    summary: 'Invite one person (sends the registration email)',
    description: 'An inviter key invites as its principal; inviterEmail must then be that principal or left out.',
    tags: ['admin'],
    security: 'admin',
    request: { body: s.CreateInvitationBody, headers: IdempotencyHeaders },
    responses: { 201: s.CreatedInvitation, ...errors(...ANY, ...BODY, 401, 403, 409) },
  }),
  listInvitations: route({
    method: 'GET',
    path: '/v1/admin/invitations',
    summary: 'Invitations, newest first, one page at a time',
    description:
      'The next page is in the Link header (rel="next"), absent on the last page. An inviter key sees its own invitations.',
    tags: ['admin'],
    security: 'admin',
    request: { query: InvitationListQuery },
    responses: { 200: z.array(s.InvitationSummary), ...errors(...ANY, 401, 403) },
    responseHeaders: { 200: { Link: 'The next page: <...>; rel="next" (absent on the last page).' } },
  }),
  createInvitationsInBulk: route({
    method: 'POST',
    path: '/v1/admin/invitations/bulk',
    summary: 'Invite up to 500 people; each row is checked and reported on its own',
    description:
      'dryRun=true checks every row and sends nothing (200). Otherwise the valid rows are invited in one transaction (201).',
    tags: ['admin'],
    security: 'admin',
    request: { body: BulkInvitationRows, query: s.BulkInvitationQuery, headers: IdempotencyHeaders },
    bodyLimit: BULK_BODY_LIMIT,
    responses: { 200: s.BulkInvitationResult, 201: s.BulkInvitationResult, ...errors(...ANY, ...BODY, 401, 403, 409) },
  }),
  resendInvitation: route({
    method: 'POST',
    path: '/v1/admin/invitations/:id/resend',
    summary: 'Send an invitation again with a new link (the old link stops working)',
    tags: ['admin'],
    security: 'admin',
    request: { params: IdParam, headers: IdempotencyHeaders },
    responses: { 200: s.CreatedInvitation, ...errors(...ANY, ...BODY, 401, 403, 404, 409) },
  }),
  revokeInvitation: route({
    method: 'DELETE',
    path: '/v1/admin/invitations/:id',
    summary: 'Withdraw an invitation',
    tags: ['admin'],
    security: 'admin',
    request: { params: IdParam },
    responses: { 200: s.InvitationSummary, ...errors(...ANY, ...BODY, 401, 403, 404, 409) },
  }),
  listInvitationDeliveries: route({
    method: 'GET',
    path: '/v1/admin/invitations/:id/deliveries',
    summary:
      "Every message about an invitation (its email, the inviter's outcome emails) with its delivery state, newest first",
    tags: ['admin'],
    security: 'admin',
    request: { params: IdParam },
    responses: { 200: s.DeliveryList, ...errors(...ANY, 401, 403, 404) },
  }),
  getAccount: route({
    method: 'GET',
    path: '/v1/admin/accounts/:username',
    summary: 'One account: state, flags, SEED',
    tags: ['admin'],
    security: 'admin',
    request: { params: UsernameParam },
    responses: { 200: s.AccountSummary, ...errors(...ANY, 401, 403, 404) },
  }),
  listAccountDeliveries: route({
    method: 'GET',
    path: '/v1/admin/accounts/:username/deliveries',
    summary: 'Every message to or about one account with its delivery state, newest first',
    tags: ['admin'],
    security: 'admin',
    request: { params: UsernameParam },
    responses: { 200: s.DeliveryList, ...errors(...ANY, 401, 403, 404) },
  }),
  runAccountAction: route({
    method: 'POST',
    path: '/v1/admin/accounts/:username/:action',
    summary: 'A support or lifecycle action on one account (enable, disable, terminate, reset-mfa, unlock, resends)',
    tags: ['admin'],
    security: 'admin',
    request: { params: AdminAccountActionParams, headers: IdempotencyHeaders },
    responses: { 200: s.AccountSummary, ...errors(...ANY, ...BODY, 401, 403, 404, 409, 429) },
    responseHeaders: { 429: RETRY_AFTER },
  }),
  sendResetLink: route({
    method: 'POST',
    path: '/v1/admin/accounts/:username/send-reset-link',
    summary: 'Email a password reset link (support, with a ticket number)',
    tags: ['admin'],
    security: 'admin',
    request: { params: UsernameParam, body: s.SupportTicketBody, headers: IdempotencyHeaders },
    responses: { 200: s.AccountSummary, ...errors(...ANY, ...BODY, 401, 403, 404, 409, 429) },
  }),
  verifyPhoneForUser: route({
    method: 'POST',
    path: '/v1/admin/accounts/:username/verify-phone',
    summary: 'Mark the mobile number verified (support, with a ticket number)',
    tags: ['admin'],
    security: 'admin',
    request: { params: UsernameParam, body: s.SupportTicketBody, headers: IdempotencyHeaders },
    responses: { 200: s.AccountSummary, ...errors(...ANY, ...BODY, 401, 403, 404, 409) },
  }),

  listAuditRecords: route({
    method: 'GET',
    path: '/v1/admin/audit',
    summary: 'The audit trail, newest first, one page at a time',
    description: 'The next page is in the Link header (rel="next"), absent on the last page.',
    tags: ['admin'],
    security: 'admin',
    request: { query: o.AuditListQuery },
    responses: { 200: o.AuditRecordList, ...errors(...ANY, 401, 403) },
    responseHeaders: { 200: { Link: 'The next page: <...>; rel="next" (absent on the last page).' } },
  }),
  verifyAuditTrail: route({
    method: 'GET',
    path: '/v1/admin/audit/verify',
    summary: 'Check the hash chain of the whole audit trail',
    tags: ['admin'],
    security: 'admin',
    responses: { 200: o.AuditVerification, ...errors(...ANY, 401, 403) },
  }),
  getFunnelReport: route({
    method: 'GET',
    path: '/v1/admin/reports/funnel',
    summary: 'The onboarding funnel of a period: how many reached each step, conversion and drop-off',
    tags: ['admin'],
    security: 'admin',
    request: { query: o.FunnelQuery },
    responses: { 200: o.FunnelReport, ...errors(...ANY, 401, 403) },
  }),
  getMetrics: route({
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format)',
    tags: ['service'],
    security: 'metrics',
    unthrottled: true,
    responses: { 200: PrometheusText, ...errors(...ANY, 401) },
  }),

  // ---------- test mode ----------
  getOutbox: route({
    method: 'GET',
    path: '/v1/test/outbox',
    summary: 'Every email and SMS the backend made (test mode; the demo inbox in demo mode)',
    tags: ['test'],
    security: 'testMode',
    alsoInDemo: true,
    responses: { 200: s.OutboxList, ...errors(...ANY) },
  }),
  getTestClock: route({
    method: 'GET',
    path: '/v1/test/clock',
    summary: 'The server clock (test mode)',
    tags: ['test'],
    security: 'testMode',
    responses: { 200: s.ClockNow, ...errors(...ANY) },
  }),
  advanceTestClock: route({
    method: 'POST',
    path: '/v1/test/clock',
    summary: 'Move the server clock forward (test mode)',
    tags: ['test'],
    security: 'testMode',
    request: { body: s.AdvanceClockBody },
    responses: { 200: s.ClockNow, ...errors(...ANY, ...BODY, 409) },
  }),
  runJobs: route({
    method: 'POST',
    path: '/v1/test/jobs/run',
    summary: 'Run the lifecycle jobs and the outbox worker once, now (test mode)',
    tags: ['test'],
    security: 'testMode',
    responses: { 200: JobRunReport, ...errors(...ANY, ...BODY) },
  }),
} as const satisfies Record<string, RouteDef>;

export type Routes = typeof routes;
export type OperationId = keyof Routes;
export const OPERATION_IDS = Object.keys(routes) as OperationId[];

// ---------- types derived from the table (the client's and the backend handlers') ----------

type RequestOf<K extends OperationId> = Routes[K] extends { request: infer Q } ? Q : Record<never, never>;
type Part<K extends OperationId, P extends string, IO extends 'in' | 'out'> =
  RequestOf<K> extends Record<P, infer S extends z.ZodType> ? (IO extends 'in' ? z.input<S> : z.output<S>) : undefined;
/** What a caller sends (zod input types). */
export type ParamsIn<K extends OperationId> = Part<K, 'params', 'in'>;
export type QueryIn<K extends OperationId> = Part<K, 'query', 'in'>;
export type BodyIn<K extends OperationId> = Part<K, 'body', 'in'>;
/** What a handler receives after validation (zod output types). */
export type ParamsOut<K extends OperationId> = Part<K, 'params', 'out'>;
export type QueryOut<K extends OperationId> = Part<K, 'query', 'out'>;
export type BodyOut<K extends OperationId> = Part<K, 'body', 'out'>;

export type StatusOf<K extends OperationId> = keyof Routes[K]['responses'] & number;
export type SuccessStatus<K extends OperationId> = Extract<StatusOf<K>, 200 | 201 | 202 | 204>;
type PayloadOf<Spec, IO extends 'in' | 'out'> = Spec extends z.ZodType
  ? IO extends 'in'
    ? z.input<Spec>
    : z.output<Spec>
  : Spec extends typeof HtmlPage | typeof PrometheusText
    ? string
    : undefined;
/** The body of one status of one operation. */
export type ResponseBody<K extends OperationId, S extends StatusOf<K>, IO extends 'in' | 'out' = 'out'> = PayloadOf<
  Routes[K]['responses'][S],
  IO
>;
/** The body of a successful answer (any of the operation's 2xx statuses). */
export type SuccessBody<K extends OperationId> = ResponseBody<K, SuccessStatus<K>>;
/** Every answer an operation can give, as a union tagged by status. */
export type ApiResponse<K extends OperationId> = {
  [S in StatusOf<K>]: { status: S; body: ResponseBody<K, S>; headers: { get(name: string): string | null } };
}[StatusOf<K>];
/** Enum and literal members as their base type: database columns hold them as text. */
type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer U)[]
        ? Widen<U>[]
        : T extends object
          ? { [P in keyof T]: Widen<T[P]> }
          : T;
/**
 * The successful answers only (what a handler returns). Enum fields are typed as their base type here, because the
 * services read them from text columns; a test-mode backend checks every reply against the table's enums instead.
 */
export type SuccessReply<K extends OperationId> = {
  [S in SuccessStatus<K>]: { status: S; body: Widen<ResponseBody<K, S, 'in'>> };
}[SuccessStatus<K>];

export interface BackendMode {
  testMode: boolean;
  demo: boolean;
}
/** Whether a backend in this mode serves the operation (test-mode routes only in test mode, the outbox also in demo). */
export function isServed(def: RouteDef, mode: BackendMode): boolean {
  return def.security !== 'testMode' || mode.testMode || (mode.demo && def.alsoInDemo === true);
}

/** The table's entry for a method and a Fastify-style path (undefined when there is none). */
export function findRoute(method: string, path: string): OperationId | undefined {
  return OPERATION_IDS.find((id) => routes[id].method === method && routes[id].path === path);
}
