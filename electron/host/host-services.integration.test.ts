import { describe, expect, it, vi } from 'vitest';
import { contract, type JourneyState } from '../../shared/contract';
import { dispatch } from './dispatch';
import type { Host, HostServicesOptions } from './host-services';
import { silentLogger } from './host-log';
import { testHost } from './test-support/test-host';
import { Vault, type SecretStore } from './vault';
import { backendForSuite, tempDirsPerTest, memorySecretStore } from './test-support/suite';

const backend = backendForSuite();

const tempDir = tempDirsPerTest('techpass-host-services');

const mapStore = memorySecretStore;

const noKeychain: SecretStore = {
  get: async () => {
    throw new Error('Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time');
  },
  set: async () => {
    throw new Error('Platform failure: DBus error');
  },
  delete: async () => {
    throw new Error('Platform failure: DBus error');
  },
};

function host(extra: Partial<HostServicesOptions> = {}, store: SecretStore = mapStore()): Host {
  const dataDir = extra.dataDir ?? tempDir();
  return testHost(backend().url, dataDir, {
    vault: new Vault(store, 'linux'),
    log: silentLogger,
    client: { backoffMs: 5 },
    ...extra,
  });
}

async function call<T>(
  h: Host,
  method: string,
  payload: unknown = {},
): Promise<{ ok: true; result: T } | { ok: false; error: { code: string; fields?: unknown } }> {
  return (await dispatch(h.handlers, method, payload)) as never;
}

async function ok<T>(h: Host, method: string, payload: unknown = {}): Promise<T> {
  const r = await call<T>(h, method, payload);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
  return r.result;
}

describe('host services against the real backend', () => {
  it('OS deep link: a valid link opens the invitation and pushes journeyChanged; anything else is ignored', async () => {
    const h = host();
    const changed = vi.fn();
    const off = h.onJourneyChanged(changed);
    expect(await h.handleOsDeepLink('techpass-onboarding://login?token=AAAAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
    expect(changed).not.toHaveBeenCalled();
    const { token } = await backend().invite();
    expect(await h.handleOsDeepLink(`techpass-onboarding://register?token=${token}`)).toBe(true);
    expect(changed).toHaveBeenCalledOnce();
    expect(await ok<JourneyState>(h, 'getJourney')).toMatchObject({
      step: 'register',
      invitation: { passwordDelivery: 'self_set' },
    });
    off();
  });

  it('OS deep link with an unknown token: the journey carries the typed link error for the wizard', async () => {
    const h = host();
    expect(await h.handleOsDeepLink(`techpass-onboarding://register?token=${'Z'.repeat(43)}`)).toBe(true);
    const j = await ok<JourneyState>(h, 'getJourney');
    expect(j.step).toBe('welcome');
    expect(j.linkError?.code).toBe('NOT_FOUND');
  });

  it('openDeepLink refuses anything but the one link shape with INVALID_LINK', async () => {
    const h = host();
    const r = await call(h, 'openDeepLink', { url: 'https://evil.example/register?token=AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_LINK' } });
  });

  it('the demo inbox is served from a test backend (without the messages’ data) and refused from production', async () => {
    const h = host();
    const { email } = await backend().invite();
    const inbox = await ok<{ available: boolean; messages: Record<string, unknown>[] }>(h, 'getDemoInbox');
    expect(inbox.available).toBe(true);
    expect(inbox.messages.some((m) => m.to === email && m.template === 'N-REG-LINK')).toBe(true);
    expect(inbox.messages.every((m) => !('data' in m))).toBe(true);

    const production = host({
      fetchImpl: async (url: URL | RequestInfo) => {
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the host asks with a string or a URL
        if (String(url).endsWith('/healthz')) {
          return new Response(JSON.stringify({ name: 'techpass', version: '1', mode: 'production' }), {
            headers: { 'content-type': 'application/json' },
          });
        }
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the host asks with a string or a URL
        throw new Error(`production must not be asked for ${String(url)}`);
      },
    });
    expect(await ok(production, 'getDemoInbox')).toEqual({ available: false, messages: [] });
  });

  it('without a keychain the journey works for this run and says plainly what is missing', async () => {
    const h = host({}, noKeychain);
    const { token } = await backend().invite();
    const j = await ok<JourneyState>(h, 'openInvitation', { link: token });
    expect(j.step).toBe('register');
    expect(j.invitation).toBeDefined();
    expect(j.keychain).toEqual({ available: false, problem: 'linux-no-secret-service' });
  });

  it('when the server says the session is gone, the vault is wiped and the user is sent to sign in', async () => {
    const store = mapStore();
    const h = host({}, store);
    const { token } = await backend().invite();
    await ok(h, 'openInvitation', { link: token });
    const username = `sam${Date.now() % 1_000_000}`;
    const password = 'Copper-Meadow-73-Violet';
    await ok(h, 'submitRegistration', {
      username,
      firstName: 'Sam',
      lastName: 'Lim',
      mobile: '+6591234567',
      department: 'Ops',
      password,
    });
    const signedIn = await ok<{ journey: JourneyState }>(h, 'signIn', { loginId: username, password });
    expect(signedIn.journey.step).toBe('authenticator');
    expect(store.data.has('session-token')).toBe(true);
    await backend().advanceClock(13 * 3600); // past the absolute session lifetime
    const r = await call(h, 'startAuthenticatorEnrolment');
    expect(r).toMatchObject({ ok: false, error: { code: expect.stringMatching(/UNAUTHORIZED|SESSION_EXPIRED/) } });
    expect(store.data.size).toBe(0);
    expect(await ok<JourneyState>(h, 'getJourney')).toMatchObject({ step: 'sign-in', signedIn: false });
  });

  it('offline while signed in: the journey keeps the remembered step instead of failing', async () => {
    const store = mapStore();
    const dataDir = tempDir();
    const online = host({ dataDir }, store);
    const { token } = await backend().invite();
    await ok(online, 'openInvitation', { link: token });
    const username = `ola${Date.now() % 1_000_000}`;
    const password = 'Amber-Willow-58-Cactus';
    await ok(online, 'submitRegistration', {
      username,
      firstName: 'Ola',
      lastName: 'Ng',
      mobile: '+6591234567',
      department: 'Ops',
      password,
    });
    await ok(online, 'signIn', { loginId: username, password });
    const offline = host(
      {
        dataDir,
        fetchImpl: async () => {
          throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'EAI_AGAIN' } });
        },
      },
      store,
    );
    expect(await ok<JourneyState>(offline, 'getJourney')).toMatchObject({ step: 'authenticator', signedIn: true });
    const status = await ok<{ reachable: boolean; error?: { code: string } }>(offline, 'getBackendStatus');
    expect(status).toMatchObject({ reachable: false, error: { code: 'OFFLINE' } });
  });

  it('navigate refuses a step the journey does not allow', async () => {
    const h = host();
    const r = await call(h, 'navigate', { to: 'terms' });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('openExternal: allow-listed https only, through the injected opener', async () => {
    const opened: string[] = [];
    const h = host({ openExternal: (u) => void opened.push(u) });
    expect(await ok(h, 'openExternal', { url: 'https://go.gov.sg/seed-techpass-support' })).toEqual({ opened: true });
    expect(await ok(h, 'openExternal', { url: 'https://evil.example/' })).toEqual({ opened: false });
    expect(await ok(h, 'openExternal', { url: 'http://go.gov.sg/x' })).toEqual({ opened: false });
    expect(opened).toEqual(['https://go.gov.sg/seed-techpass-support']);
  });

  it('signIn with an email address: tells the user to use the TechPass username', async () => {
    const h = host();
    const r = await call(h, 'signIn', { loginId: 'jane@agency.gov.sg', password: 'x' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', fields: { loginId: { code: 'login_id.use_username' } } },
    });
  });

  it('locked after repeated failures: typed ACCOUNT_LOCKED, then a password reset by SMS code unlocks it', async () => {
    const h = host();
    const { token } = await backend().invite();
    await ok(h, 'openInvitation', { link: token });
    const username = `lee${Date.now() % 1_000_000}`;
    const password = 'Granite-Pelican-29-Meadow';
    await ok(h, 'submitRegistration', {
      username,
      firstName: 'Lee',
      lastName: 'Koh',
      mobile: '+6598765432',
      department: 'Ops',
      password,
    });
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 6; i++)
      last = await call(h, 'signIn', { loginId: username, password: `Wrong-Password-${i}-xx` });
    expect(last).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    expect(await ok(h, 'startPasswordReset', { loginId: username })).toEqual({});
    const code = (await backend().outbox())
      .filter((m) => m.channel === 'sms' && m.to === '+6598765432' && typeof m.data.code === 'string')
      .pop()?.data.code as string;
    const newPassword = 'Velvet-Harbor-81-Quartz';
    expect(await ok(h, 'completePasswordReset', { loginId: username, code, newPassword })).toEqual({});
    const signedIn = await ok<{ status: string }>(h, 'signIn', { loginId: username, password: newPassword });
    expect(signedIn.status).toBe('signed_in');
  });

  it('a new invitation after an earlier registration starts a new journey; the used one is refused without losing state', async () => {
    const store = mapStore();
    const h = host({}, store);
    const first = await backend().invite();
    await ok(h, 'openInvitation', { link: first.token });
    const username = `neo${Date.now() % 1_000_000}`;
    const password = 'Maple-Comet-37-Harbour';
    await ok(h, 'submitRegistration', {
      username,
      firstName: 'Neo',
      lastName: 'Tay',
      mobile: '+6591234567',
      department: 'Ops',
      password,
    });
    await ok(h, 'signIn', { loginId: username, password });
    // The used link again: typed INVITATION_USED, still signed in at the same step.
    expect(await call(h, 'openInvitation', { link: first.token })).toMatchObject({
      ok: false,
      error: { code: 'INVITATION_USED' },
    });
    expect(await ok<JourneyState>(h, 'getJourney')).toMatchObject({ step: 'authenticator', signedIn: true });
    const second = await backend().invite();
    const j = await ok<JourneyState>(h, 'openInvitation', { link: second.token });
    expect(j).toMatchObject({ step: 'register', signedIn: false });
    expect(j.registration).toBeUndefined();
    expect(j.invitation).toBeDefined();
    expect(store.data.has('session-token')).toBe(false);
  });

  it('a registration whose answers were all lost is replayed after a restart: one account, one email, one SMS', async () => {
    const store = mapStore();
    const dataDir = tempDir();
    const { token, email } = await backend().invite({ passwordDelivery: 'sms' });
    let posts = 0;
    // The backend acts on every attempt, but no answer reaches the app (a flaky network), then the user quits.
    const losingFetch = (async (url: URL | RequestInfo, init?: RequestInit) => {
      const res = await fetch(url, init);
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the host asks with a string or a URL
      if (init?.method === 'POST' && String(url).includes('/v1/registrations/')) {
        posts += 1;
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      }
      return res;
    }) as typeof fetch;
    const flaky = host({ dataDir, fetchImpl: losingFetch }, store);
    await ok(flaky, 'openInvitation', { link: token });
    const username = `rio${Date.now() % 1_000_000}`;
    const form = { username, firstName: 'Rio', lastName: 'Goh', mobile: '+6591234567', department: 'Ops' };
    expect(await call(flaky, 'submitRegistration', form)).toMatchObject({
      ok: false,
      error: { code: 'BACKEND_UNREACHABLE' },
    });
    expect(posts).toBe(3);

    const restarted = host({ dataDir }, store);
    expect((await ok<JourneyState>(restarted, 'getJourney')).step).toBe('register');
    const j = await ok<JourneyState>(restarted, 'submitRegistration', form);
    expect(j).toMatchObject({ step: 'account-created', username });
    const outbox = await backend().outbox();
    expect(outbox.filter((m) => m.template === 'N-ONBOARD' && m.to === email)).toHaveLength(1);
    expect(
      outbox.filter((m) => m.template === 'N-INITPWD' && m.data.loginId === `${username}@techpass.gov.sg`),
    ).toHaveLength(1);
  });

  it('runSeedCheck runs the real device checks with the signed-in account’s facts; the report exports', async () => {
    const h = host();
    const { token } = await backend().invite({ seedRequested: true });
    await ok(h, 'openInvitation', { link: token });
    const username = `ace${Date.now() % 1_000_000}`;
    const password = 'Cobalt-Finch-52-Tundra';
    await ok(h, 'submitRegistration', {
      username,
      firstName: 'Ace',
      lastName: 'Yeo',
      mobile: '+6591234567',
      department: 'Ops',
      password,
    });
    await ok(h, 'signIn', { loginId: username, password });
    const report = await ok<{ verdict: string; checks: { id: string; status: string; evidence: string }[] }>(
      h,
      'runSeedCheck',
    );
    const acc = report.checks.filter((c) => c.id.startsWith('ACC-'));
    expect(acc.length).toBeGreaterThanOrEqual(5);
    // The account facts reached the checks: ACC-1 (activation) knows the account is still PENDING.
    expect(acc.find((c) => c.id === 'ACC-1')?.status).not.toBe('UNKNOWN');
    expect(report.verdict).toBe('BLOCKED');
    expect((await ok<JourneyState>(h, 'getJourney')).seedReport?.verdict).toBe('BLOCKED');
    const html = await ok<{ saved: boolean; content: string; mimeType: string }>(h, 'exportSeedReport', {
      format: 'html',
    });
    expect(html).toMatchObject({ saved: false, mimeType: 'text/html' });
    expect(html.content).toContain('ACC-1');
    expect(html.content).not.toContain(password);
  });
});

describe('host services: the mobile check the wizard asks as the user types', () => {
  it('answers from the shared rule, in the contract’s shape, with the example and the typed country', async () => {
    const h = host();
    const short = await ok<unknown>(h, 'checkMobileNumber', { input: '+861380013800', country: 'SG' });
    expect(contract.checkMobileNumber.response.parse(short)).toEqual({
      check: { valid: false, country: 'CN', callingCode: '86', isChina: true, nationalDigits: 10, problem: 'invalid' },
      example: { national: '131 2345 6789', international: '+86 131 2345 6789', digits: 11 },
      typedCountry: 'CN',
      typedCallingCode: '86',
    });
    const valid = await ok<unknown>(h, 'checkMobileNumber', { input: '+6591234567', country: 'SG' });
    expect(valid).toMatchObject({ check: { valid: true, e164: '+6591234567', country: 'SG' }, grouped: '9123 4567' });
    const national = await ok<unknown>(h, 'checkMobileNumber', { input: '98765', country: 'IN' });
    expect(national).toMatchObject({
      check: { valid: false, problem: 'too-short', country: 'IN' },
      example: { national: '81234 56789' },
    });
  });

  it('refuses what is not a country code or is too long to be a number', async () => {
    const h = host();
    expect(await call(h, 'checkMobileNumber', { input: '+6591234567', country: 'Singapore' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call(h, 'checkMobileNumber', { input: '9'.repeat(65) })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });
});
