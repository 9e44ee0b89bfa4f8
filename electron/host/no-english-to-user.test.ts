import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { API_ERROR_CODES, BridgeError } from '../../shared/domain/errors';
import { dispatch } from './dispatch';
import { HostError } from './host-error';
import { silentLogger } from './host-log';
import { captivePortalError, networkFailureError, proxyAuthError } from './net/failures';
import type { HostFetch } from './net/types';
import { ProvisioningClient } from './provisioning-client';
import { testHost } from './test-support/test-host';
import { Vault } from './vault';
import { memorySecretStore } from './test-support/suite';

/**
 * The host returns codes with parameters, never an English sentence; the wizard words them in the user's
 * language. This drives every failure path the host has and checks what would reach the renderer.
 */

/** Three lowercase words in a row ("sign in first", "is not valid"): prose, not a fact like an issuer's name. */
const SENTENCE = /\b[a-z]{2,}[,;:]?\s+[a-z]{2,}[,;:]?\s+[a-z]{2,}\b/;

/** Every string value in what crosses the contract that reads as English prose, with its path. */
export function sentencesIn(value: unknown, path = 'error'): string[] {
  if (typeof value === 'string') return SENTENCE.test(value) ? [`${path}: ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => sentencesIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => sentencesIn(v, `${path}.${k}`));
  return [];
}

/** What reaches the renderer is a strict BridgeError (no free-text field) with no sentence in any value. */
function expectCodeAndParams(error: unknown, label: string): void {
  const parsed = BridgeError.safeParse(error);
  expect(
    parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`),
    `${label}: a strict BridgeError`,
  ).toEqual([]);
  expect(sentencesIn(error), `${label}: no sentence`).toEqual([]);
}

const fetchFailure = (cause: object, message = 'fetch failed') => Object.assign(new TypeError(message), { cause });
const url = new URL('https://api.techpass.test/v1/health');
const issuer = async () => ({ issuer: 'CN=Corp Inspection CA, O=Example Corp Pte Ltd' });

describe('the sentence check itself', () => {
  it('flags prose and a free-text field, and passes facts such as an issuer name or a low-level code', () => {
    expect(
      sentencesIn({
        code: 'OFFLINE',
        params: { issuer: 'CN=Corp Inspection CA, O=Example Corp Pte Ltd', cause: 'ERR_CERT_AUTHORITY_INVALID' },
      }),
    ).toEqual([]);
    expect(
      sentencesIn({ code: 'OFFLINE', params: { issuer: 'You seem to be offline. Check your connection.' } }),
    ).toHaveLength(1);
    // A planted `message` fails the strict contract schema, whatever it says.
    expect(BridgeError.safeParse({ code: 'OFFLINE', message: 'You seem to be offline.' }).success).toBe(false);
    expect(BridgeError.safeParse({ code: 'OFFLINE', details: { hint: 'x' } }).success).toBe(false);
    expect(BridgeError.safeParse({ code: 'OFFLINE', params: { hint: 'x' } }).success).toBe(false);
    expect(BridgeError.safeParse({ code: 'OFFLINE', params: { cause: 'not a code but words' } }).success).toBe(false);
  });
});

describe('every host failure reaches the renderer as a code with typed parameters, never an English sentence', () => {
  it.each([
    ['offline', fetchFailure({ code: 'ENETUNREACH' }), 'OFFLINE'],
    ['DNS (or offline when there is no interface)', fetchFailure({ code: 'ENOTFOUND' }), /DNS_NOT_FOUND|OFFLINE/],
    ['timeout', fetchFailure({ code: 'UND_ERR_CONNECT_TIMEOUT' }), 'TIMEOUT'],
    [
      'proxy authentication',
      fetchFailure({}, 'Proxy response (407) !== 200 when HTTP Tunneling'),
      'PROXY_AUTH_REQUIRED',
    ],
    ['proxy failed', new Error('net::ERR_PROXY_CONNECTION_FAILED'), 'BACKEND_UNREACHABLE'],
    ['TLS intercepted', fetchFailure({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 'TLS_INTERCEPTED'],
    ['TLS untrusted (expired)', fetchFailure({ code: 'CERT_HAS_EXPIRED' }), 'TLS_UNTRUSTED'],
    ['TLS untrusted (other name)', new Error('net::ERR_CERT_COMMON_NAME_INVALID'), 'TLS_UNTRUSTED'],
    ['refused', fetchFailure({ code: 'ECONNREFUSED' }), 'BACKEND_UNREACHABLE'],
  ] as const)('network: %s', async (label, err, code) => {
    const e = await networkFailureError(err, url, issuer);
    expect(e.code).toMatch(code);
    expectCodeAndParams(e.bridgeError, label);
    // The log still gets an English description, for developers.
    expect(e.message.length).toBeGreaterThan(5);
  });

  it('captive portal and proxy 407 answers', () => {
    expectCodeAndParams(captivePortalError(200, 'text/html; charset=utf-8').bridgeError, 'captive portal');
    expectCodeAndParams(proxyAuthError().bridgeError, 'proxy 407');
  });

  it.each(API_ERROR_CODES.map((c) => [c]))('backend API code %s: the service’s English stays behind', async (code) => {
    const fetchImpl: HostFetch = async () =>
      new Response(
        JSON.stringify({
          error: {
            code,
            message: 'The service explains this in an English sentence for API consumers.',
            fields: { mobile: { code: 'mobile.invalid', message: 'Enter a mobile number in the international form.' } },
          },
        }),
        {
          status: code === 'RATE_LIMITED' ? 429 : 400,
          headers: { 'content-type': 'application/json', 'retry-after': '30' },
        },
      );
    const client = new ProvisioningClient({ baseUrl: 'http://127.0.0.1:9', fetchImpl, backoffMs: 1 });
    const e = await client.signIn('jane@techpass.gov.sg', 'pw').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HostError);
    expect((e as HostError).code).toBe(code);
    expectCodeAndParams((e as HostError).bridgeError, code);
  });

  it('backend 5xx, a web page where JSON belongs, an answer outside the route table, a registration link not found', async () => {
    const answers: Record<string, () => Response> = {
      '5xx': () => new Response('upstream connect error or disconnect/reset before headers', { status: 503 }),
      portal: () =>
        new Response('<!doctype html><title>Sign in to Hotel Wi-Fi</title>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
      odd: () =>
        new Response(JSON.stringify({ whatever: 'this version does not know this answer' }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
      notFound: () =>
        new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No invitation matches this token.' } }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        }),
    };
    for (const [label, answer] of Object.entries(answers)) {
      const client = new ProvisioningClient({
        baseUrl: 'http://127.0.0.1:9',
        fetchImpl: async () => answer(),
        backoffMs: 1,
        attempts: 1,
      });
      const e = await (label === 'notFound' ? client.getRegistration('A'.repeat(43)) : client.health()).catch(
        (x: unknown) => x,
      );
      expect(e, label).toBeInstanceOf(HostError);
      expectCodeAndParams((e as HostError).bridgeError, label);
    }
  });

  it('certificate checks switched off for the process', async () => {
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const client = new ProvisioningClient({
        baseUrl: 'https://api.techpass.test',
        fetchImpl: async () => new Response('{}'),
      });
      const e = await client.health().catch((x: unknown) => x);
      expectCodeAndParams((e as HostError).bridgeError, 'tls verification off');
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
  });

  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('through the contract (dispatch): not signed in, invalid links, steps out of order, bad requests, a crash', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-no-english-'));
    dirs.push(dataDir);
    const vault = new Vault(memorySecretStore(), 'linux');
    const offline: HostFetch = async () => {
      throw fetchFailure({ code: 'ENETUNREACH' });
    };
    const host = testHost('http://127.0.0.1:9', dataDir, {
      vault,
      fetchImpl: offline,
      log: silentLogger,
      client: { attempts: 1, backoffMs: 1 },
    });
    const calls: [string, unknown][] = [
      ['submitMfaCode', { code: '123456' }],
      ['changePassword', { currentPassword: 'a', newPassword: 'b' }],
      ['openInvitation', { link: 'https://example.com/not-ours' }],
      ['openDeepLink', { url: 'techpass-onboarding://elsewhere' }],
      [
        'submitRegistration',
        {
          username: 'jane',
          firstName: 'Jane',
          lastName: 'Tan',
          mobile: '+6591234567',
          department: 'Ops',
          password: 'Amber-Willow-58-Cactus',
        },
      ],
      ['signIn', { loginId: 'jane@agency.gov.sg', password: 'x' }],
      ['signIn', { loginId: 'jane', password: 'x' }],
      ['navigate', { to: 'done' }],
      ['finishOnboarding', {}],
      ['exportSeedReport', { format: 'json' }],
      ['resendInitialPassword', { loginId: 'jane' }],
      ['sendPhoneCode', { mobile: '123' }],
      ['notAMethod', {}],
      ['signIn', { loginId: 42 }],
    ];
    const failures: string[] = [];
    for (const [method, payload] of calls) {
      if (method in contract && !(method in host.handlers)) continue;
      const envelope = await dispatch(host.handlers, method, payload, silentLogger);
      if (envelope.ok) continue;
      failures.push(`${method}:${envelope.error.code}`);
      expectCodeAndParams(envelope.error, `${method}`);
    }
    // Each path was really driven to a failure (and the codes are the expected kinds).
    expect(failures).toEqual(
      expect.arrayContaining([
        'submitMfaCode:NOT_SIGNED_IN',
        'openInvitation:INVALID_LINK',
        'notAMethod:BAD_REQUEST',
        'signIn:VALIDATION_FAILED',
        'signIn:OFFLINE',
      ]),
    );
    const status = await dispatch(host.handlers, 'getBackendStatus', {}, silentLogger);
    expect(status.ok && (status.result as { error?: unknown }).error).toBeTruthy();
    expectCodeAndParams(status.ok ? (status.result as { error?: unknown }).error : undefined, 'getBackendStatus');
    // A handler that crashes with an English message: only the code crosses.
    const crashed = await dispatch(
      {
        ...host.handlers,
        getJourney: async () => {
          throw new Error('Cannot read properties of undefined (reading the journey)');
        },
      },
      'getJourney',
      {},
      silentLogger,
    );
    expect(crashed.ok).toBe(false);
    if (!crashed.ok) expectCodeAndParams(crashed.error, 'crash');
  });
});
