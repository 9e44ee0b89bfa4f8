import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyState, Response } from '../../shared/contract';
import { dispatch } from './dispatch';
import type { Host } from './host-services';
import { startBackendProcess, type BackendProcess } from './test-support/backend-process';
import { testHost } from './test-support/test-host';
import { Vault, type SecretStore, type VaultKey } from './vault';

/**
 * The delivery state of the phone code through the host's contract, against the real backend whose SMS gateway (a
 * stand-in here) answers every message with an error; and the journey's correlation id on every request the host
 * sends, as the backend logs it.
 */

let backend: BackendProcess;
let gateway: Server;
const gatewayHits: string[] = [];
beforeAll(async () => {
  gateway = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += String(c)));
    req.on('end', () => {
      gatewayHits.push(raw);
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"temporarily unavailable"}');
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  backend = await startBackendProcess({
    env: {
      TECHPASS_SMS_TRANSPORT: 'sms-http',
      SMS_GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`,
      // The outbox worker runs every second, as in a deployment (test mode runs it only when asked otherwise).
      JOB_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'info',
    },
  });
});
afterAll(async () => {
  await backend?.stop();
  await new Promise<void>((r) => gateway?.close(() => r()));
});

function keychain(): SecretStore {
  const data = new Map<VaultKey, string>();
  return {
    get: async (k) => data.get(k) ?? null,
    set: async (k, v) => void data.set(k, v),
    delete: async (k) => void data.delete(k),
  };
}

async function call<T>(host: Host, method: string, payload: unknown = {}): Promise<T> {
  const env = await dispatch(host.handlers, method, payload);
  if (!env.ok) throw new Error(`${method} failed: ${env.error.code}`);
  return env.result as T;
}

async function pollUndelivered(host: Host, method: string): Promise<Response<'getPhoneCodeDelivery'> | undefined> {
  const started = Date.now();
  let delivery: Response<'getPhoneCodeDelivery'> | undefined;
  while (Date.now() - started < 15_000) {
    delivery = await call<Response<'getPhoneCodeDelivery'>>(host, method);
    if (delivery.undelivered) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return delivery;
}

describe('phone code delivery and the correlation id, host against the real backend', () => {
  it('the first password by SMS: account-created learns within seconds that it could not be delivered', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-host-delivery-'));
    const host = testHost(backend.url, dataDir, { vault: new Vault(keychain(), 'linux') });
    try {
      expect(await call(host, 'getInitialPasswordDelivery')).toEqual({
        state: 'none',
        isChina: false,
        undelivered: false,
      });
      const { token } = await backend.invite({ passwordDelivery: 'sms' });
      await call(host, 'navigate', { to: 'register' });
      await call(host, 'openInvitation', { link: token });
      const created = await call<JourneyState>(host, 'submitRegistration', {
        username: `tan${Date.now() % 1_000_000}`,
        firstName: 'Mei',
        lastName: 'Tan',
        mobile: '+65 9123 4567',
        department: 'Engineering',
      });
      expect(created.step).toBe('account-created');
      // The reference stays in the host: the renderer's journey does not carry it.
      expect(JSON.stringify(created)).not.toContain('initialPasswordDelivery');
      expect(await pollUndelivered(host, 'getInitialPasswordDelivery')).toEqual({
        state: 'retrying',
        sentTo: '+65 ••••4567',
        isChina: false,
        undelivered: true,
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a failing SMS gateway: the host reports the code undelivered within seconds; every request carried the journey id', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-host-delivery-'));
    const host = testHost(backend.url, dataDir, { vault: new Vault(keychain(), 'linux') });
    try {
      const { token } = await backend.invite({ passwordDelivery: 'self_set' });
      await call(host, 'navigate', { to: 'register' });
      await call(host, 'openInvitation', { link: token });
      const username = `wei${Date.now() % 1_000_000}`;
      const created = await call<JourneyState>(host, 'submitRegistration', {
        username,
        firstName: 'Wei',
        lastName: 'Zhang',
        mobile: '+86 138 0000 0000',
        department: 'Engineering',
        password: 'Quiet-Harbour-42-Lantern',
      });
      const journeyId = created.correlationId;
      expect(journeyId).toMatch(/^[0-9a-f-]{36}$/);
      await call(host, 'navigate', { to: 'sign-in' });
      const signedIn = await call<{ journey: JourneyState }>(host, 'signIn', {
        loginId: username,
        password: 'Quiet-Harbour-42-Lantern',
      });
      expect(signedIn.journey.step).toBe('authenticator');
      const enrolment = await call<{ secret: string }>(host, 'startAuthenticatorEnrolment');
      const code = generateSync({
        secret: enrolment.secret,
        epoch: Math.floor((await backend.serverNow()).getTime() / 1000),
      });
      expect((await call<JourneyState>(host, 'verifyAuthenticator', { code })).step).toBe('phone');

      await call(host, 'sendPhoneCode', { mobile: '+86 138 0000 0000' });
      const delivery = await pollUndelivered(host, 'getPhoneCodeDelivery');
      expect(delivery).toEqual({ state: 'retrying', sentTo: '+86 ••••0000', isChina: true, undelivered: true });
      expect(gatewayHits.length).toBeGreaterThan(0);

      // The backend's request lines for this journey carry its id (the support details show the same id).
      const lines = backend
        .logs()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string; correlationId?: string } })
        .filter((l) => l.msg === 'request completed');
      const ours = lines.filter((l) => l.req?.correlationId === journeyId).map((l) => l.req?.url);
      expect(ours).toEqual(expect.arrayContaining(['/v1/sessions', '/v1/me/phone']));
      expect((await call<JourneyState>(host, 'getJourney')).correlationId).toBe(journeyId);

      // A new journey gets a new id.
      const fresh = await call<JourneyState>(host, 'resetJourney');
      expect(fresh.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(fresh.correlationId).not.toBe(journeyId);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
