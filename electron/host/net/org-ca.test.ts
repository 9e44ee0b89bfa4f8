import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeThrowawayCa, type ThrowawayCa } from '../test-support/throwaway-ca';
import { chainEndsAtOrgCa } from './org-ca';
import { buildTrustStore, splitPem } from './trust-store';

let ca: ThrowawayCa;
beforeAll(async () => {
  ca = await makeThrowawayCa(['techpass.test']);
}, 30_000);
afterAll(() => ca?.cleanup());

describe('Electron verifier: a chain Chromium refused only for its unknown root', () => {
  it('is accepted when it ends, by valid signatures, at an org CA, for the right name', () => {
    expect(chainEndsAtOrgCa([ca.certPem], 'techpass.test', [ca.caPem])).toBe(true);
    expect(chainEndsAtOrgCa(ca.chainPem, 'techpass.test', [ca.caPem])).toBe(true);
  });

  it('is refused for another name, another CA, no org CA, or outside the validity period', () => {
    expect(chainEndsAtOrgCa([ca.certPem], 'evil.example', [ca.caPem])).toBe(false);
    expect(chainEndsAtOrgCa([ca.certPem], 'techpass.test', [ca.otherCaPem])).toBe(false);
    expect(chainEndsAtOrgCa([ca.certPem], 'techpass.test', [])).toBe(false);
    expect(chainEndsAtOrgCa([ca.certPem], 'techpass.test', [ca.caPem], new Date(Date.now() + 30 * 86_400_000))).toBe(
      false,
    );
    // The org CA presented as the "leaf" is not a server certificate for the name.
    expect(chainEndsAtOrgCa([ca.caPem], 'techpass.test', [ca.caPem])).toBe(false);
    // A chain whose "issuer" did not sign the leaf.
    expect(chainEndsAtOrgCa([ca.certPem, ca.otherCaPem], 'techpass.test', [ca.otherCaPem])).toBe(false);
    expect(chainEndsAtOrgCa(['not a certificate'], 'techpass.test', [ca.caPem])).toBe(false);
  });
});

describe('Node trust store', () => {
  it('Node roots + OS roots + NODE_EXTRA_CA_CERTS + org CAs, each once', () => {
    const files: Record<string, string> = {
      '/etc/ssl/certs/ca-certificates.crt': ca.otherCaPem,
      '/tmp/extra.pem': ca.caPem,
    };
    const store = buildTrustStore([ca.caPem], {
      platform: 'linux',
      env: { NODE_EXTRA_CA_CERTS: '/tmp/extra.pem' },
      readFile: (p) => {
        const f = files[p];
        if (f === undefined) throw new Error('ENOENT');
        return f;
      },
      systemCertificates: () => undefined,
    });
    expect(store.systemSource).toBe('/etc/ssl/certs/ca-certificates.crt');
    expect(store.counts).toMatchObject({ system: 1, nodeExtra: 1, org: 1 });
    const flat = store.ca.map((p) => p.replace(/\s+/g, ''));
    expect(flat).toContain(ca.otherCaPem.replace(/\s+/g, ''));
    expect(flat.filter((p) => p === ca.caPem.replace(/\s+/g, ''))).toHaveLength(1);
  });

  it("prefers Node's own view of the OS store where it has one (Node 22.15+)", () => {
    const store = buildTrustStore([], { platform: 'darwin', env: {}, systemCertificates: () => [ca.caPem] });
    expect(store.systemSource).toMatch(/getCACertificates/);
    expect(store.counts.system).toBe(1);
  });

  it('splits PEM bundles', () => {
    expect(splitPem(`${ca.caPem}\n${ca.otherCaPem}`)).toHaveLength(2);
  });
});
