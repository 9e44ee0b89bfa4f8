import { X509Certificate } from 'node:crypto';

const MAX_CHAIN = 8;

function validAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return parent.ca && child.checkIssued(parent) && child.verify(parent.publicKey);
}

function nameMatches(leaf: X509Certificate, hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(host) || host.includes(':')) return leaf.checkIP(host) !== undefined;
  return leaf.checkHost(host, { subject: 'default' }) !== undefined;
}

/**
 * Electron's certificate verifier, for a chain Chromium refused only because its root is unknown: does the presented
 * chain (leaf first) end, by valid signatures, at one of the organisation's CA certificates, with the leaf valid now
 * and for `hostname`? Every other check Chromium made still stands: this is asked only when its sole complaint was
 * the authority, so an expired, revoked or wrongly-named certificate is never accepted through here.
 */
export function chainEndsAtOrgCa(
  chainPem: readonly string[],
  hostname: string,
  orgCaPem: readonly string[],
  now = new Date(),
): boolean {
  if (!chainPem.length || !orgCaPem.length) return false;
  let chain: X509Certificate[];
  let anchors: X509Certificate[];
  try {
    chain = chainPem.slice(0, MAX_CHAIN).map((p) => new X509Certificate(p));
    anchors = orgCaPem.map((p) => new X509Certificate(p)).filter((c) => c.ca && validAt(c, now));
  } catch {
    return false;
  }
  const leaf = chain[0];
  if (!leaf || !validAt(leaf, now) || !nameMatches(leaf, hostname)) return false;
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i] as X509Certificate;
    if (!validAt(cert, now)) return false;
    if (anchors.some((a) => a.fingerprint256 === cert.fingerprint256 && i > 0)) return true;
    if (anchors.some((a) => issuedBy(cert, a))) return true;
    const next = chain[i + 1];
    if (!next || !issuedBy(cert, next)) return false;
  }
  return false;
}
