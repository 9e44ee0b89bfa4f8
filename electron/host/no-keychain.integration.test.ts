import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JourneyState } from '../../shared/contract';
import { dispatch } from './dispatch';
import type { Host } from './host-services';
import { testHost } from './test-support/test-host';
import { Vault } from './vault';
import { backendForSuite } from './test-support/suite';

/**
 * Without any OS keychain the session lives in memory only. Quitting mid-journey therefore loses the session: on the
 * next start the journey must say "sign in" (with the keychain problem), never a step that needs the lost session.
 */
const backend = backendForSuite();

async function call<T>(host: Host, method: string, payload: unknown = {}): Promise<T> {
  const env = await dispatch(host.handlers, method, payload);
  if (!env.ok) throw new Error(`${method} failed: ${env.error.code}`);
  return env.result as T;
}

describe('no keychain on this computer', () => {
  it('a restart after signing in resumes at sign-in (the session is gone), and signing in again continues the journey', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-host-nokeychain-'));
    const start = (): Host => testHost(backend().url, dataDir, { vault: new Vault(null, 'linux') });
    try {
      let host = start();
      const { token } = await backend().invite({ passwordDelivery: 'sms' });
      await call<JourneyState>(host, 'openInvitation', { link: token });
      const username = `nokc${Date.now() % 1_000_000}`;
      await call<JourneyState>(host, 'submitRegistration', {
        username,
        firstName: 'Ana',
        lastName: 'Lim',
        mobile: '+65 9876 5432',
        department: 'Engineering',
      });
      await call<JourneyState>(host, 'navigate', { to: 'sign-in' });
      const password = (await backend().outbox()).filter((m) => m.template === 'N-INITPWD').pop()?.data
        .password as string;
      const signedIn = await call<{ journey: JourneyState }>(host, 'signIn', { loginId: username, password });
      expect(signedIn.journey).toMatchObject({ step: 'authenticator', signedIn: true, keychain: { available: false } });
      expect(signedIn.journey.keychain.problem).toMatch(/^linux-(no-secret-service|other)$/);

      host = start(); // quit and start again: the in-memory session is gone
      const resumed = await call<JourneyState>(host, 'getJourney');
      expect(resumed).toMatchObject({ step: 'sign-in', signedIn: false, keychain: { available: false } });

      const again = await call<{ journey: JourneyState }>(host, 'signIn', { loginId: username, password });
      expect(again.journey.step).toBe('authenticator');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
