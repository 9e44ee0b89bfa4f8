import { request as httpRequest } from 'node:http';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { buildTrustStore, principal, type TrustStoreDeps } from './trust-store';
import type { HostFetch, HostNetwork, TlsFailureFacts } from './types';

/** Sized for offshore links (3–10 s round trips): TCP + proxy CONNECT + TLS can take three round trips. */
export const CONNECT_TIMEOUT_MS = 45_000;
const PROBE_TIMEOUT_MS = 15_000;
/** Loopback never goes through an organisation's proxy. */
const ALWAYS_DIRECT = ['localhost', '127.0.0.1', '::1'];

export interface NodeNetworkOptions {
  /** The organisation's proxy (http(s) URL). A PAC URL cannot be evaluated in Node: it is reported and the environment's proxy is used. */
  proxy?: string;
  /** The organisation's extra CA certificates (PEM), trusted beside the OS roots. */
  extraCaCertificates?: readonly string[];
  env?: Record<string, string | undefined>;
  connectTimeoutMs?: number;
  trustStore?: TrustStoreDeps;
  log?: { warn(message: string, fields?: Record<string, unknown>): void };
}

export function isPacUrl(proxy: string): boolean {
  if (proxy.startsWith('pac+')) return true;
  try {
    return /\.(pac|dat)$/i.test(new URL(proxy).pathname);
  } catch {
    return false;
  }
}

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  return env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? undefined;
}

/** NO_PROXY matching as undici does it (exact host, or a domain suffix; `*` = everything). */
function bypassed(hostname: string, noProxy: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (!entry) continue;
    if (entry === '*') return true;
    const bare = entry.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/**
 * Node's network for the web host and the CLIs: undici with `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (or the
 * organisation's proxy), Node's roots + the OS roots + `NODE_EXTRA_CA_CERTS` + the organisation's CAs, a connect
 * timeout sized for slow links, and a TLS look-up that names the certificate authority the network presented.
 * The target's name is never resolved here when a proxy is used: the proxy resolves it (CONNECT / absolute-form).
 */
export function createNodeNetwork(
  options: NodeNetworkOptions = {},
): HostNetwork & { proxyFor(url: URL): string | undefined; close(): Promise<void> } {
  const env = options.env ?? process.env;
  const trust = buildTrustStore(options.extraCaCertificates ?? [], { env, ...options.trustStore });
  const connectTimeout = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  let orgProxy = options.proxy;
  if (orgProxy && isPacUrl(orgProxy)) {
    options.log?.warn(
      'org proxy is a PAC file, which only the desktop app (Chromium) evaluates; using the environment proxy settings',
      {},
    );
    orgProxy = undefined;
  }
  const noProxy = [envValue(env, 'no_proxy') ?? '', ...(orgProxy ? ALWAYS_DIRECT : [])].filter(Boolean).join(',');
  const httpProxy = orgProxy ?? envValue(env, 'http_proxy');
  const httpsProxy = orgProxy ?? envValue(env, 'https_proxy') ?? httpProxy;
  // One secure context for every connection: handing `ca` to each connection would parse the few hundred roots again
  // every time.
  const tlsOptions = { secureContext: tls.createSecureContext({ ca: trust.ca }), timeout: connectTimeout };
  const dispatcher = new EnvHttpProxyAgent({
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    noProxy,
    connect: tlsOptions,
    requestTls: tlsOptions,
    proxyTls: tlsOptions,
    // Plain-http targets go to an http proxy in absolute form (what proxies expect), https ones through CONNECT.
    proxyTunnel: false,
    // The provisioning client keeps its own response and idle timers (the same for Electron's net.fetch); these are
    // only a backstop against a connection that never ends.
    headersTimeout: 300_000,
    bodyTimeout: 300_000,
    // Reuse connections (and proxy tunnels) between the wizard's calls: a new one costs 2–3 round trips.
    keepAliveTimeout: 30_000,
  });

  const proxyFor = (url: URL): string | undefined => {
    if (noProxy && bypassed(url.hostname, noProxy)) return undefined;
    return url.protocol === 'https:' ? httpsProxy : httpProxy;
  };

  const fetch: HostFetch = (input, init) =>
    undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;

  return {
    fetch,
    tlsFailure: (url) => presentedIssuer(url, proxyFor(url)),
    proxyFor,
    describe: () => ({
      proxy: orgProxy ? 'organisation' : httpsProxy || httpProxy ? 'environment' : 'none',
      systemCaSource: trust.systemSource,
      systemCaCount: trust.counts.system,
      orgCaCount: trust.counts.org,
      nodeExtraCaCount: trust.counts.nodeExtra,
    }),
    close: () => dispatcher.close(),
  };
}

/**
 * After a certificate failure: who signed what this network presented for `url`? Opens one TLS connection (through the
 * same proxy) only to read the peer's chain and closes it at once; nothing is sent over it, so accepting the unverified
 * chain here cannot leak anything. The answer only names the issuer in the error message; it never decides trust.
 */
export async function presentedIssuer(url: URL, proxy: string | undefined): Promise<TlsFailureFacts | undefined> {
  if (url.protocol !== 'https:') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  try {
    const socket = proxy ? await tunnel(new URL(proxy), host, port) : undefined;
    return await new Promise<TlsFailureFacts | undefined>((resolve) => {
      const conn = tls.connect({
        ...(socket ? { socket } : { host, port }),
        servername: isIP(host) ? undefined : host,
        rejectUnauthorized: false,
        timeout: PROBE_TIMEOUT_MS,
      } as tls.ConnectionOptions);
      const done = (facts: TlsFailureFacts | undefined) => {
        conn.destroy();
        resolve(facts);
      };
      conn.once('secureConnect', () => {
        let cert = conn.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
        // The top-most certificate presented: with TLS inspection, the inspection product's CA.
        for (
          let i = 0;
          cert && i < 10 && cert.issuerCertificate && cert.issuerCertificate !== cert && cert.issuerCertificate.raw;
          i++
        ) {
          cert = cert.issuerCertificate;
        }
        if (!cert || !cert.raw) return done(undefined);
        done({ issuer: principal(flatten(cert.issuer)), subject: principal(flatten(cert.subject)) });
      });
      conn.once('timeout', () => done(undefined));
      conn.once('error', () => done(undefined));
    });
  } catch {
    return undefined;
  }
}

function flatten(p: tls.Certificate | undefined): string | undefined {
  if (!p) return undefined;
  return Object.entries(p)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join('\n');
}

function tunnel(proxy: URL, host: string, port: number): Promise<import('node:net').Socket> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: proxy.hostname,
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
      headers: { host: `${host}:${port}` },
      timeout: PROBE_TIMEOUT_MS,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`proxy answered ${res.statusCode}`));
      }
    });
    req.once('timeout', () => req.destroy(new Error('proxy timeout')));
    req.once('error', reject);
    req.end();
  });
}
