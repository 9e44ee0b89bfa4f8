import { lookup } from 'node:dns/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyState } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import type { Host } from '../host-services';
import { ProvisioningClient } from '../provisioning-client';
import { startBackendProcess, type BackendProcess } from '../test-support/backend-process';
import {
  startForwardingProxy,
  startTlsFront,
  type ForwardingProxy,
  type TlsFront,
} from '../test-support/forwarding-proxy';
import { testHost } from '../test-support/test-host';
import { makeThrowawayCa, type ThrowawayCa } from '../test-support/throwaway-ca';
import { Vault } from '../vault';
import { createHttpHead } from './http-head';
import { createNodeNetwork } from './node-network';
import { memorySecretStore } from '../test-support/suite';

/**
 * The host on the networks our users sit on, against the REAL backend: a forwarding proxy of the test's own (CONNECT
 * and absolute-form), where `techpass.test` resolves only through the proxy; TLS in front of the backend signed by a
 * throw-away CA (the network's inspection root); a proxy that wants authentication; a web page where JSON belongs.
 */

const NAME = 'techpass.test';
let backend: BackendProcess;
let ca: ThrowawayCa;
let front: TlsFront;
let portal: TlsFront;
let proxy: ForwardingProxy;
const dirs: string[] = [];
beforeAll(async () => {
  [backend, ca] = await Promise.all([startBackendProcess(), makeThrowawayCa([NAME, 'portal.test'])]);
  front = await startTlsFront({ target: backend.url, certPem: ca.certPem, keyPem: ca.keyPem });
  portal = await startTlsFront({
    certPem: ca.certPem,
    keyPem: ca.keyPem,
    page: '<!doctype html><title>Guest Wi-Fi: accept the terms</title>',
  });
  const backendPort = Number(new URL(backend.url).port);
  proxy = await startForwardingProxy({
    hosts: {
      [NAME]: { host: '127.0.0.1', port: front.port },
      'plain.techpass.test': { host: '127.0.0.1', port: backendPort },
      'portal.test': { host: '127.0.0.1', port: portal.port },
    },
  });
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await front?.close();
  await portal?.close();
  await backend?.stop();
  ca?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const httpsUrl = () => `https://${NAME}:${front.port}`;
const envWithProxy = (extra: Record<string, string> = {}) => ({
  HTTPS_PROXY: proxy.url,
  HTTP_PROXY: proxy.url,
  ...extra,
});

async function ok<T>(host: Host, method: string, payload: unknown = {}): Promise<T> {
  const env = await dispatch(host.handlers, method, payload);
  if (!env.ok) throw new Error(`${method} failed: ${env.error.code}`);
  return env.result as T;
}

function memoryVault(): Vault {
  return new Vault(memorySecretStore(), 'linux');
}

describe('through a forwarding proxy, with TLS inspection by a throw-away CA', () => {
  it('the test name really resolves only through the proxy', async () => {
    await expect(lookup(NAME)).rejects.toMatchObject({ code: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
  });

  it('plain http goes to the proxy in absolute form', async () => {
    const network = createNodeNetwork({ env: envWithProxy() });
    const client = new ProvisioningClient({ baseUrl: `http://plain.techpass.test`, fetchImpl: network.fetch });
    await expect(client.health()).resolves.toMatchObject({ mode: 'test' });
    expect(proxy.absolute).toContain('http://plain.techpass.test/healthz');
    await network.close();
  });

  it('with NODE_EXTRA_CA_CERTS the whole journey works through CONNECT (registration → sign-in → authenticator → phone)', async () => {
    const network = createNodeNetwork({ env: envWithProxy({ NODE_EXTRA_CA_CERTS: ca.caFile }) });
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-net-journey-'));
    dirs.push(dataDir);
    const connectsBefore = proxy.connects.length;
    const host = testHost(httpsUrl(), dataDir, { network, vault: memoryVault() });
    expect(await ok(host, 'getBackendStatus')).toMatchObject({ reachable: true, mode: 'test' });
    const { token } = await backend.invite();
    await ok(host, 'openInvitation', { link: token });
    const username = `net${Date.now().toString(36)}`;
    const password = 'Amber-Willow-58-Cactus';
    const registered = await ok<JourneyState>(host, 'submitRegistration', {
      username,
      firstName: 'Ana',
      lastName: 'Lim',
      mobile: '+6591234567',
      department: 'Ops',
      password,
    });
    expect(registered.step).toBe('account-created');
    const signedIn = await ok<{ status: string; journey: JourneyState }>(host, 'signIn', {
      loginId: `${username}@techpass.gov.sg`,
      password,
    });
    expect(signedIn.journey.step).toBe('authenticator');
    const enrolment = await ok<{ secret: string }>(host, 'startAuthenticatorEnrolment');
    const afterTotp = await ok<JourneyState>(host, 'verifyAuthenticator', {
      code: generateSync({ secret: enrolment.secret }),
    });
    expect(afterTotp.step).toBe('phone');
    await ok(host, 'sendPhoneCode', { mobile: '+6591234567' });
    const sms = (await backend.outbox()).filter((m) => m.template === 'N-PHONE-CODE' && m.to === '+6591234567').pop();
    expect(sms).toBeDefined();
    await ok(host, 'verifyPhoneCode', { code: String(sms?.data.code) });
    expect(proxy.connects.slice(connectsBefore).every((c) => c === `${NAME}:${front.port}`)).toBe(true);
    expect(proxy.connects.length).toBeGreaterThan(connectsBefore);
    await network.close();
  });

  it('with the CA in the org configuration (extraCaCertificates) instead, it works too', async () => {
    const network = createNodeNetwork({ env: envWithProxy(), extraCaCertificates: [ca.caPem] });
    const client = new ProvisioningClient({
      baseUrl: httpsUrl(),
      fetchImpl: network.fetch,
      tlsFailure: network.tlsFailure,
    });
    await expect(client.health()).resolves.toMatchObject({ mode: 'test' });
    await network.close();
  });

  it('with the org proxy from configuration (no environment), it works too', async () => {
    const network = createNodeNetwork({ env: {}, proxy: proxy.url, extraCaCertificates: [ca.caPem] });
    const client = new ProvisioningClient({ baseUrl: httpsUrl(), fetchImpl: network.fetch });
    await expect(client.health()).resolves.toMatchObject({ mode: 'test' });
    await network.close();
  });

  it('without the CA: TLS_INTERCEPTED, not retried, naming the issuer the network presented', async () => {
    const network = createNodeNetwork({ env: envWithProxy() });
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-net-tls-'));
    dirs.push(dataDir);
    const host = testHost(httpsUrl(), dataDir, { network, vault: memoryVault() });
    const status = await ok<{
      reachable: boolean;
      error?: { code: string; retryable?: boolean; params?: Record<string, unknown> };
    }>(host, 'getBackendStatus');
    expect(status.reachable).toBe(false);
    // The issuer is a fact the wizard words ("Certificate issued by: …"); no sentence crosses.
    expect(status.error).toEqual({
      code: 'TLS_INTERCEPTED',
      retryable: false,
      params: { issuer: ca.caName, cause: expect.any(String) },
    });
    // The SEED reachability check says the same.
    const head = await createHttpHead(network, { jsonUrls: [httpsUrl()] })(httpsUrl(), 10_000);
    expect(head).toMatchObject({ ok: false });
    expect(head.error).toContain(ca.caName);
    await network.close();
  });

  it('an unrelated org CA does not make the inspected chain trusted', async () => {
    const network = createNodeNetwork({ env: envWithProxy(), extraCaCertificates: [ca.otherCaPem] });
    const client = new ProvisioningClient({
      baseUrl: httpsUrl(),
      fetchImpl: network.fetch,
      tlsFailure: network.tlsFailure,
    });
    await expect(client.health()).rejects.toMatchObject({ code: 'TLS_INTERCEPTED' });
    await network.close();
  });

  it('a web page where JSON belongs (portal or block page behind a trusted inspection CA): CAPTIVE_PORTAL', async () => {
    const network = createNodeNetwork({ env: envWithProxy(), extraCaCertificates: [ca.caPem] });
    const client = new ProvisioningClient({ baseUrl: `https://portal.test:${portal.port}`, fetchImpl: network.fetch });
    await expect(client.health()).rejects.toMatchObject({
      code: 'CAPTIVE_PORTAL',
      bridgeError: { params: { contentType: 'text/html' } },
    });
    const head = await createHttpHead(network, { jsonUrls: [`https://portal.test:${portal.port}`] })(
      `https://portal.test:${portal.port}`,
      10_000,
    );
    expect(head).toMatchObject({ ok: false, error: expect.stringMatching(/web page/) });
    await network.close();
  });
});

describe('a proxy that wants authentication', () => {
  it('407 on CONNECT and on absolute-form requests: PROXY_AUTH_REQUIRED with what to do, never retried', async () => {
    const authProxy = await startForwardingProxy({
      hosts: {
        [NAME]: { host: '127.0.0.1', port: front.port },
        'plain.techpass.test': { host: '127.0.0.1', port: Number(new URL(backend.url).port) },
      },
      requireAuth: { user: 'corp', password: 'secret' },
    });
    try {
      const env = { HTTPS_PROXY: authProxy.url, HTTP_PROXY: authProxy.url, NODE_EXTRA_CA_CERTS: ca.caFile };
      const network = createNodeNetwork({ env });
      const tls = new ProvisioningClient({
        baseUrl: httpsUrl(),
        fetchImpl: network.fetch,
        sleep: async () => undefined,
      });
      await expect(tls.health()).rejects.toMatchObject({
        code: 'PROXY_AUTH_REQUIRED',
        bridgeError: { retryable: false },
      });
      const plain = new ProvisioningClient({
        baseUrl: 'http://plain.techpass.test',
        fetchImpl: network.fetch,
        sleep: async () => undefined,
      });
      await expect(plain.health()).rejects.toMatchObject({ code: 'PROXY_AUTH_REQUIRED' });
      expect(authProxy.authChallenges).toBe(2);
      const head = await createHttpHead(network)(httpsUrl(), 10_000);
      expect(head).toMatchObject({
        ok: false,
        error: expect.stringMatching(/proxy asks for a user name and password/),
      });
      // With the credentials in the environment's proxy URL (as IT may set it), the same request goes through.
      const withCreds = createNodeNetwork({
        env: { ...env, HTTPS_PROXY: authProxy.url.replace('http://', 'http://corp:secret@') },
      });
      const authed = new ProvisioningClient({ baseUrl: httpsUrl(), fetchImpl: withCreds.fetch });
      await expect(authed.health()).resolves.toMatchObject({ mode: 'test' });
      await network.close();
      await withCreds.close();
    } finally {
      await authProxy.close();
    }
  });
});
