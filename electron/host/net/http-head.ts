import { classifyNetworkFailure, looksLikeWebPage } from './failures';
import type { HostNetwork } from './types';

export type HeadResult = { ok: boolean; status?: number; error?: string };

/**
 * The SEED reachability check's probe, through the same network seam as the provisioning client, so it meets the same
 * proxy and trust store and names the same causes (proxy authentication, TLS inspection with the issuer seen, DNS,
 * captive portal, offline, too slow). Any HTTP answer from an endpoint counts as reachable, except a proxy's 407.
 * For the TechPass backend (`jsonUrls`) the check asks `/healthz` and expects JSON, so a portal page is caught too.
 */
export function createHttpHead(network: HostNetwork, options: { jsonUrls?: readonly string[] } = {}) {
  const jsonOrigins = new Set((options.jsonUrls ?? []).map((u) => new URL(u).origin));
  return async (url: string, timeoutMs: number): Promise<HeadResult> => {
    const target = new URL(url);
    const wantsJson = jsonOrigins.has(target.origin);
    const probeUrl = wantsJson ? new URL('/healthz', target) : target;
    try {
      const res = await network.fetch(probeUrl, {
        method: wantsJson ? 'GET' : 'HEAD',
        redirect: 'manual',
        headers: wantsJson ? { accept: 'application/json' } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status === 407)
        return { ok: false, status: 407, error: "the network's proxy asks for a user name and password (HTTP 407)" };
      if (wantsJson) {
        const text = res.status >= 300 && res.status < 400 ? '' : await res.text();
        if ((res.status >= 300 && res.status < 400) || looksLikeWebPage(res.headers.get('content-type'), text)) {
          return {
            ok: false,
            status: res.status,
            error: 'a web page answered instead of the service (a captive portal or a proxy block page)',
          };
        }
      } else {
        await res.body?.cancel().catch(() => undefined);
      }
      return { ok: true, status: res.status };
    } catch (err) {
      return { ok: false, error: await describeFailure(err, target, network, timeoutMs) };
    }
  };
}

async function describeFailure(err: unknown, url: URL, network: HostNetwork, timeoutMs: number): Promise<string> {
  if ((err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError')
    return `no answer within ${timeoutMs} ms (slow link)`;
  const f = classifyNetworkFailure(err);
  const code = f.code ? ` (${f.code})` : '';
  switch (f.kind) {
    case 'PROXY_AUTH_REQUIRED':
      return `the network's proxy asks for a user name and password${code}`;
    case 'TLS_INTERCEPTED':
    case 'TLS_UNTRUSTED': {
      const facts = await network.tlsFailure?.(url).catch(() => undefined);
      const who = facts?.issuer ? ` issued by "${facts.issuer}"` : '';
      return f.kind === 'TLS_INTERCEPTED'
        ? `certificate${who} is not trusted by this computer (TLS inspection?): ask IT to trust it or to set extraCaCertificates${code}`
        : `certificate${who} is not valid: ${(f.reason ?? 'cert_unverified').replace(/_/g, ' ')}${code}`;
    }
    case 'DNS_NOT_FOUND':
      return `name not found (DNS)${code}`;
    case 'OFFLINE':
      return `no network${code}`;
    case 'TIMEOUT':
      return `too slow: no answer in time${code}`;
    case 'PROXY_FAILED':
      return `the network's proxy could not connect${code}`;
    default:
      return `cannot connect${code || ` (${(err as Error)?.message ?? String(err)})`}`;
  }
}
