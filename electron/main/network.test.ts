import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Certificate, Session } from 'electron';
import { makeThrowawayCa, type ThrowawayCa } from '../host/test-support/throwaway-ca';
import { applyOrgNetwork, chromiumProxyConfig, electronNetwork } from './network';

let ca: ThrowawayCa;
beforeAll(async () => {
  ca = await makeThrowawayCa(['techpass.test']);
}, 30_000);
afterAll(() => ca?.cleanup());

const log = { info: vi.fn(), warn: vi.fn() };

function fakeSession() {
  let proc: ((req: unknown, cb: (n: number) => void) => void) | undefined;
  const ses = {
    setProxy: vi.fn(async () => undefined),
    setCertificateVerifyProc: vi.fn((p: typeof proc) => void (proc = p)),
    fetch: vi.fn(async () => new Response('{}')),
  };
  const verify = (req: Record<string, unknown>) =>
    new Promise<number>((resolve) =>
      proc?.({ isIssuedByKnownRoot: false, validatedCertificate: req.certificate, ...req }, resolve),
    );
  return { ses, session: ses as unknown as Session, verify };
}

const cert = (data: string, issuerName: string, issuer?: Certificate): Certificate =>
  ({
    data,
    issuerName,
    subjectName: 'x',
    fingerprint: data.slice(40, 80),
    issuerCert: issuer,
  }) as unknown as Certificate;

describe('Electron network: org proxy and CAs on the session', () => {
  it('proxy URL → fixed servers (loopback direct); PAC URL → pac_script', () => {
    expect(chromiumProxyConfig('http://proxy.corp:8080')).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'http://proxy.corp:8080',
      proxyBypassRules: '<local>',
    });
    expect(chromiumProxyConfig('https://wpad.corp/proxy.pac')).toEqual({
      mode: 'pac_script',
      pacScript: 'https://wpad.corp/proxy.pac',
    });
    expect(chromiumProxyConfig('pac+http://wpad/wpad')).toEqual({ mode: 'pac_script', pacScript: 'http://wpad/wpad' });
  });

  it('setProxy only when the org sets a proxy', async () => {
    const a = fakeSession();
    await applyOrgNetwork(a.session, {}, new Map(), log);
    expect(a.ses.setProxy).not.toHaveBeenCalled();
    const b = fakeSession();
    await applyOrgNetwork(b.session, { proxy: 'http://proxy.corp:8080' }, new Map(), log);
    expect(b.ses.setProxy).toHaveBeenCalledWith(expect.objectContaining({ mode: 'fixed_servers' }));
  });

  it("keeps Chromium's verdict except an unknown authority whose chain ends at an org CA; remembers the issuer refused", async () => {
    const failures = new Map();
    const { session, verify } = fakeSession();
    await applyOrgNetwork(session, { extraCaCertificates: [ca.caPem] }, failures, log);
    const leaf = cert(ca.certPem, 'TechPass Test Inspection CA');
    const CHROMIUM = -3;
    expect(
      await verify({ hostname: 'techpass.test', certificate: leaf, verificationResult: 'net::OK', errorCode: 0 }),
    ).toBe(CHROMIUM);
    expect(
      await verify({
        hostname: 'techpass.test',
        certificate: leaf,
        verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
        errorCode: -202,
      }),
    ).toBe(0);
    // Any other complaint stays Chromium's, even for a chain of the org's CA.
    expect(
      await verify({
        hostname: 'techpass.test',
        certificate: leaf,
        verificationResult: 'net::ERR_CERT_DATE_INVALID',
        errorCode: -201,
      }),
    ).toBe(CHROMIUM);
    expect(
      await verify({
        hostname: 'other.test',
        certificate: leaf,
        verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
        errorCode: -202,
      }),
    ).toBe(CHROMIUM);
    const foreign = cert(ca.otherCaPem, 'Unrelated Test CA');
    expect(
      await verify({
        hostname: 'techpass.test',
        certificate: foreign,
        verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
        errorCode: -202,
      }),
    ).toBe(CHROMIUM);
    expect(failures.get('techpass.test')).toMatchObject({ issuer: 'Unrelated Test CA' });
    const network = electronNetwork(session, failures);
    await expect(network.tlsFailure?.(new URL('https://techpass.test/'))).resolves.toMatchObject({
      issuer: 'Unrelated Test CA',
    });
  });

  it('without org CAs an unknown authority stays refused', async () => {
    const { session, verify } = fakeSession();
    await applyOrgNetwork(session, {}, new Map(), log);
    const leaf = cert(ca.certPem, 'TechPass Test Inspection CA');
    expect(
      await verify({
        hostname: 'techpass.test',
        certificate: leaf,
        verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
        errorCode: -202,
      }),
    ).toBe(-3);
  });

  it("the host's fetch is the session's", async () => {
    const { ses, session } = fakeSession();
    await electronNetwork(session, new Map()).fetch(new URL('https://techpass.test/healthz'), { method: 'GET' });
    expect(ses.fetch).toHaveBeenCalledWith('https://techpass.test/healthz', { method: 'GET' });
  });
});
