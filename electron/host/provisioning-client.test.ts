import { afterEach, describe, expect, it, vi } from 'vitest';
import { networkError, ProvisioningClient } from './provisioning-client';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('provisioning client (no network)', () => {
  it('refuses to talk https when certificate checks are switched off for the process', async () => {
    vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
    const fetchImpl = vi.fn();
    const client = new ProvisioningClient({ baseUrl: 'https://provisioning.techpass.gov.sg', fetchImpl: fetchImpl as unknown as typeof fetch });
    await expect(client.health()).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE', bridgeError: { retryable: false } });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('classifies certificate failures as not retryable, with advice', () => {
    const err = networkError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } }));
    expect(err.code).toBe('BACKEND_UNREACHABLE');
    expect(err.bridgeError.retryable).toBe(false);
    expect(err.message).toMatch(/certificate/);
  });

  it('sends the bearer token and Idempotency-Key, JSON in and out, and never follows redirects', async () => {
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
    expect(seen[0]?.redirect).toBe('error');
    expect(JSON.parse(String(seen[0]?.body))).toEqual({ id: 'privacy', version: '2025.1' });
  });

  it('an answer that does not match the API schema is a typed UNEXPECTED error, not a crash', async () => {
    const fetchImpl = (async () => new Response('{"name":1}', { headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
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
      bridgeError: { retryable: true, details: { retryAfterSeconds: 30 } },
    });
  });
});
