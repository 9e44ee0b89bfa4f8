import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import * as api from '../../shared/api/provisioning';
import {
  createApiClient,
  parseAnswer,
  UnexpectedAnswerError,
  type ApiClient,
  type CallArgs,
  type CallInput,
} from '../../shared/api/client';
import { parseApiErrorAnswer } from '../../shared/api/errors';
import {
  routes,
  type HealthResponse as HealthResponseSchema,
  type OperationId,
  type SuccessBody,
} from '../../shared/api/routes';
import { isErrorCode, type BridgeError, type ErrorCode } from '../../shared/domain/errors';
import type { Locale } from '../../shared/domain/locale';
import { HostError } from './host-error';
import { captivePortalError, looksLikeWebPage, networkFailureError, proxyAuthError } from './net/failures';
import { createNodeNetwork } from './net/node-network';
import type { HostFetch, HostNetwork, TlsFailureLookup } from './net/types';

export type HealthResponse = z.infer<typeof HealthResponseSchema>;

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

export type ActionResult = z.infer<typeof api.ActionResult>;

export interface ProvisioningClientOptions {
  baseUrl: string;
  /** Per attempt: how long to wait for the answer to start (the old single timeout; kept as an alias). */
  timeoutMs?: number;
  /** Per attempt: how long to wait for the answer to start. A slow link is fine as long as it answers in this time. */
  responseTimeoutMs?: number;
  /** While the answer arrives: the longest pause between two chunks. A slow answer is not a failure while bytes flow. */
  idleTimeoutMs?: number;
  /** Attempts for retryable calls (GET, and POSTs carrying an Idempotency-Key). */
  attempts?: number;
  /** First backoff delay; doubles each retry, with jitter. */
  backoffMs?: number;
  now?: () => Date;
  /** The host's network seam (Electron: net.fetch; Node: undici with proxy and CA support). */
  fetchImpl?: HostFetch;
  /** After a certificate failure: who signed what the network presented (for the message only). */
  tlsFailure?: TlsFailureLookup;
  sleep?: (ms: number) => Promise<void>;
  /** Called with the drift (device minus server, seconds) whenever it crosses the warning threshold. */
  onClockDrift?: (seconds: number) => void;
  /** Called when an authenticated call learns the session is gone (401): the host wipes the vault. */
  onSessionGone?: () => void;
}

interface CallOptions {
  /** POSTs the backend replays by key: retried like GETs, with the same key on every attempt. */
  idempotencyKey?: string;
  /**
   * A POST that changes state and has no key of its caller's: the client picks one, and keeps it for the very same
   * request (same path, session and body) until a definite answer arrives, so a user's "Try again" after a timeout
   * replays the first outcome instead of acting twice (one session per sign-in, one SMS per send).
   */
  stickyKey?: boolean;
  /** Overrides the default (GET retries; POST only with a key). */
  retry?: boolean;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Above this, TOTP codes start failing (30 s step, ±1 step accepted). */
export const CLOCK_DRIFT_WARN_SECONDS = 30;
/** Offshore links: 3–10 s per round trip, and a proxy in between; one answer may need several round trips. */
export const RESPONSE_TIMEOUT_MS = 60_000;
export const IDLE_TIMEOUT_MS = 30_000;
/** A 409 "still being processed" for our own key: wait for the first request's outcome this many times. */
const IN_PROGRESS_WAITS = 10;

let defaultNetwork: HostNetwork | undefined;
/** Node's network (undici: proxy from the environment, OS + extra CAs) for callers that inject none (CLIs, tests). */
function nodeNetwork(): HostNetwork {
  defaultNetwork ??= createNodeNetwork();
  return defaultNetwork;
}

/**
 * Typed HTTP client for the provisioning backend. All HTTP of the app happens here, in the host, through the injected
 * network seam. TLS is always verified (nothing here switches it off), and the base URL comes only from org
 * configuration.
 */
export class ProvisioningClient {
  private readonly responseTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly now: () => Date;
  private readonly fetchImpl: HostFetch;
  /** The API's typed client (shared/api/client.ts) over the network seam. */
  private readonly api: ApiClient<Response>;
  private readonly tlsFailure: TlsFailureLookup | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Idempotency keys of requests whose outcome is unknown (timeout, dropped connection), by request identity. */
  private readonly unsettled = new Map<string, string>();
  /** Keys the identities with a per-run secret, so no plain hash of a password sits in memory. */
  private readonly identitySecret = randomBytes(32);
  /** Device clock minus server clock, in seconds, from the last response's X-Server-Time. */
  clockDriftSeconds: number | undefined;

  constructor(private readonly options: ProvisioningClientOptions) {
    this.responseTimeoutMs = options.responseTimeoutMs ?? options.timeoutMs ?? RESPONSE_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? Math.max(IDLE_TIMEOUT_MS, this.responseTimeoutMs);
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoffMs = options.backoffMs ?? 300;
    this.now = options.now ?? (() => new Date());
    if (options.fetchImpl) {
      this.fetchImpl = options.fetchImpl;
      this.tlsFailure = options.tlsFailure;
    } else {
      const net = nodeNetwork();
      this.fetchImpl = net.fetch;
      this.tlsFailure = options.tlsFailure ?? net.tlsFailure;
    }
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('backend URL must be http(s)');
    const fetchImpl = this.fetchImpl;
    // All requests go through the network seam; a redirect is never the service (it does not redirect): a captive
    // portal or a proxy's page, so it is not followed.
    this.api = createApiClient<Response>({
      baseUrl: url.origin + url.pathname.replace(/\/+$/, ''),
      fetch: (u, init) => fetchImpl(u, init as RequestInit),
      redirect: 'manual',
    });
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
    return this.call('health', {});
  }

  async getRegistration(token: string): Promise<RegistrationInfo> {
    try {
      return await this.call('getRegistration', { params: { token } });
    } catch (err) {
      if (err instanceof HostError && err.code === 'NOT_FOUND') {
        throw new HostError(
          { ...err.bridgeError, params: { ...err.bridgeError.params, reason: 'link_not_found' } },
          'registration token not found',
        );
      }
      throw err;
    }
  }

  submitRegistration(token: string, body: RegistrationBody, idempotencyKey: string): Promise<RegistrationResult> {
    return this.call('submitRegistration', { params: { token }, body }, { idempotencyKey });
  }

  async signIn(loginId: string, password: string, idempotencyKey?: string): Promise<SignInOutcome> {
    const res = await this.call(
      'signIn',
      { body: { loginId, password } },
      idempotencyKey ? { idempotencyKey } : { stickyKey: true },
    );
    return 'token' in res ? { status: 'signed_in', ...res } : res;
  }

  async submitMfaCode(mfaToken: string, code: string, idempotencyKey?: string): Promise<SignInOutcome> {
    const res = await this.call(
      'submitMfaCode',
      { body: { mfaToken, code } },
      idempotencyKey ? { idempotencyKey } : { stickyKey: true },
    );
    return { status: 'signed_in', ...res };
  }

  async signOut(token: string): Promise<void> {
    await this.call('signOut', { token }, { retry: true });
  }

  /** The language of the account's later emails and SMS (PUT, so safe to retry). */
  async updateMyLocale(token: string, locale: Locale): Promise<void> {
    await this.call('updateMyLocale', { token, body: { locale } }, { retry: true });
  }

  getMe(token: string): Promise<Me> {
    return this.call('getMe', { token });
  }

  startAuthenticator(token: string): Promise<z.infer<typeof api.AuthenticatorEnrolment>> {
    return this.call('startAuthenticator', { token }, { stickyKey: true });
  }

  verifyAuthenticator(token: string, code: string): Promise<ActionResult> {
    return this.call('verifyAuthenticator', { token, body: { code } }, { stickyKey: true });
  }

  sendPhoneCode(token: string, mobile: string): Promise<z.infer<typeof api.PhoneCodeSent>> {
    return this.call('sendPhoneCode', { token, body: { mobile } }, { stickyKey: true });
  }

  /** The newest phone-code SMS's delivery state (polled; a GET, retried like any read). */
  getPhoneCodeDelivery(token: string): Promise<z.infer<typeof api.PhoneCodeDelivery>> {
    return this.call('getPhoneCodeDelivery', { token });
  }

  /** The delivery state of the registration's initial-password SMS, by the reference the registration returned. */
  getInitialPasswordDelivery(ref: string): Promise<z.infer<typeof api.MessageDelivery>> {
    return this.call('getInitialPasswordDelivery', { params: { id: ref } });
  }

  verifyPhoneCode(token: string, code: string): Promise<ActionResult> {
    return this.call('verifyPhoneCode', { token, body: { code } }, { stickyKey: true });
  }

  changePassword(token: string, currentPassword: string, newPassword: string): Promise<ActionResult> {
    return this.call('changePassword', { token, body: { currentPassword, newPassword } }, { stickyKey: true });
  }

  /**
   * The terms documents. Signed in, the backend's per-user list (`getMyTerms`) says which are required for this
   * user (the MDM AUP only when SEED is provisioned); the public `getTerms` is the fallback.
   */
  async getTerms(token?: string): Promise<TermsDoc[]> {
    if (token) {
      try {
        return await this.call('getMyTerms', { token });
      } catch (err) {
        if (!(err instanceof HostError && err.code === 'NOT_FOUND')) throw err;
      }
    }
    return this.call('getTerms', {});
  }

  acceptTerm(token: string, id: TermsDoc['id'], version: string, language?: Locale): Promise<ActionResult> {
    return this.call(
      'acceptTerm',
      { token, body: { id, version, ...(language ? { language } : {}) } },
      { stickyKey: true },
    );
  }

  async startPasswordReset(loginId: string): Promise<void> {
    await this.call('startPasswordReset', { body: { loginId } }, { stickyKey: true });
  }

  async completePasswordReset(loginId: string, code: string, newPassword: string): Promise<void> {
    await this.call('completePasswordReset', { body: { loginId, code, newPassword } }, { stickyKey: true });
  }

  /** The same answer whether or not the username and mobile match an account (no enumeration). */
  resendInitialPassword(loginId: string, mobile: string): Promise<z.infer<typeof api.InitialPasswordResendAccepted>> {
    return this.call('resendInitialPassword', { body: { loginId, mobile } }, { stickyKey: true });
  }

  getMeSeed(token: string): Promise<z.infer<typeof api.MeSeed>> {
    return this.call('getMeSeed', { token });
  }

  getSeedStatus(): Promise<z.infer<typeof api.SeedStatus>> {
    return this.call('getSeedStatus', {});
  }

  /** Checked again by the caller against the bundled baseline's schema (it falls back to the bundled one). */
  async getOsBaseline(): Promise<unknown> {
    return this.call('getOsBaseline', {});
  }

  /** Demo and test backends only (404 elsewhere). */
  getOutbox(): Promise<OutboxMessage[]> {
    return this.call('getOutbox', {});
  }

  // ---------- transport ----------
  private identity(
    id: OperationId,
    input: Partial<CallInput<OperationId>> & { params?: unknown; body?: unknown },
  ): string {
    return createHmac('sha256', this.identitySecret)
      .update(JSON.stringify([id, input.params ?? null, input.token ?? '', input.body ?? null]))
      .digest('base64url');
  }

  private async call<K extends OperationId>(
    id: K,
    input: CallInput<K>,
    opts: CallOptions = {},
  ): Promise<SuccessBody<K>> {
    const identity =
      opts.stickyKey && !opts.idempotencyKey ? this.identity(id, input as CallInput<OperationId>) : undefined;
    let key = opts.idempotencyKey;
    if (identity) {
      key = this.unsettled.get(identity) ?? ProvisioningClient.newIdempotencyKey();
      this.unsettled.set(identity, key);
    }
    const sent: CallOptions = key ? { ...opts, idempotencyKey: key } : opts;
    const answer = await this.exchange(id, { ...input, ...(key ? { idempotencyKey: key } : {}) }, sent);
    // A definite answer from the service (even a refusal): the next identical request is a new one. Without an answer
    // (timeout, dropped connection, server error) the key stays, so trying again replays rather than repeats.
    if (identity) this.unsettled.delete(identity);
    return this.parse(id, answer, input.token !== undefined);
  }

  private async exchange<K extends OperationId>(id: K, input: CallInput<K>, opts: CallOptions): Promise<Answer> {
    const retry = opts.retry ?? (routes[id].method === 'GET' || opts.idempotencyKey !== undefined);
    const attempts = retry ? this.attempts : 1;
    let lastError: HostError | undefined;
    let inProgressWaits = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.backoffMs * 2 ** (attempt - 2) * (0.75 + Math.random() * 0.5));
      let answer: Answer;
      try {
        answer = await this.fetchOnce(id, input);
      } catch (err) {
        if (err instanceof HostError && !err.bridgeError.retryable) throw err;
        lastError =
          err instanceof HostError
            ? err
            : await networkFailureError(err, new URL(this.api.url(id, input)), this.tlsFailure);
        // A timeout already waited the full response time: say so now rather than wait as long again. The user's
        // "Try again" sends the same request (same Idempotency-Key), so nothing is done twice either way.
        if (!lastError.bridgeError.retryable || lastError.code === 'TIMEOUT') throw lastError;
        continue;
      }
      this.readServerTime(answer);
      if (answer.status >= 500 || (answer.status === 429 && attempt < attempts && retryAfter(answer) <= 2)) {
        lastError = this.httpError(answer, input.token !== undefined);
        if (answer.status === 429) await this.sleep(retryAfter(answer) * 1000);
        continue;
      }
      if (
        answer.status === 409 &&
        opts.idempotencyKey &&
        inProgressWaits < IN_PROGRESS_WAITS &&
        this.stillProcessing(answer)
      ) {
        // Our own earlier attempt (a timeout on a slow link) is still running on the server: wait for its outcome
        // rather than act again. Waiting does not use up an attempt.
        inProgressWaits += 1;
        attempt -= 1;
        await this.sleep(Math.max(1, retryAfter(answer)) * 1000);
        continue;
      }
      return answer;
    }
    throw lastError ?? unexpectedAnswer();
  }

  private parse<K extends OperationId>(id: K, answer: Answer, signedIn: boolean): SuccessBody<K> {
    const contentType = answer.headers.get('content-type');
    if (answer.status === 407) throw proxyAuthError();
    if ((answer.status >= 300 && answer.status < 400) || looksLikeWebPage(contentType, answer.text)) {
      throw captivePortalError(answer.status, contentType);
    }
    if (answer.status < 200 || answer.status >= 300) throw this.httpError(answer, signedIn);
    try {
      return parseAnswer(id, answer.status, answer.headers, answer.text).body;
    } catch (err) {
      if (err instanceof UnexpectedAnswerError) throw unexpectedAnswer();
      throw err;
    }
  }

  private stillProcessing(answer: Answer): boolean {
    return parseApiErrorAnswer(answer.text)?.error.code === 'CONFLICT' && answer.headers.get('retry-after') !== null;
  }

  /**
   * One request: the answer must start within the response timeout, and then keep arriving (no pause longer than the
   * idle timeout). Works the same with undici and with Chromium's net.fetch, which has no such knobs of its own.
   */
  private async fetchOnce<K extends OperationId>(id: K, input: CallInput<K>): Promise<Answer> {
    if (this.api.baseUrl.startsWith('https:') && process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
      // Certificate checks switched off for the whole process: refuse rather than send credentials over it.
      throw HostError.of(
        'BACKEND_UNREACHABLE',
        'NODE_TLS_REJECT_UNAUTHORIZED=0 is set: refusing to send credentials without certificate checks',
        { retryable: false, params: { reason: 'tls_verification_off' } },
      );
    }
    const controller = new AbortController();
    let timedOut = false;
    let timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.responseTimeoutMs);
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.idleTimeoutMs);
    };
    try {
      const res = await this.api.send(id, ...([{ ...input, signal: controller.signal }] as CallArgs<K>));
      rearm();
      const chunks: Uint8Array[] = [];
      if (res.body) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (value) chunks.push(value);
          rearm();
        }
      }
      return { status: res.status, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
    } catch (err) {
      if (timedOut)
        throw HostError.of('TIMEOUT', `${id}: no answer within the response or idle timeout`, { retryable: true });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private httpError(answer: Answer, signedIn: boolean): HostError {
    // Not the envelope (a proxy's or a crashed server's page, a cut-off body): the status says what it can.
    const body = parseApiErrorAnswer(answer.text);
    if (answer.status >= 500) {
      return HostError.of('BACKEND_UNREACHABLE', `the service answered HTTP ${answer.status}`, {
        retryable: true,
        params: { status: answer.status },
      });
    }
    const rawCode =
      body?.error.code ?? (answer.status === 401 ? 'UNAUTHORIZED' : answer.status === 404 ? 'NOT_FOUND' : 'UNEXPECTED');
    const code: ErrorCode = isErrorCode(rawCode) ? rawCode : 'UNEXPECTED';
    if (signedIn && answer.status === 401) this.options.onSessionGone?.();
    // The service's English `message` stays behind (it goes to the log as the description): the wizard words the code.
    const error: BridgeError = { code, retryable: code === 'RATE_LIMITED' };
    // Each field's problem passes through as its code and parameters; the service's English wording stays behind.
    if (body?.error.fields) {
      error.fields = Object.fromEntries(
        Object.entries(body.error.fields).map(([field, { code: problemCode, params }]) => [
          field,
          { code: problemCode, ...(params ? { params } : {}) },
        ]),
      );
    }
    const seconds = retryAfter(answer);
    if (seconds > 0) error.params = { retryAfterSeconds: seconds };
    // PASSWORD_POLICY without a field: the new password is the one that failed.
    if (code === 'PASSWORD_POLICY' && !body?.error.fields) error.fields = { newPassword: { code: 'password.policy' } };
    return new HostError(error, `HTTP ${answer.status} ${rawCode.slice(0, 40)}`);
  }

  private readServerTime(answer: Answer): void {
    const header = answer.headers.get('x-server-time');
    if (!header) return;
    const server = Date.parse(header);
    if (Number.isNaN(server)) return;
    this.clockDriftSeconds = Math.round((this.now().getTime() - server) / 1000);
    if (Math.abs(this.clockDriftSeconds) > CLOCK_DRIFT_WARN_SECONDS)
      this.options.onClockDrift?.(this.clockDriftSeconds);
  }
}

function retryAfter(answer: Answer): number {
  const raw = answer.headers.get('retry-after');
  const seconds = raw ? Number(raw) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 0;
}

function unexpectedAnswer(): HostError {
  return HostError.of('UNEXPECTED', 'the service answered something that does not match the route table', {
    retryable: true,
    params: { reason: 'answer_not_understood' },
  });
}
