import { networkInterfaces } from 'node:os';
import type { BridgeErrorParams, BridgeErrorReason } from '../../../shared/domain/errors';
import { HostError } from '../host-error';
import type { TlsFailureLookup } from './types';

/** The kinds of network failure the wizard and the SEED reachability check word differently. */
export type NetworkFailureKind =
  | 'PROXY_AUTH_REQUIRED'
  | 'TLS_INTERCEPTED'
  | 'TLS_UNTRUSTED'
  | 'DNS_NOT_FOUND'
  | 'OFFLINE'
  | 'TIMEOUT'
  | 'PROXY_FAILED'
  | 'REFUSED';

export interface NetworkFailure {
  kind: NetworkFailureKind;
  /** The low-level code seen (ENOTFOUND, UNABLE_TO_VERIFY_LEAF_SIGNATURE, net::ERR_CERT_AUTHORITY_INVALID, …). */
  code?: string;
  /** For TLS_UNTRUSTED: what is wrong with the certificate (the wizard words it). */
  reason?: BridgeErrorReason;
}

const OFFLINE = new Set([
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'ERR_INTERNET_DISCONNECTED',
  'ERR_NETWORK_CHANGED',
  'ERR_ADDRESS_UNREACHABLE',
  'ERR_NETWORK_ACCESS_DENIED',
]);
const DNS = new Set(['ENOTFOUND', 'ERR_NAME_NOT_RESOLVED', 'ERR_NAME_RESOLUTION_FAILED']);
const TIMEOUTS = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ERR_TIMED_OUT',
  'ERR_CONNECTION_TIMED_OUT',
]);
const PROXY_AUTH = new Set([
  'ERR_PROXY_AUTH_REQUESTED',
  'ERR_PROXY_AUTH_UNSUPPORTED',
  'ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION',
  'ERR_INVALID_AUTH_CREDENTIALS',
]);
const PROXY_FAILED = new Set([
  'ERR_PROXY_CONNECTION_FAILED',
  'ERR_TUNNEL_CONNECTION_FAILED',
  'ERR_MANDATORY_PROXY_CONFIGURATION_FAILED',
  'ERR_PROXY_CERTIFICATE_INVALID',
]);
/** The chain does not end at a trusted root: what TLS inspection with an untrusted company root looks like. */
const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'ERR_CERT_AUTHORITY_INVALID',
]);
const TLS_REASONS: Record<string, BridgeErrorReason> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'cert_self_signed',
  CERT_HAS_EXPIRED: 'cert_expired',
  CERT_NOT_YET_VALID: 'cert_not_yet_valid',
  ERR_CERT_DATE_INVALID: 'cert_date_invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'cert_wrong_name',
  ERR_CERT_COMMON_NAME_INVALID: 'cert_wrong_name',
  CERT_REVOKED: 'cert_revoked',
  ERR_CERT_REVOKED: 'cert_revoked',
  ERR_CERT_INVALID: 'cert_malformed',
  ERR_SSL_PROTOCOL_ERROR: 'tls_protocol',
};

/** Every code and message along an error's cause chain (undici wraps the socket's error in `cause`). */
function signals(err: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 6; i++) {
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.message === 'string') {
      messages.push(e.message);
      // Chromium (Electron's net.fetch) reports failures as "net::ERR_…" in the message.
      for (const m of e.message.matchAll(/net::(ERR_[A-Z_]+)/g)) if (m[1]) codes.push(m[1]);
    }
    e = e.cause as typeof e;
  }
  return { codes, messages };
}

/**
 * Whether this computer has any network interface besides loopback. A name that does not resolve on a computer with
 * none is "offline" (Windows reports ENOTFOUND when disconnected), not "the service's name is unknown".
 */
export function hasNetworkInterface(): boolean {
  try {
    return Object.values(networkInterfaces()).some((list) => (list ?? []).some((i) => !i.internal));
  } catch {
    return true;
  }
}

/** What went wrong, from what a fetch (undici or Chromium) threw. */
export function classifyNetworkFailure(err: unknown, deps: { hasNetwork?: () => boolean } = {}): NetworkFailure {
  const { codes, messages } = signals(err);
  // undici: "Proxy response (407) !== 200 when HTTP Tunneling" (CONNECT) and "Proxy Authentication Required (407)"
  // (absolute-form through an http proxy).
  const proxyStatus = messages
    .map((m) => /Proxy response \((\d{3})\)/.exec(m)?.[1] ?? /Proxy Authentication Required \((407)\)/.exec(m)?.[1])
    .find(Boolean);
  if (proxyStatus === '407' || codes.some((c) => PROXY_AUTH.has(c)))
    return { kind: 'PROXY_AUTH_REQUIRED', code: codes[0] ?? '407' };
  const unknownCa = codes.find((c) => UNKNOWN_AUTHORITY.has(c));
  if (unknownCa) return { kind: 'TLS_INTERCEPTED', code: unknownCa };
  const tls = codes.find((c) => TLS_REASONS[c] !== undefined || /^(CERT_|ERR_CERT_|ERR_SSL_)/.test(c));
  if (tls) return { kind: 'TLS_UNTRUSTED', code: tls, reason: TLS_REASONS[tls] ?? 'cert_unverified' };
  const dns = codes.find((c) => DNS.has(c));
  if (dns)
    return (deps.hasNetwork ?? hasNetworkInterface)()
      ? { kind: 'DNS_NOT_FOUND', code: dns }
      : { kind: 'OFFLINE', code: dns };
  const offline = codes.find((c) => OFFLINE.has(c));
  if (offline) return { kind: 'OFFLINE', code: offline };
  const timeout = codes.find((c) => TIMEOUTS.has(c));
  if (timeout) return { kind: 'TIMEOUT', code: timeout };
  if (proxyStatus || codes.some((c) => PROXY_FAILED.has(c)))
    return { kind: 'PROXY_FAILED', code: proxyStatus ?? codes[0] };
  return { kind: 'REFUSED', code: codes[0] };
}

/** The typed host error for a failure, naming the certificate authority the network presented when it is a TLS one. */
export async function networkFailureError(err: unknown, url: URL, lookup?: TlsFailureLookup): Promise<HostError> {
  const failure = classifyNetworkFailure(err);
  const params: BridgeErrorParams = {};
  if (failure.code) params.cause = failure.code;
  const seen = `${failure.kind} (${failure.code ?? 'no code'}) reaching ${url.origin}`;
  switch (failure.kind) {
    case 'PROXY_AUTH_REQUIRED':
      return HostError.of('PROXY_AUTH_REQUIRED', `proxy wants credentials: ${seen}`, { retryable: false, params });
    case 'TLS_INTERCEPTED':
    case 'TLS_UNTRUSTED': {
      const facts = await lookup?.(url).catch(() => undefined);
      if (facts?.issuer) params.issuer = facts.issuer;
      if (failure.kind === 'TLS_UNTRUSTED') params.reason = failure.reason ?? 'cert_unverified';
      return HostError.of(failure.kind, `certificate refused (issuer ${facts?.issuer ?? 'unknown'}): ${seen}`, {
        retryable: false,
        params,
      });
    }
    case 'DNS_NOT_FOUND':
      return HostError.of('DNS_NOT_FOUND', `name does not resolve: ${seen}`, { retryable: true, params });
    case 'OFFLINE':
      return HostError.of('OFFLINE', `no network: ${seen}`, { retryable: true, params });
    case 'TIMEOUT':
      return HostError.of('TIMEOUT', `no answer in time: ${seen}`, { retryable: true, params });
    case 'PROXY_FAILED':
      return HostError.of('BACKEND_UNREACHABLE', `proxy could not connect: ${seen}`, {
        retryable: true,
        params: { ...params, reason: 'proxy_failed' },
      });
    default:
      return HostError.of('BACKEND_UNREACHABLE', `connection failed: ${seen}`, { retryable: true, params });
  }
}

/** A web page where JSON was expected: a captive portal's sign-in page or a proxy's block page. */
export function captivePortalError(status: number, contentType: string | null): HostError {
  const type = contentType ? (contentType.split(';')[0] ?? contentType).trim() : undefined;
  return HostError.of(
    'CAPTIVE_PORTAL',
    `a web page (${type ?? 'no content type'}, HTTP ${status}) answered where JSON was expected`,
    {
      retryable: true,
      params: { status, ...(type && /^[A-Za-z0-9_:./+-]{1,80}$/.test(type) ? { contentType: type } : {}) },
    },
  );
}

export function proxyAuthError(): HostError {
  return HostError.of('PROXY_AUTH_REQUIRED', 'proxy answered 407', { retryable: false, params: { status: 407 } });
}

/** True when the answer is a web page rather than the service's JSON. */
export function looksLikeWebPage(contentType: string | null, text: string): boolean {
  if (contentType && /\btext\/html\b|application\/xhtml/i.test(contentType)) return true;
  return /^\s*<(!doctype|html|head|body)/i.test(text.slice(0, 200));
}
