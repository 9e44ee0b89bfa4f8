import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

/** Where Linux distributions keep the OS trust store as one PEM bundle (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine). */
export const LINUX_CA_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
] as const;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function splitPem(text: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => m[0]);
}

export interface TrustStoreDeps {
  platform?: string;
  env?: Record<string, string | undefined>;
  readFile?: (path: string) => string;
  /** Node 22.15+/23.5+: `tls.getCACertificates('system')`; absent on Node 20. */
  systemCertificates?: () => string[] | undefined;
}

export interface TrustStore {
  /** Every CA certificate (PEM) to verify servers against. */
  ca: string[];
  /** Where the OS part came from, for the host log and the IT guide. */
  systemSource: string;
  counts: { bundled: number; system: number; nodeExtra: number; org: number };
}

function nodeSystemCertificates(): string[] | undefined {
  const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') return undefined;
  try {
    return get('system');
  } catch {
    return undefined;
  }
}

/**
 * The certificate authorities Node should trust: Node's bundled roots, the operating system's roots (where Node can
 * read them), `NODE_EXTRA_CA_CERTS`, and the organisation's `extraCaCertificates`.
 *
 * Passing `ca` to a TLS connection replaces Node's default list (which already holds `NODE_EXTRA_CA_CERTS`), so every
 * part is listed here explicitly. OS roots: Node 22.15+ exposes them (`tls.getCACertificates('system')`, also behind
 * `--use-system-ca`); on Node 20 only the Linux bundle files are readable, so Windows and macOS stores are reached
 * only through Electron (Chromium verifies with the OS there).
 */
export function buildTrustStore(extraPems: readonly string[], deps: TrustStoreDeps = {}): TrustStore {
  const platform = deps.platform ?? process.platform;
  const env = deps.env ?? process.env;
  const read = deps.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const bundled = [...tls.rootCertificates];
  let system: string[] = [];
  let systemSource = 'none';
  const fromNode = (deps.systemCertificates ?? nodeSystemCertificates)();
  if (fromNode && fromNode.length) {
    system = fromNode;
    systemSource = 'node:tls.getCACertificates(system)';
  } else if (platform === 'linux') {
    for (const path of LINUX_CA_BUNDLES) {
      try {
        system = splitPem(read(path));
      } catch {
        continue;
      }
      if (system.length) {
        systemSource = path;
        break;
      }
    }
  }
  let nodeExtra: string[] = [];
  if (env.NODE_EXTRA_CA_CERTS) {
    try {
      nodeExtra = splitPem(read(env.NODE_EXTRA_CA_CERTS));
    } catch {
      nodeExtra = []; // Node itself warns about an unreadable file at start-up
    }
  }
  const seen = new Set<string>();
  const ca: string[] = [];
  for (const pem of [...bundled, ...system, ...nodeExtra, ...extraPems]) {
    const key = pem.replace(/\s+/g, '');
    if (seen.has(key)) continue;
    seen.add(key);
    ca.push(pem);
  }
  return {
    ca,
    systemSource,
    counts: { bundled: bundled.length, system: system.length, nodeExtra: nodeExtra.length, org: extraPems.length },
  };
}

/** "CN=…, O=…" of a certificate's issuer or subject, as Node prints them ("CN=x\nO=y"). */
export function principal(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const parts = raw
    .split(/\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const pick = parts.filter((p) => /^(CN|O|OU)=/.test(p));
  return (pick.length ? pick : parts).join(', ') || undefined;
}

/** Parses a PEM certificate, or undefined when it is not one. */
export function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}
