import { describe, expect, it } from 'vitest';
import type { JourneyState } from '../../shared/contract';
import { dispatch } from './dispatch';
import type { Host } from './host-services';
import { silentLogger } from './host-log';
import { testHost } from './test-support/test-host';
import { Vault } from './vault';
import { backendForSuite, tempDirsPerTest, memorySecretStore } from './test-support/suite';

/** "Send my first password again" through the host's contract, against the real backend. */
const backend = backendForSuite();
const tempDir = tempDirsPerTest('techpass-initpwd');

function host(): Host {
  const store = memorySecretStore();
  const dir = tempDir();
  return testHost(backend().url, dir, { vault: new Vault(store, 'linux'), log: silentLogger });
}

type Envelope<T> =
  | { ok: true; result: T }
  | { ok: false; error: { code: string; fields?: Record<string, unknown>; params?: Record<string, unknown> } };
const call = async <T>(h: Host, method: string, payload: unknown = {}) =>
  (await dispatch(h.handlers, method, payload)) as Envelope<T>;
async function ok<T>(h: Host, method: string, payload: unknown = {}): Promise<T> {
  const r = await call<T>(h, method, payload);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
  return r.result;
}
type Resent = { sentTo: string; sentToday: number; dailyLimit: number; resendAvailableAt: string };

describe('resendInitialPassword (host)', () => {
  it('after registering: uses the registered mobile, invalidates the old password, shows the count, then the cooldown', async () => {
    const h = host();
    const { token } = await backend().invite({ passwordDelivery: 'sms' });
    await ok(h, 'openInvitation', { link: token });
    const username = `ip${Date.now() % 1_000_000}`;
    const mobile = '+6591234001';
    const j = await ok<JourneyState>(h, 'submitRegistration', {
      username,
      firstName: 'Ida',
      lastName: 'Pe',
      mobile,
      department: 'Ops',
    });
    expect(j).toMatchObject({ step: 'account-created', registeredMobile: mobile });
    const first = (await backend().outbox()).filter((m) => m.template === 'N-INITPWD' && m.to === mobile);
    const before = Date.now();
    const sent = await ok<Resent>(h, 'resendInitialPassword', { loginId: username });
    expect(sent).toMatchObject({ sentToday: 1, dailyLimit: 5, sentTo: '+65 ••••4001' });
    expect(new Date(sent.resendAvailableAt).getTime()).toBeGreaterThanOrEqual(before + 59_000);
    const sms = (await backend().outbox()).filter((m) => m.template === 'N-INITPWD' && m.to === mobile);
    expect(sms).toHaveLength(first.length + 1);
    const again = await call(h, 'resendInitialPassword', { loginId: username });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', params: { retryAfterSeconds: expect.any(Number) } },
    });
    // Only the newest password works.
    expect(await call(h, 'signIn', { loginId: username, password: String(first[0]?.data.password) })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
    const signed = await ok<{ status: string }>(h, 'signIn', {
      loginId: username,
      password: String(sms.at(-1)?.data.password),
    });
    expect(signed.status).toBe('signed_in');
  });

  it('on a fresh install the mobile is asked for; an unknown user gets the same answer; an email is refused with the username rule', async () => {
    const h = host();
    const missing = await call(h, 'resendInitialPassword', { loginId: 'someone' });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', fields: { mobile: { code: 'mobile.required' } } },
    });
    const unknown = await ok<Resent>(h, 'resendInitialPassword', { loginId: 'nobody.at.all', mobile: '+65 9123 4002' });
    expect(unknown).toMatchObject({ sentToday: 1, dailyLimit: 5 });
    const email = await call(h, 'resendInitialPassword', { loginId: 'jane@vendor.example.com', mobile: '+6591234003' });
    expect(email).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', fields: { loginId: { code: 'login_id.use_username' } } },
    });
  });
});
