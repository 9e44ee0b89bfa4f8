import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JourneyState } from '../../shared/contract';
import { dispatch } from './dispatch';
import type { Host } from './host-services';
import { PROGRESS_FILE } from './onboarding-session';
import { testHost } from './test-support/test-host';
import { Vault } from './vault';
import { backendForSuite, memorySecretStore, tempDirsPerTest } from './test-support/suite';

/**
 * A registration link opened from outside the app (OS deep link, the web host's /deeplink) while a journey is in
 * progress: nothing changes (progress file, keychain, server session) until the user answers in the wizard.
 */
const backend = backendForSuite();
const tempDir = tempDirsPerTest('techpass-deeplink-confirm');

async function ok<T>(host: Host, method: string, payload: unknown = {}): Promise<T> {
  const env = await dispatch(host.handlers, method, payload);
  if (!env.ok) throw new Error(`${method} failed: ${env.error.code}`);
  return env.result as T;
}

function setup() {
  const dataDir = tempDir();
  const store = memorySecretStore();
  const vault = new Vault(store, 'linux');
  const host = testHost(backend().url, dataDir, { vault });
  const progress = () => readFileSync(join(dataDir, PROGRESS_FILE), 'utf8');
  return { host, data: store.data, progress };
}

const link = (token: string) => `techpass-onboarding://register?token=${token}`;

describe('a deep link during a journey', () => {
  it('signed in mid-journey: a new invitation changes nothing until the user agrees; declining keeps everything', async () => {
    const { host, data, progress } = setup();
    const first = await backend().invite();
    await ok(host, 'openInvitation', { link: first.token });
    const username = `dl${Date.now().toString(36)}`;
    const password = 'Amber-Willow-58-Cactus';
    await ok(host, 'submitRegistration', {
      username,
      firstName: 'Ana',
      lastName: 'Lim',
      mobile: '+6591234567',
      department: 'Ops',
      password,
    });
    await ok(host, 'signIn', { loginId: `${username}@techpass.gov.sg`, password });
    const before = {
      progress: progress(),
      session: data.get('session-token'),
      journey: await ok<JourneyState>(host, 'getJourney'),
    };
    expect(before.journey.step).toBe('authenticator');

    const second = await backend().invite();
    const changes: number[] = [];
    host.onJourneyChanged(() => changes.push(1));
    expect(await host.handleOsDeepLink(link(second.token))).toBe(true);
    expect(changes).toHaveLength(1); // the window is told, so it can ask
    const asking = await ok<JourneyState>(host, 'getJourney');
    expect(asking.pendingInvitation?.emailMasked).toBeTruthy();
    expect(asking.pendingInvitation?.emailMasked).not.toContain(second.email); // masked
    expect(asking.step).toBe('authenticator');
    // Nothing wiped or replaced: progress on disk, keychain, and the server session all as before.
    expect(progress()).toBe(before.progress);
    expect(data.get('session-token')).toBe(before.session);
    expect(data.get('registration-token')).toBeUndefined();
    expect((await backend().call('GET', '/v1/me', undefined, before.session)).status).toBe(200);
    // Other calls keep showing the question until it is answered.
    expect((await ok<JourneyState>(host, 'navigate', { to: 'authenticator' })).pendingInvitation).toBeDefined();

    const kept = await ok<JourneyState>(host, 'answerPendingInvitation', { accept: false });
    expect(kept.pendingInvitation).toBeUndefined();
    expect(kept.step).toBe('authenticator');
    expect(data.get('session-token')).toBe(before.session);
    expect((await backend().call('GET', '/v1/me', undefined, before.session)).status).toBe(200);

    // Asked again, and this time the user continues with the new invitation: only now is the old journey replaced.
    await host.handleOsDeepLink(link(second.token));
    const replaced = await ok<JourneyState>(host, 'answerPendingInvitation', { accept: true });
    expect(replaced.step).toBe('register');
    expect(replaced.pendingInvitation).toBeUndefined();
    expect(replaced.signedIn).toBe(false);
    expect(data.get('registration-token')).toBe(second.token);
    expect((await backend().call('GET', '/v1/me', undefined, before.session)).status).toBe(401);
  });

  it('no journey yet, or the same invitation again: applied at once, no question', async () => {
    const { host } = setup();
    const inv = await backend().invite();
    await host.handleOsDeepLink(link(inv.token));
    const j = await ok<JourneyState>(host, 'getJourney');
    expect(j.step).toBe('register');
    expect(j.pendingInvitation).toBeUndefined();
    await host.handleOsDeepLink(link(inv.token));
    expect((await ok<JourneyState>(host, 'getJourney')).pendingInvitation).toBeUndefined();
  });

  it('an unusable link during a journey is reported, not asked about', async () => {
    const { host } = setup();
    const inv = await backend().invite();
    await ok(host, 'openInvitation', { link: inv.token });
    await host.handleOsDeepLink(link('AAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    const j = await ok<JourneyState>(host, 'getJourney');
    expect(j.pendingInvitation).toBeUndefined();
    expect(j.linkError).toBeDefined();
    expect(j.step).toBe('register');
  });
});
