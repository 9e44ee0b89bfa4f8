import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JourneyState } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import type { Host } from '../host-services';
import { silentLogger } from '../host-log';
import { testHost } from '../test-support/test-host';
import { Vault, type SecretStore } from '../vault';
import { PROGRESS_FILE } from './progress-store';
import { backendForSuite, tempDirsPerTest, memorySecretStore } from '../test-support/suite';

/**
 * Saved progress belongs to one backend and one account: a new backend, another account's sign-in, or a new
 * invitation after Done must never open on the previous user's "Your account is ready".
 */
const backend = backendForSuite();

const tempDir = tempDirsPerTest('techpass-binding');

/** A keychain that survives host restarts and records what was asked of it. */
const keychain = memorySecretStore;

function host(dataDir: string, store: SecretStore, url = backend().url, fetchImpl?: typeof fetch): Host {
  return testHost(url, dataDir, {
    vault: new Vault(store, 'linux'),
    log: silentLogger,
    ...(fetchImpl ? { fetchImpl } : {}),
  });
}

async function ok<T>(h: Host, method: string, payload: unknown = {}): Promise<T> {
  const env = await dispatch(h.handlers, method, payload);
  if (!env.ok) throw new Error(`${method}: ${env.error.code}`);
  return env.result as T;
}

const dataDir = (): string => {
  const d = tempDir();
  return d;
};

/** What the previous user left behind: a finished journey, with a session token still in the keychain. */
function finishedProgress(backendUrl: string | undefined) {
  return {
    version: 1,
    ...(backendUrl ? { backendUrl } : {}),
    step: 'done',
    registration: {
      username: 'previous.user',
      loginId: 'previous.user@techpass.gov.sg',
      passwordDelivery: 'sms',
      activateBy: '2025-01-31T00:00:00.000Z',
      seed: { state: 'PROVISIONED' },
    },
    username: 'previous.user',
    loginId: 'previous.user@techpass.gov.sg',
    accountState: 'ACTIVE',
    requiredActions: [],
    onboardingComplete: true,
    verified: true,
    finished: true,
  };
}

async function registeredAccount(): Promise<{ loginId: string; password: string }> {
  const { token } = await backend().invite();
  const username = `u${Math.random().toString(36).slice(2, 10)}`;
  const password = 'Blue-Kettle-42-Orbit';
  const r = await backend().call('POST', `/v1/registrations/${token}`, {
    username,
    firstName: 'Ann',
    lastName: 'Lee',
    mobile: '+6591234567',
    department: 'Engineering',
    password,
  });
  if (r.status !== 201) throw new Error(`registration failed: ${r.status}`);
  return { loginId: `${username}@techpass.gov.sg`, password };
}

describe('saved progress is bound to its backend and its account', () => {
  it('a new backend starts a new journey: the previous user’s Done is not shown and their keychain secrets are never sent to it', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, PROGRESS_FILE), JSON.stringify(finishedProgress('http://127.0.0.1:9/')));
    const store = keychain();
    store.data.set('session-token', 'token-of-the-old-backend');
    const seen: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      seen.push(String((init?.headers as Record<string, string> | undefined)?.authorization ?? ''));
      return fetch(input, init);
    };
    const h = host(dir, store, backend().url, spy);
    const j = await ok<JourneyState>(h, 'getJourney');
    expect(j).toMatchObject({ step: 'welcome', signedIn: false });
    expect(j.registration).toBeUndefined();
    expect(j.loginId).toBeUndefined();
    expect(seen.some((a) => a.includes('token-of-the-old-backend'))).toBe(false);
    await h.vault.probe();
    expect(store.data.size).toBe(0);
    // A new invitation on the new backend opens registration.
    const { token } = await backend().invite();
    expect(await ok<JourneyState>(h, 'openInvitation', { link: token })).toMatchObject({
      step: 'register',
      invitation: { passwordDelivery: 'self_set' },
    });
    expect(JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8'))).toMatchObject({
      backendUrl: backend().url,
      step: 'register',
    });
  });

  it('progress saved before the binding existed is adopted by the configured backend (an upgrade resumes)', async () => {
    const dir = dataDir();
    const legacy = {
      version: 1,
      step: 'sign-in',
      loginId: 'someone@techpass.gov.sg',
      requiredActions: [],
      acceptedTerms: [],
    };
    writeFileSync(join(dir, PROGRESS_FILE), JSON.stringify(legacy));
    const h = host(dir, keychain());
    expect(await ok<JourneyState>(h, 'getJourney')).toMatchObject({
      step: 'sign-in',
      loginId: 'someone@techpass.gov.sg',
    });
    expect(JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8')).backendUrl).toBe(backend().url);
  });

  it('after Done, a new invitation (pasted or deep link) starts the new journey; "Set up another account" starts over', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, PROGRESS_FILE), JSON.stringify(finishedProgress(backend().url)));
    const h = host(dir, keychain());
    expect(await ok<JourneyState>(h, 'getJourney')).toMatchObject({ step: 'done' });
    const first = await backend().invite({ passwordDelivery: 'sms' });
    const j = await ok<JourneyState>(h, 'openInvitation', { link: `${backend().url}/register/${first.token}` });
    expect(j).toMatchObject({ step: 'register', invitation: { passwordDelivery: 'sms' } });
    expect(j.registration).toBeUndefined();
    expect(j.loginId).toBeUndefined();
    expect(j.verified).toBe(false);

    writeFileSync(join(dir, PROGRESS_FILE), JSON.stringify(finishedProgress(backend().url)));
    const again = host(dir, keychain());
    expect(await ok<JourneyState>(again, 'getJourney')).toMatchObject({ step: 'done' });
    expect(
      await again.handleOsDeepLink(`techpass-onboarding://register?token=${(await backend().invite()).token}`),
    ).toBe(true);
    expect(await ok<JourneyState>(again, 'getJourney')).toMatchObject({ step: 'register', verified: false });

    writeFileSync(join(dir, PROGRESS_FILE), JSON.stringify(finishedProgress(backend().url)));
    const third = host(dir, keychain());
    const fresh = await ok<JourneyState>(third, 'resetJourney');
    expect(fresh).toMatchObject({ step: 'welcome', verified: false });
    expect(fresh.registration).toBeUndefined();
  });

  it('signing in as another account drops the previous account’s progress', async () => {
    const dir = dataDir();
    const previous = finishedProgress(backend().url);
    writeFileSync(
      join(dir, PROGRESS_FILE),
      JSON.stringify({
        ...previous,
        step: 'sign-in',
        finished: false,
        verified: false,
        onboardingComplete: false,
        seedReport: undefined,
      }),
    );
    const h = host(dir, keychain());
    expect(await ok<JourneyState>(h, 'getJourney')).toMatchObject({
      step: 'sign-in',
      loginId: 'previous.user@techpass.gov.sg',
      registration: { username: 'previous.user' },
    });
    const other = await registeredAccount();
    const signed = await ok<{ status: string; journey: JourneyState }>(h, 'signIn', other);
    expect(signed.status).toBe('signed_in');
    expect(signed.journey).toMatchObject({ step: 'authenticator', loginId: other.loginId, signedIn: true });
    expect(signed.journey.registration).toBeUndefined();
    const saved = JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8'));
    expect(saved.loginId).toBe(other.loginId);
    expect(JSON.stringify(saved)).not.toContain('previous.user');
  });
});
