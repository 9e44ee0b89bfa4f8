import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyNetworkFailure, networkFailureError } from './net/failures';
import { ProvisioningClient } from './provisioning-client';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('provisioning client (no network)', () => {
  it('refuses to talk https when certificate checks are switched off for the process', async () => {
    vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
    const fetchImpl = vi.fn();
    const client = new ProvisioningClient({ baseUrl: 'https://provisioning.techpass.gov.sg', fetchImpl });
    await expect(client.health()).rejects.toMatchObject({
      code: 'BACKEND_UNREACHABLE',
      bridgeError: { retryable: false },
    });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('classifies certificate failures as not retryable, with advice naming the issuer the network presented', async () => {
    const cause = { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' };
    const err = await networkFailureError(
      Object.assign(new TypeError('fetch failed'), { cause }),
      new URL('https://x.test/'),
      async () => ({
        issuer: 'CN=Corp Inspection CA, O=Corp',
      }),
    );
    expect(err.code).toBe('TLS_INTERCEPTED');
    expect(err.bridgeError.retryable).toBe(false);
    expect(err.bridgeError.params?.issuer).toBe('CN=Corp Inspection CA, O=Corp');
    // The issuer is a fact the wizard words; the Error's own message is the log's description.
    expect(err.message).toMatch(/Corp Inspection CA/);
    const expired = await networkFailureError(
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'CERT_HAS_EXPIRED' } }),
      new URL('https://x.test/'),
    );
    expect(expired.code).toBe('TLS_UNTRUSTED');
    expect(expired.bridgeError.params?.reason).toBe('cert_expired');
  });

  it('names every network cause (undici codes and Chromium net:: errors)', () => {
    const fail = (cause: unknown) => classifyNetworkFailure(Object.assign(new TypeError('fetch failed'), { cause }));
    expect(classifyNetworkFailure({ cause: { code: 'ENOTFOUND' } }, { hasNetwork: () => true }).kind).toBe(
      'DNS_NOT_FOUND',
    );
    expect(classifyNetworkFailure({ cause: { code: 'ENOTFOUND' } }, { hasNetwork: () => false }).kind).toBe('OFFLINE');
    expect(fail({ code: 'EAI_AGAIN' }).kind).toBe('OFFLINE');
    expect(fail({ code: 'UND_ERR_CONNECT_TIMEOUT' }).kind).toBe('TIMEOUT');
    expect(fail(new Error('Proxy response (407) !== 200 when HTTP Tunneling')).kind).toBe('PROXY_AUTH_REQUIRED');
    expect(fail(new Error('Proxy response (502) !== 200 when HTTP Tunneling')).kind).toBe('PROXY_FAILED');
    expect(classifyNetworkFailure(new Error('net::ERR_CERT_AUTHORITY_INVALID')).kind).toBe('TLS_INTERCEPTED');
    expect(classifyNetworkFailure(new Error('net::ERR_CERT_COMMON_NAME_INVALID')).kind).toBe('TLS_UNTRUSTED');
    expect(classifyNetworkFailure(new Error('net::ERR_NAME_NOT_RESOLVED'), { hasNetwork: () => true }).kind).toBe(
      'DNS_NOT_FOUND',
    );
    expect(classifyNetworkFailure(new Error('net::ERR_INTERNET_DISCONNECTED')).kind).toBe('OFFLINE');
    expect(classifyNetworkFailure(new Error('net::ERR_PROXY_AUTH_UNSUPPORTED')).kind).toBe('PROXY_AUTH_REQUIRED');
    expect(classifyNetworkFailure(new Error('net::ERR_CONNECTION_REFUSED')).kind).toBe('REFUSED');
  });

  it('an HTML page where JSON was expected (captive portal, proxy block page, a redirect) → CAPTIVE_PORTAL', async () => {
    const pages = [
      new Response('<!doctype html><title>Sign in to Guest Wi-Fi</title>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      }),
      new Response('<html><body>Blocked by policy</body></html>', { status: 403 }),
      new Response(null, { status: 302, headers: { location: 'http://portal.example/login' } }),
    ];
    for (const page of pages) {
      const client = new ProvisioningClient({
        baseUrl: 'http://127.0.0.1:1',
        fetchImpl: async () => page,
        sleep: async () => undefined,
      });
      await expect(client.health()).rejects.toMatchObject({ code: 'CAPTIVE_PORTAL' });
    }
  });

  it('a 407 from the proxy → PROXY_AUTH_REQUIRED, not retried', async () => {
    let hits = 0;
    const fetchImpl = async () => {
      hits += 1;
      return new Response('Proxy Authentication Required', {
        status: 407,
        headers: { 'proxy-authenticate': 'Basic realm="corp"' },
      });
    };
    const client = new ProvisioningClient({ baseUrl: 'http://127.0.0.1:1', fetchImpl, sleep: async () => undefined });
    await expect(client.health()).rejects.toMatchObject({
      code: 'PROXY_AUTH_REQUIRED',
      bridgeError: { retryable: false },
    });
    expect(hits).toBe(1);
  });

  it('a slow answer is not a failure while bytes keep arriving; a stalled one is a TIMEOUT', async () => {
    const trickle = (gapMs: number, stallAfter?: number) => async (_u: URL | string, init?: RequestInit) => {
      const parts = ['{"name":"TechPass",', '"version":"1",', '"mode":"test"}'];
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (stallAfter !== undefined && i >= stallAfter) {
            await new Promise((_r, reject) =>
              init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
            );
          }
          await new Promise((r) => setTimeout(r, gapMs));
          const part = parts[i++];
          if (part === undefined) c.close();
          else c.enqueue(new TextEncoder().encode(part));
        },
      });
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    };
    // 3 × 80 ms = 240 ms in all, more than the 150 ms "answer" budget, yet never 150 ms without a byte.
    const slow = new ProvisioningClient({
      baseUrl: 'http://127.0.0.1:1',
      fetchImpl: trickle(80),
      responseTimeoutMs: 150,
      idleTimeoutMs: 150,
    });
    await expect(slow.health()).resolves.toMatchObject({ name: 'TechPass' });
    const stalled = new ProvisioningClient({
      baseUrl: 'http://127.0.0.1:1',
      fetchImpl: trickle(10, 1),
      responseTimeoutMs: 150,
      idleTimeoutMs: 150,
      attempts: 1,
    });
    await expect(stalled.health()).rejects.toMatchObject({ code: 'TIMEOUT', bridgeError: { retryable: true } });
  });

  it('a retry of the very same POST after a timeout reuses its Idempotency-Key; a definite answer or other input gets a new one', async () => {
    const keys: string[] = [];
    let mode: 'hang' | 'answer' = 'hang';
    const fetchImpl = async (_u: URL | string, init?: RequestInit) => {
      keys.push((init?.headers as Record<string, string>)['idempotency-key'] ?? '');
      if (mode === 'hang') {
        return new Promise<Response>((_r, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        );
      }
      return new Response('{"token":"s1","requiredActions":[]}', {
        status: 201,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = new ProvisioningClient({
      baseUrl: 'http://127.0.0.1:1',
      fetchImpl,
      responseTimeoutMs: 30,
      attempts: 2,
      sleep: async () => undefined,
    });
    await expect(client.signIn('jane@techpass.gov.sg', 'pw-1')).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(client.signIn('jane@techpass.gov.sg', 'pw-1')).rejects.toMatchObject({ code: 'TIMEOUT' });
    // A timeout is reported at once (no second full wait); the user's two tries used one key.
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    mode = 'answer';
    await client.signIn('jane@techpass.gov.sg', 'pw-1');
    expect(keys[2]).toBe(keys[0]);
    await client.signIn('jane@techpass.gov.sg', 'pw-1');
    expect(keys[3]).not.toBe(keys[0]); // after an answer, signing in again is a new sign-in
    await client.signIn('jane@techpass.gov.sg', 'pw-2');
    expect(keys[4]).not.toBe(keys[3]);
  });

  it('every POST that changes state carries an Idempotency-Key, sign-in and MFA included', async () => {
    const posts: { path: string; key?: string }[] = [];
    const fetchImpl = async (u: URL | string, init?: RequestInit) => {
      if (init?.method === 'POST')
        posts.push({ path: new URL(u).pathname, key: (init.headers as Record<string, string>)['idempotency-key'] });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const c = new ProvisioningClient({ baseUrl: 'http://127.0.0.1:1', fetchImpl, sleep: async () => undefined });
    const calls: (() => Promise<unknown>)[] = [
      () =>
        c.submitRegistration(
          't'.repeat(22),
          { username: 'u', firstName: 'a', lastName: 'b', mobile: '+6591234567', department: 'd' },
          ProvisioningClient.newIdempotencyKey(),
        ),
      () => c.signIn('jane@techpass.gov.sg', 'pw'),
      () => c.submitMfaCode('mfa-token', '123456'),
      () => c.startAuthenticator('s'),
      () => c.verifyAuthenticator('s', '123456'),
      () => c.sendPhoneCode('s', '+6591234567'),
      () => c.verifyPhoneCode('s', '123456'),
      () => c.changePassword('s', 'old', 'new'),
      () => c.acceptTerm('s', 'privacy', '1'),
      () => c.startPasswordReset('jane@techpass.gov.sg'),
      () => c.completePasswordReset('jane@techpass.gov.sg', '123456', 'new'),
      () => c.resendInitialPassword('jane@techpass.gov.sg', '+6591234567'),
    ];
    for (const call of calls) await call().catch(() => undefined);
    expect(posts).toHaveLength(calls.length);
    expect(posts.filter((p) => !p.key || !/^[0-9a-f-]{36}$/.test(p.key)).map((p) => p.path)).toEqual([]);
  });

  it('a 409 "still being processed" for our own key waits for the first outcome instead of failing', async () => {
    let n = 0;
    const fetchImpl = async () => {
      n += 1;
      if (n <= 2) {
        return new Response('{"error":{"code":"CONFLICT","message":"still processing"}}', {
          status: 409,
          headers: { 'content-type': 'application/json', 'retry-after': '1' },
        });
      }
      return new Response(JSON.stringify(sent), { status: 202, headers: { 'content-type': 'application/json' } });
    };
    const sent = { status: 'sent', resendAfterSeconds: 60, expiresAt: '2026-01-01T00:10:00.000Z' };
    const sleeps: number[] = [];
    const client = new ProvisioningClient({
      baseUrl: 'http://127.0.0.1:1',
      fetchImpl,
      sleep: async (ms) => void sleeps.push(ms),
    });
    await expect(client.sendPhoneCode('session', '+6591234567')).resolves.toEqual(sent);
    expect(n).toBe(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('sends the bearer token and Idempotency-Key, JSON in and out, and never follows redirects (a redirect is reported, not followed)', async () => {
    const seen: RequestInit[] = [];
    const fetchImpl = (async (_url: URL, init: RequestInit) => {
      seen.push(init);
      return new Response(JSON.stringify({ requiredActions: [], onboardingComplete: true, state: 'ACTIVE' }), {
        headers: { 'content-type': 'application/json', 'x-server-time': new Date().toISOString() },
      });
    }) as unknown as typeof fetch;
    const client = new ProvisioningClient({ baseUrl: 'http://127.0.0.1:1', fetchImpl });
    await client.acceptTerm('session-abc', 'privacy', '2025.1');
    const headers = seen[0]?.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer session-abc');
    expect(headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['content-type']).toBe('application/json');
    expect(seen[0]?.redirect).toBe('manual');
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the client sends its JSON body as a string
    expect(JSON.parse(String(seen[0]?.body))).toEqual({ id: 'privacy', version: '2025.1' });
  });

  it('an answer that does not match the API schema is a typed UNEXPECTED error, not a crash', async () => {
    const fetchImpl = (async () =>
      new Response('{"name":1}', { headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
    const client = new ProvisioningClient({ baseUrl: 'http://127.0.0.1:1', fetchImpl });
    await expect(client.health()).rejects.toMatchObject({ code: 'UNEXPECTED' });
  });

  it('RATE_LIMITED carries the Retry-After seconds for the wizard', async () => {
    const fetchImpl = (async () =>
      new Response('{"error":{"code":"RATE_LIMITED","message":"slow down"}}', {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '30' },
      })) as unknown as typeof fetch;
    const client = new ProvisioningClient({ baseUrl: 'http://127.0.0.1:1', fetchImpl, sleep: async () => undefined });
    await expect(client.signIn('jane', 'pw')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      bridgeError: { retryable: true, params: { retryAfterSeconds: 30 } },
    });
  });
});
