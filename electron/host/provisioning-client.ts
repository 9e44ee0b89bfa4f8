import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import * as api from '../../shared/api/provisioning';
import { ApiErrorBody, isErrorCode, type BridgeError, type ErrorCode } from '../../shared/domain/errors';
import { HostError } from './host-error';
import { OFFLINE_MESSAGE, REGISTRATION_LINK_NOT_FOUND, TIMEOUT_MESSAGE, UNREACHABLE_MESSAGE, USER_MESSAGES } from './error-messages';

export const HealthResponse = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['production', 'demo', 'test']),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export type Me = z.infer<typeof api.Me>;
export type RegistrationInfo = z.infer<typeof api.RegistrationInfo>;
export type RegistrationBody = z.infer<typeof api.RegistrationBody>;
export type RegistrationResult = z.infer<typeof api.RegistrationResult>;
export type OutboxMessage = z.infer<typeof api.OutboxMessage>;
export type TermsDoc = z.infer<typeof api.TermsDoc>;

/** POST /v1/sessions and /v1/sessions/mfa: either a session or the second factor is due. */
export type SignInOutcome =
  | { status: 'signed_in'; token: string; requiredActions: api.RequiredAction[] }
  | { status: 'mfa_required'; mfaToken: string };

/** The answer of POST /v1/me/phone: the backend says 202; its body may carry the resend cooldown. */
const PhoneCodeSentLoose = z
  .object({ resendAfterSeconds: z.number().optional(), expiresAt: z.string().optional() })
  .passthrough();

const ActionResultLoose = z
  .object({
    requiredActions: z.array(api.RequiredAction).optional(),
    onboardingComplete: z.boolean().optional(),
    state: api.AccountState.optional(),
  })
  .passthrough();
export type ActionResult = z.infer<typeof ActionResultLoose>;

export interface ProvisioningClientOptions {
  baseUrl: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts for retryable calls (GET, and POSTs carrying an Idempotency-Key). */
  attempts?: number;
  /** First backoff delay; doubles each retry, with jitter. */
  backoffMs?: number;
  now?: () => Date;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Called with the drift (device minus server, seconds) whenever it crosses the warning threshold. */
  onClockDrift?: (seconds: number) => void;
  /** Called when an authenticated call learns the session is gone (401): the host wipes the vault. */
  onSessionGone?: () => void;
}

interface CallOptions {
  token?: string;
  body?: unknown;
  /** POSTs the backend replays by key: retried like GETs, with the same key on every attempt. */
  idempotencyKey?: string;
  /** Overrides the default (GET retries; POST only with a key). */
  retry?: boolean;
}

/** Above this, TOTP codes start failing (30 s step, ±1 step accepted). */
export const CLOCK_DRIFT_WARN_SECONDS = 30;

const NETWORK_OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH']);

/**
 * Typed HTTP client for the provisioning backend (issue 3's API). All HTTP of the app happens here, in the host.
 * TLS is always verified (Node's default; nothing here switches it off), and the base URL comes only from org
 * configuration.
 */
export class ProvisioningClient {
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly now: () => Date;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Device clock minus server clock, in seconds, from the last response's X-Server-Time. */
  clockDriftSeconds: number | undefined;

  constructor(private readonly options: ProvisioningClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoffMs = options.backoffMs ?? 300;
    this.now = options.now ?? (() => new Date());
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('backend URL must be http(s)');
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** A fresh key for one logical POST; reuse it for every retry of that POST (and across restarts if stored). */
  static newIdempotencyKey(): string {
    return randomUUID();
  }

  // ---------- public ----------
  health(): Promise<HealthResponse> {
    return this.call('GET', '/healthz', HealthResponse);
  }

  async getRegistration(token: string): Promise<RegistrationInfo> {
    try {
      return await this.call('GET', `/v1/registrations/${encodeURIComponent(token)}`, api.RegistrationInfo);
    } catch (err) {
      if (err instanceof HostError && err.code === 'NOT_FOUND') {
        throw new HostError({ ...err.bridgeError, message: REGISTRATION_LINK_NOT_FOUND });
      }
      throw err;
    }
  }

  submitRegistration(token: string, body: RegistrationBody, idempotencyKey: string): Promise<RegistrationResult> {
    return this.call('POST', `/v1/registrations/${encodeURIComponent(token)}`, api.RegistrationResult, { body, idempotencyKey });
  }

  async signIn(loginId: string, password: string, idempotencyKey = ProvisioningClient.newIdempotencyKey()): Promise<SignInOutcome> {
    const res = await this.call('POST', '/v1/sessions', z.union([api.SessionCreated, api.MfaRequired]), {
      body: { loginId, password },
      idempotencyKey,
    });
    return 'token' in res ? { status: 'signed_in', ...res } : res;
  }

  async submitMfa(mfaToken: string, code: string, idempotencyKey = ProvisioningClient.newIdempotencyKey()): Promise<SignInOutcome> {
    const res = await this.call('POST', '/v1/sessions/mfa', api.SessionCreated, { body: { mfaToken, code }, idempotencyKey });
    return { status: 'signed_in', ...res };
  }

  async signOut(token: string): Promise<void> {
    await this.call('DELETE', '/v1/sessions/current', z.unknown(), { token, retry: true });
  }

  getMe(token: string): Promise<Me> {
    return this.call('GET', '/v1/me', api.Me, { token });
  }

  startAuthenticator(token: string): Promise<z.infer<typeof api.AuthenticatorEnrolment>> {
    return this.call('POST', '/v1/me/mfa/authenticator', api.AuthenticatorEnrolment, {
      token,
      idempotencyKey: ProvisioningClient.newIdempotencyKey(),
    });
  }

  verifyAuthenticator(token: string, code: string): Promise<ActionResult> {
    return this.call('POST', '/v1/me/mfa/authenticator/verify', ActionResultLoose, {
      token,
      body: { code },
      idempotencyKey: ProvisioningClient.newIdempotencyKey(),
    });
  }

  sendPhoneCode(token: string, mobile: string): Promise<z.infer<typeof PhoneCodeSentLoose>> {
    return this.call('POST', '/v1/me/phone', PhoneCodeSentLoose, {
      token,
      body: { mobile },
      idempotencyKey: ProvisioningClient.newIdempotencyKey(),
    });
  }

  verifyPhoneCode(token: string, code: string): Promise<ActionResult> {
    return this.call('POST', '/v1/me/phone/verify', ActionResultLoose, {
      token,
      body: { code },
      idempotencyKey: ProvisioningClient.newIdempotencyKey(),
    });
  }

  changePassword(token: string, currentPassword: string, newPassword: string): Promise<ActionResult> {
    return this.call('POST', '/v1/me/password', ActionResultLoose, {
      token,
      body: { currentPassword, newPassword },
      idempotencyKey: ProvisioningClient.newIdempotencyKey(),
    });
  }

  /**
   * The terms documents. Signed in, the backend's per-user list (`GET /v1/me/terms`) says which are required for this
   * user (the MDM AUP only when SEED is provisioned); the public `GET /v1/terms` is the fallback.
   */
  async getTerms(token?: string): Promise<TermsDoc[]> {
    if (token) {
      try {
        return await this.call('GET', '/v1/me/terms', api.TermsList, { token });
      } catch (err) {
        if (!(err instanceof HostError && err.code === 'NOT_FOUND')) throw err;
      }
    }
    return this.call('GET', '/v1/terms', api.TermsList);
  }

  acceptTerm(token: string, id: TermsDoc['id'], version: string): Promise<ActionResult> {
    return this.call('POST', '/v1/me/terms', ActionResultLoose, {
      token,
      body: { id, version },
      idempotencyKey: ProvisioningClient.newIdempotencyKey(),
    });
  }

  async startPasswordReset(loginId: string): Promise<void> {
    await this.call('POST', '/v1/password-resets', z.unknown(), {
      body: { loginId },
      idempotencyKey: ProvisioningClient.newIdempotencyKey(),
    });
  }

  async completePasswordReset(loginId: string, code: string, newPassword: string): Promise<void> {
    await this.call('POST', '/v1/password-resets/complete', z.unknown(), {
      body: { loginId, code, newPassword },
      idempotencyKey: ProvisioningClient.newIdempotencyKey(),
    });
  }

  getMeSeed(token: string): Promise<z.infer<typeof api.MeSeed>> {
    return this.call('GET', '/v1/me/seed', api.MeSeed, { token });
  }

  getSeedStatus(): Promise<z.infer<typeof api.SeedStatus>> {
    return this.call('GET', '/v1/seed/status', api.SeedStatus);
  }

  getOsBaseline(): Promise<unknown> {
    return this.call('GET', '/v1/seed/os-baseline', z.unknown());
  }

  /** Demo and test backends only (404 elsewhere). */
  getOutbox(): Promise<OutboxMessage[]> {
    return this.call('GET', '/v1/test/outbox', api.OutboxList);
  }

  // ---------- transport ----------
  private async call<S extends z.ZodType>(method: string, path: string, schema: S, opts: CallOptions = {}): Promise<z.output<S>> {
    const retry = opts.retry ?? (method === 'GET' || opts.idempotencyKey !== undefined);
    const attempts = retry ? this.attempts : 1;
    let lastError: HostError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.backoffMs * 2 ** (attempt - 2) * (0.75 + Math.random() * 0.5));
      let res: Response;
      try {
        res = await this.fetchOnce(method, path, opts);
      } catch (err) {
        if (err instanceof HostError) throw err;
        lastError = networkError(err);
        continue;
      }
      this.readServerTime(res);
      if (res.status >= 500 || (res.status === 429 && attempt < attempts && retryAfter(res) <= 2)) {
        lastError = await this.httpError(res, opts);
        if (res.status === 429) await this.sleep(retryAfter(res) * 1000);
        continue;
      }
      if (!res.ok) throw await this.httpError(res, opts);
      const text = await res.text();
      let json: unknown = undefined;
      if (text.length) {
        try {
          json = JSON.parse(text);
        } catch {
          throw unexpectedAnswer();
        }
      }
      const parsed = schema.safeParse(json ?? {});
      if (!parsed.success) throw unexpectedAnswer();
      return parsed.data;
    }
    throw lastError ?? unexpectedAnswer();
  }

  private fetchOnce(method: string, path: string, opts: CallOptions): Promise<Response> {
    const url = new URL(path, this.options.baseUrl);
    if (url.protocol === 'https:' && process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
      // Certificate checks switched off for the whole process: refuse rather than send credentials over it.
      throw HostError.of(
        'BACKEND_UNREACHABLE',
        'This computer is set to skip certificate checks (NODE_TLS_REJECT_UNAUTHORIZED=0), so the app will not connect. Ask your IT support to remove that setting.',
        { retryable: false, details: { reason: 'tls-verification-off' } },
      );
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    return this.fetchImpl(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
  }

  private async httpError(res: Response, opts: CallOptions): Promise<HostError> {
    let body: ApiErrorBody | undefined;
    try {
      const parsed = ApiErrorBody.safeParse(await res.json());
      if (parsed.success) body = parsed.data;
    } catch {
      // not JSON: a proxy or a crashed server
    }
    if (res.status >= 500) {
      return HostError.of('BACKEND_UNREACHABLE', UNREACHABLE_MESSAGE, { retryable: true, details: { status: res.status } });
    }
    const rawCode = body?.error.code ?? (res.status === 401 ? 'UNAUTHORIZED' : res.status === 404 ? 'NOT_FOUND' : 'UNEXPECTED');
    const code: ErrorCode = isErrorCode(rawCode) ? rawCode : 'UNEXPECTED';
    if (opts.token && res.status === 401) this.options.onSessionGone?.();
    const error: BridgeError = {
      code,
      message: USER_MESSAGES[code] ?? 'The TechPass service refused this request. Try again; if it keeps happening, contact support.',
      retryable: code === 'RATE_LIMITED',
    };
    if (body?.error.fields) error.fields = body.error.fields;
    const seconds = retryAfter(res);
    if (seconds > 0) error.details = { retryAfterSeconds: seconds };
    // PASSWORD_POLICY: the backend names the failed rules; show them.
    if (code === 'PASSWORD_POLICY' && body?.error.message && !body.error.fields) {
      error.fields = { newPassword: body.error.message };
    }
    return new HostError(error);
  }

  private readServerTime(res: Response): void {
    const header = res.headers.get('x-server-time');
    if (!header) return;
    const server = Date.parse(header);
    if (Number.isNaN(server)) return;
    this.clockDriftSeconds = Math.round((this.now().getTime() - server) / 1000);
    if (Math.abs(this.clockDriftSeconds) > CLOCK_DRIFT_WARN_SECONDS) this.options.onClockDrift?.(this.clockDriftSeconds);
  }
}

function retryAfter(res: Response): number {
  const raw = res.headers.get('retry-after');
  const seconds = raw ? Number(raw) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 0;
}

function unexpectedAnswer(): HostError {
  return HostError.of('UNEXPECTED', 'The TechPass service gave an answer this app does not understand. Update the app or try again later.', {
    retryable: true,
  });
}

/** Offline (no route, no DNS) vs server down (refused, reset) vs too slow: the wizard words each differently. */
export function networkError(err: unknown): HostError {
  const e = err as { name?: string; cause?: { code?: string; name?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return HostError.of('TIMEOUT', TIMEOUT_MESSAGE, { retryable: true });
  }
  const code = e?.cause?.code;
  if (code && NETWORK_OFFLINE_CODES.has(code)) return HostError.of('OFFLINE', OFFLINE_MESSAGE, { retryable: true });
  if (code && /^(CERT_|UNABLE_TO_VERIFY|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL)/.test(code)) {
    return HostError.of(
      'BACKEND_UNREACHABLE',
      'The connection to the TechPass service is not secure (its certificate could not be verified). Do not continue on this network; contact your IT support.',
      { retryable: false, details: { reason: 'tls' } },
    );
  }
  return HostError.of('BACKEND_UNREACHABLE', UNREACHABLE_MESSAGE, { retryable: true });
}
