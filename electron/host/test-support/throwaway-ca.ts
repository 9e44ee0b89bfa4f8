/**
 * Test support: a throw-away certificate authority and a server certificate it signed, made with the system's
 * `openssl` (execFile, argument arrays) in a temp folder. Stands for a network's TLS inspection root, or an
 * organisation's private CA, in the proxy and TLS tests.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ThrowawayCa {
  dir: string;
  /** CA certificate (PEM) and its file (for NODE_EXTRA_CA_CERTS). */
  caPem: string;
  caFile: string;
  /** The CA's subject, as the host names it in messages. */
  caName: string;
  /** A server certificate for `names`, signed by the CA, and its key (PEM). */
  certPem: string;
  keyPem: string;
  /** The server certificate followed by the CA (what a server sends when it includes its chain). */
  chainPem: string[];
  /** A second, unrelated self-signed CA (for "not our CA" cases). */
  otherCaPem: string;
  cleanup(): void;
}

export const TEST_CA_CN = 'TechPass Test Inspection CA';
export const TEST_CA_O = 'Throwaway Test Org';

export async function makeThrowawayCa(
  names: readonly string[] = ['techpass.test', 'localhost', '127.0.0.1'],
): Promise<ThrowawayCa> {
  const dir = mkdtempSync(join(tmpdir(), 'techpass-ca-'));
  const f = (n: string) => join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
    '-days',
    '3',
    '-subj',
    `/CN=${TEST_CA_CN}/O=${TEST_CA_O}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', [
    'req',
    ...ec,
    '-keyout',
    f('leaf.key'),
    '-out',
    f('leaf.csr'),
    '-subj',
    `/CN=${names[0] ?? 'localhost'}`,
  ]);
  const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  writeFileSync(
    f('leaf.ext'),
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    f('leaf.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('leaf.crt'),
    '-days',
    '2',
    '-extfile',
    f('leaf.ext'),
  ]);
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('other.key'),
    '-out',
    f('other.crt'),
    '-days',
    '3',
    '-subj',
    '/CN=Unrelated Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
  ]);
  const caPem = readFileSync(f('ca.crt'), 'utf8');
  const certPem = readFileSync(f('leaf.crt'), 'utf8');
  return {
    dir,
    caPem,
    caFile: f('ca.crt'),
    caName: `CN=${TEST_CA_CN}, O=${TEST_CA_O}`,
    certPem,
    keyPem: readFileSync(f('leaf.key'), 'utf8'),
    chainPem: [certPem, caPem],
    otherCaPem: readFileSync(f('other.crt'), 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
