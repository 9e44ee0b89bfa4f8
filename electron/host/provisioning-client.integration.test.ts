import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { HostError } from './host-error';
import { CLOCK_DRIFT_WARN_SECONDS, ProvisioningClient } from './provisioning-client';
import { ADMIN_KEY } from './test-support/backend-process';
import { backendForSuite } from './test-support/suite';

const backend = backendForSuite();

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

/**
 * A proxy in front of the real backend that forwards the first registration POST, lets the backend act on it, and
 * then drops the connection before the answer reaches the client: the "did it work?" case a retry must survive.
 */
async function droppingProxy(target: string) {
  let dropped = 0;
  const seen: { method: string; path: string; key: string | undefined }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a test server: a failure shows as the client's failed request
    req.on('end', async () => {
      const path = req.url ?? '/';
      seen.push({ method: req.method ?? '', path, key: req.headers['idempotency-key'] as string | undefined });
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'authorization', 'idempotency-key', 'accept']) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      const upstream = await fetch(target + path, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      if (req.method === 'POST' && path.startsWith('/v1/registrations/') && dropped === 0) {
        dropped += 1;
        req.socket.destroy();
        return;
      }
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
      });
      res.writeHead(upstream.status, out).end(body);
    });
  });
  const url = await listen(server);
  return { url, seen, dropped: () => dropped, close: () => close(server) };
}

const form = (username: string) => ({
  username,
  firstName: 'Jane',
  lastName: 'Tan',
  mobile: '+6591234567',
  department: 'Engineering',
});

describe('provisioning client against the real backend', () => {
  it('retries a registration whose answer was lost, with the same Idempotency-Key, and creates exactly one account', async () => {
    const { token, email } = await backend().invite({ passwordDelivery: 'sms' });
    const proxy = await droppingProxy(backend().url);
    try {
      const client = new ProvisioningClient({ baseUrl: proxy.url, backoffMs: 10 });
      const key = ProvisioningClient.newIdempotencyKey();
      const username = `jane${Date.now() % 100000}`;
      const result = await client.submitRegistration(token, form(username), key);
      expect(result).toMatchObject({ username, loginId: `${username}@techpass.gov.sg`, passwordDelivery: 'sms' });
      expect(proxy.dropped()).toBe(1);
      const posts = proxy.seen.filter((r) => r.method === 'POST');
      expect(posts).toHaveLength(2);
      expect(posts.map((p) => p.key)).toEqual([key, key]);
      // One account, one onboarding email, one initial-password SMS.
      const account = await backend().call<{ username: string; state: string }>(
        'GET',
        `/v1/admin/accounts/${username}`,
        undefined,
        ADMIN_KEY,
      );
      expect(account).toMatchObject({ status: 200, body: { username, state: 'PENDING' } });
      const outbox = await backend().outbox();
      expect(outbox.filter((m) => m.template === 'N-ONBOARD' && m.to === email)).toHaveLength(1);
      expect(
        outbox.filter((m) => m.template === 'N-INITPWD' && m.data.loginId === `${username}@techpass.gov.sg`),
      ).toHaveLength(1);
      // The token is now used: a new submission (new key) gets the typed INVITATION_USED.
      await expect(
        client.submitRegistration(token, form(username), ProvisioningClient.newIdempotencyKey()),
      ).rejects.toMatchObject({
        code: 'INVITATION_USED',
        bridgeError: { code: 'INVITATION_USED' },
      });
    } finally {
      await proxy.close();
    }
  });

  it('a burst of the same sign-in and the same SMS send (one client, user retries): one session, one SMS', async () => {
    const { token } = await backend().invite();
    const username = `burst${Date.now() % 1000000}`;
    const password = 'Amber-Willow-58-Cactus';
    const registered = await backend().call('POST', `/v1/registrations/${token}`, { ...form(username), password });
    expect(registered.status).toBe(201);
    const client = new ProvisioningClient({ baseUrl: backend().url, backoffMs: 10 });
    const loginId = `${username}@techpass.gov.sg`;
    const signIns = await Promise.all(Array.from({ length: 20 }, () => client.signIn(loginId, password)));
    const tokens = new Set(signIns.map((r) => (r.status === 'signed_in' ? r.token : r.mfaToken)));
    expect(tokens.size).toBe(1); // every try answered with the first one's session
    const session = [...tokens][0] ?? '';
    const mobile = `+6591${String(Date.now()).slice(-6)}`;
    const sends = await Promise.allSettled(Array.from({ length: 20 }, () => client.sendPhoneCode(session, mobile)));
    expect(sends.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect((await backend().outbox()).filter((m) => m.template === 'N-PHONE-CODE' && m.to === mobile)).toHaveLength(1);
    // After a definite answer, the next sign-in is a new one (a new key), so a second session.
    const again = await client.signIn(loginId, password);
    expect(again.status === 'signed_in' ? again.token : again.mfaToken).not.toBe(session);
  });

  it('maps backend error codes to typed errors that say what to do next', async () => {
    const client = new ProvisioningClient({ baseUrl: backend().url, backoffMs: 10 });
    await expect(client.getRegistration('A'.repeat(43))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      bridgeError: { params: { reason: 'link_not_found' } },
    });
    await expect(client.signIn('nobody@techpass.gov.sg', 'Wrong-Password-123')).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      bridgeError: { retryable: false },
    });
    const { token } = await backend().invite();
    const bad = await client
      .submitRegistration(
        token,
        { ...form('9bad name'), mobile: '+6591234567' },
        ProvisioningClient.newIdempotencyKey(),
      )
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(HostError);
    expect((bad as HostError).code).toBe('VALIDATION_FAILED');
    expect(Object.keys((bad as HostError).bridgeError.fields ?? {})).toContain('username');
  });

  it('tells the host when the server says the session is gone (401)', async () => {
    const onSessionGone = vi.fn();
    const client = new ProvisioningClient({ baseUrl: backend().url, onSessionGone });
    await expect(client.getMe('not-a-session-token')).rejects.toMatchObject({
      code: expect.stringMatching(/UNAUTHORIZED|SESSION_EXPIRED/),
    });
    expect(onSessionGone).toHaveBeenCalledOnce();
  });

  it('warns about clock drift read from X-Server-Time, without blocking', async () => {
    const onClockDrift = vi.fn();
    const client = new ProvisioningClient({ baseUrl: backend().url, onClockDrift });
    await client.health();
    expect(Math.abs(client.clockDriftSeconds ?? 99)).toBeLessThan(5);
    expect(onClockDrift).not.toHaveBeenCalled();
    await backend().advanceClock(120); // the server's test clock now runs 2 minutes ahead of this device
    const health = await client.health();
    expect(health.mode).toBe('test');
    expect(client.clockDriftSeconds).toBeLessThanOrEqual(-CLOCK_DRIFT_WARN_SECONDS);
    expect(client.clockDriftSeconds).toBeGreaterThan(-130);
    expect(onClockDrift).toHaveBeenCalledWith(client.clockDriftSeconds);
  });
});

describe('provisioning client: offline, server down, too slow', () => {
  it('server down (connection refused) → BACKEND_UNREACHABLE, retryable, after the retries', async () => {
    const server = createServer();
    const url = await listen(server);
    await close(server); // nothing listens on this port any more
    const sleeps: number[] = [];
    const client = new ProvisioningClient({ baseUrl: url, attempts: 3, sleep: async (ms) => void sleeps.push(ms) });
    await expect(client.health()).rejects.toMatchObject({
      code: 'BACKEND_UNREACHABLE',
      bridgeError: { retryable: true },
    });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0);
  });

  it('a 5xx is retried, then reported as BACKEND_UNREACHABLE', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"INTERNAL","message":"down"}}');
    });
    const url = await listen(server);
    try {
      const client = new ProvisioningClient({ baseUrl: url, attempts: 3, backoffMs: 1 });
      await expect(client.health()).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
      expect(hits).toBe(3);
    } finally {
      await close(server);
    }
  });

  it('a POST without an Idempotency-Key is never retried', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(503).end();
    });
    const url = await listen(server);
    try {
      const client = new ProvisioningClient({ baseUrl: url, attempts: 3, backoffMs: 1 });
      await expect(client.signOut('t')).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
      expect(hits).toBe(3); // DELETE is idempotent: retried
      hits = 0;
      await expect(
        // A POST sent with no key of its own and none picked by the client (the private transport, no stickyKey).
        (client as unknown as { call: (id: string, input: unknown, o: unknown) => Promise<unknown> }).call(
          'startPasswordReset',
          { body: { loginId: 'jane' } },
          {},
        ),
      ).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
      expect(hits).toBe(1);
    } finally {
      await close(server);
    }
  });

  it('a server that never answers → TIMEOUT', async () => {
    const server = createServer(() => undefined);
    const url = await listen(server);
    try {
      const client = new ProvisioningClient({ baseUrl: url, timeoutMs: 200, attempts: 2, backoffMs: 1 });
      await expect(client.health()).rejects.toMatchObject({ code: 'TIMEOUT', bridgeError: { retryable: true } });
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });

  it('no network (DNS fails) → OFFLINE', async () => {
    const fetchImpl = (async () => {
      throw Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }),
      });
    }) as typeof fetch;
    const client = new ProvisioningClient({
      baseUrl: 'https://provisioning.techpass.gov.sg',
      fetchImpl,
      sleep: async () => undefined,
    });
    await expect(client.health()).rejects.toMatchObject({
      code: 'OFFLINE',
      bridgeError: { retryable: true, params: { cause: 'EAI_AGAIN' } },
    });
  });
});
