import type { Certificate, Session } from 'electron';
import { chainEndsAtOrgCa } from '../host/net/org-ca';
import type { HostNetwork, TlsFailureFacts } from '../host/net/types';
import type { OrgConfig } from '../host/org-config';

/** Chromium's ERR_CERT_AUTHORITY_INVALID: the chain is fine except that its root is not trusted here. */
const CERT_AUTHORITY_INVALID = -202;
/** setCertificateVerifyProc answers: accept, or use Chromium's own verdict. */
const ACCEPT = 0;
const CHROMIUM_VERDICT = -3;

/** The partition electron-updater makes its requests in (its NET_SESSION_NAME); it gets the same proxy and trust rules. */
export const UPDATER_PARTITION = 'electron-updater';

interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

function chainOf(cert: Certificate): Certificate[] {
  const chain: Certificate[] = [];
  let c: Certificate | undefined = cert;
  while (c && chain.length < 10 && !chain.some((x) => x.fingerprint === c?.fingerprint)) {
    chain.push(c);
    c = c.issuerCert;
  }
  return chain;
}

/** The proxy setting for Chromium: a PAC file, or fixed servers (loopback always direct). */
export function chromiumProxyConfig(proxy: string): Electron.ProxyConfig {
  const pac = proxy.startsWith('pac+')
    ? proxy.slice(4)
    : /\.(pac|dat)$/i.test(new URL(proxy).pathname)
      ? proxy
      : undefined;
  if (pac) return { mode: 'pac_script', pacScript: pac };
  return { mode: 'fixed_servers', proxyRules: new URL(proxy).origin, proxyBypassRules: '<local>' };
}

/**
 * The host's network in Electron: `fetch` of the app's session, i.e. Chromium's stack (the system proxy or the org's,
 * PAC/WPAD, the OS certificate store, Windows-integrated proxy authentication). Certificate failures are remembered
 * by host name, so the host can name the issuer it saw.
 */
export function electronNetwork(ses: Session, tlsFailures: Map<string, TlsFailureFacts>): HostNetwork {
  return {
    fetch: (input, init) => ses.fetch(String(input), init),
    tlsFailure: async (url) => tlsFailures.get(url.hostname.toLowerCase()),
    describe: () => ({ stack: 'chromium' }),
  };
}

/**
 * Applies the organisation's network settings to a session: its proxy (`session.setProxy`), and its extra CAs.
 * The verifier keeps Chromium's verdict for everything, and overrides it in one case only: Chromium's sole complaint
 * was an unknown authority (an expired, revoked or wrongly-named certificate is never accepted here), and the chain
 * the server presented verifies, by signature, up to one of the organisation's CA certificates for this host name.
 */
export async function applyOrgNetwork(
  ses: Session,
  org: Pick<OrgConfig, 'proxy' | 'extraCaCertificates'>,
  tlsFailures: Map<string, TlsFailureFacts>,
  log: Log,
): Promise<void> {
  if (org.proxy) {
    try {
      await ses.setProxy(chromiumProxyConfig(org.proxy));
      log.info('org proxy applied', {
        mode: org.proxy.startsWith('pac+') || /\.(pac|dat)$/i.test(org.proxy) ? 'pac' : 'fixed',
      });
    } catch (err) {
      log.warn('org proxy could not be applied; using the system proxy settings', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  const orgCas = org.extraCaCertificates ?? [];
  ses.setCertificateVerifyProc((request, callback) => {
    const result = request.verificationResult.replace(/^net::/, '');
    if (result === 'OK') return callback(CHROMIUM_VERDICT);
    const chain = chainOf(request.certificate);
    const onlyAuthority =
      request.errorCode === CERT_AUTHORITY_INVALID || /^(ERR_)?CERT_AUTHORITY_INVALID$/.test(result);
    if (
      onlyAuthority &&
      orgCas.length &&
      chainEndsAtOrgCa(
        chain.map((c) => c.data),
        request.hostname,
        orgCas,
      )
    ) {
      return callback(ACCEPT);
    }
    const top = chain[chain.length - 1] ?? request.certificate;
    tlsFailures.set(request.hostname.toLowerCase(), {
      issuer: top.issuerName || undefined,
      subject: top.subjectName || undefined,
    });
    log.warn('certificate refused', { host: request.hostname, result, issuer: top.issuerName });
    return callback(CHROMIUM_VERDICT);
  });
}
