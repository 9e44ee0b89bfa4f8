import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import type { JourneyState, StepId } from '../../shared/contract';
import type { SeedReport } from '../../shared/domain/seed-report';
import { dispatch } from './dispatch';
import type { Host } from './host-services';
import { testHost } from './test-support/test-host';
import { Vault, type SecretStore, type VaultKey } from './vault';
import { backendForSuite } from './test-support/suite';

/**
 * The whole journey through the host's contract, against the real backend, quitting the host after every step: a new
 * host over the same data dir and the same keychain must come back on the same step, with nothing re-sent. Then the
 * data dir (progress file and host log) must hold none of the secrets that passed through.
 */

const backend = backendForSuite();

/** Stands in for the OS keychain: survives "restarts" of the host, and records every secret it was given. */
function keychain(): SecretStore & { data: Map<VaultKey, string>; everStored: Set<string> } {
  const data = new Map<VaultKey, string>();
  const everStored = new Set<string>();
  return {
    data,
    everStored,
    get: async (k) => data.get(k) ?? null,
    set: async (k, v) => {
      data.set(k, v);
      everStored.add(v);
    },
    delete: async (k) => void data.delete(k),
  };
}

const fakeReport: SeedReport = {
  verdict: 'READY',
  checks: [
    {
      id: 'SEED-01',
      status: 'PASS',
      title: 'Supported OS',
      evidence: 'Debian 12',
      remediation: '',
      needsElevation: false,
    },
  ],
  durationMs: 5,
  platform: 'linux',
  generatedAt: '2026-11-30T10:00:00.000Z',
};

async function call<T>(host: Host, method: string, payload: unknown = {}): Promise<T> {
  const env = await dispatch(host.handlers, method, payload);
  if (!env.ok) throw new Error(`${method} failed: ${env.error.code}`);
  return env.result as T;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('onboarding journey (SMS password, SEED provisioned) against the real backend', () => {
  it('resumes at the same step after a quit at every step, re-sends nothing, and leaves no secret in the data dir or logs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-host-journey-'));
    const store = keychain();
    const hosts: Host[] = [];
    const start = (): Host => {
      const host = testHost(backend().url, dataDir, {
        vault: new Vault(store, 'linux'),
        seedChecks: {
          run: async () => fakeReport,
          render: (r, f) => (f === 'json' ? JSON.stringify(r) : `verdict ${r.verdict}`),
        },
      });
      hosts.push(host);
      return host;
    };
    const stepsSeen: StepId[] = [];
    let host = start();
    /** Quit and start again; the journey must be on the same step, and the outbox must not have grown. */
    const quitAndResume = async (expected: StepId): Promise<JourneyState> => {
      const before = (await backend().outbox()).length;
      host = start();
      const journey = await call<JourneyState>(host, 'getJourney');
      expect(journey.step, `after a restart at ${expected}`).toBe(expected);
      expect((await backend().outbox()).length, `nothing re-sent after a restart at ${expected}`).toBe(before);
      stepsSeen.push(journey.step);
      return journey;
    };
    const totp = async (secret: string) =>
      generateSync({ secret, epoch: Math.floor((await backend().serverNow()).getTime() / 1000) });

    try {
      const { token, email } = await backend().invite({ passwordDelivery: 'sms', seedRequested: true });
      const registrationUrl = (await backend().outbox())
        .filter((m) => m.template === 'N-REG-LINK' && m.to === email)
        .pop()?.data.registrationUrl;

      // welcome
      expect((await call<JourneyState>(host, 'getJourney')).step).toBe('welcome');
      await quitAndResume('welcome');

      // register: opened from the link in the email
      expect((await call<JourneyState>(host, 'navigate', { to: 'register' })).step).toBe('register');
      const opened = await call<JourneyState>(host, 'openInvitation', {
        link: typeof registrationUrl === 'string' ? registrationUrl : token,
      });
      expect(opened).toMatchObject({ step: 'register', invitation: { passwordDelivery: 'sms', seedRequested: true } });
      const resumedRegister = await quitAndResume('register');
      expect(resumedRegister.invitation?.emailMasked).toBe(opened.invitation?.emailMasked);

      // account-created
      const username = `jane${Date.now() % 1_000_000}`;
      const created = await call<JourneyState>(host, 'submitRegistration', {
        username,
        firstName: 'Jane',
        lastName: 'Tan',
        mobile: '+65 9123 4567',
        department: 'Engineering',
      });
      expect(created).toMatchObject({
        step: 'account-created',
        loginId: `${username}@techpass.gov.sg`,
        seed: { state: 'PROVISIONED' },
      });
      expect(created.registration?.smsSentTo).toBe('+65 ••••4567');
      expect(store.data.has('registration-token')).toBe(false);
      await quitAndResume('account-created');

      // sign-in
      expect((await call<JourneyState>(host, 'navigate', { to: 'sign-in' })).step).toBe('sign-in');
      await quitAndResume('sign-in');
      const loginId = `${username}@techpass.gov.sg`;
      const initialPassword = (await backend().outbox())
        .filter((m) => m.template === 'N-INITPWD' && m.data.loginId === loginId)
        .pop()?.data.password as string;
      expect(initialPassword).toBeTruthy();
      const signedIn = await call<{ status: string; journey: JourneyState }>(host, 'signIn', {
        loginId: username,
        password: initialPassword,
      });
      expect(signedIn.status).toBe('signed_in');
      expect(signedIn.journey).toMatchObject({
        step: 'authenticator',
        signedIn: true,
        requiredActions: ['authenticator', 'phone', 'password', 'terms'],
      });
      await quitAndResume('authenticator');

      // authenticator
      const enrolment = await call<{ secret: string; otpauthUri: string }>(host, 'startAuthenticatorEnrolment');
      expect(enrolment.otpauthUri).toContain('otpauth://totp/TechPass:');
      expect((await call<JourneyState>(host, 'verifyAuthenticator', { code: await totp(enrolment.secret) })).step).toBe(
        'phone',
      );
      const atPhone = await quitAndResume('phone');
      // the number given at registration comes with the phone step (the wizard prefills it; the user may change it)
      expect(atPhone.registeredMobile).toBe('+6591234567');

      // phone: the code sent before the quit is shown after it, not sent again
      const sent = await call<{ sentTo: string }>(host, 'sendPhoneCode', { mobile: '+65 9123 4567' });
      expect(sent.sentTo).toBe('+65 ••••4567');
      const phoneResumed = await quitAndResume('phone');
      expect(phoneResumed.phoneCode?.sentTo).toBe('+65 ••••4567');
      const code = (await backend().outbox())
        .filter((m) => m.channel === 'sms' && m.to === '+6591234567' && typeof m.data.code === 'string')
        .pop()?.data.code as string;
      expect((await call<JourneyState>(host, 'verifyPhoneCode', { code })).step).toBe('password');
      await quitAndResume('password');

      // password (SMS variant)
      const newPassword = `Quiet-Harbour-${Date.now() % 10_000}-Lantern`;
      expect(
        (await call<JourneyState>(host, 'changePassword', { currentPassword: initialPassword, newPassword })).step,
      ).toBe('terms');
      await quitAndResume('terms');

      // terms: every required document, MDM AUP included (SEED provisioned)
      const terms = await call<{ id: string; version: string; required: boolean; accepted: boolean }[]>(
        host,
        'getTerms',
      );
      expect(
        terms
          .filter((t) => t.required)
          .map((t) => t.id)
          .sort(),
      ).toEqual(['mdm-aup', 'privacy', 'terms-of-use']);
      let afterTerms: JourneyState | undefined;
      for (const t of terms.filter((d) => d.required))
        afterTerms = await call<JourneyState>(host, 'acceptTerm', { id: t.id, version: t.version });
      expect(afterTerms?.step).toBe('verify');
      expect(afterTerms?.onboardingComplete).toBe(true);
      await quitAndResume('verify');

      // verify: sign out, sign in again with the new password and a fresh authenticator code
      await backend().advanceClock(60); // the next 30 s step: a TOTP code is never accepted twice
      const verified = await call<JourneyState>(host, 'verifySignIn', {
        loginId,
        password: newPassword,
        code: await totp(enrolment.secret),
      });
      expect(verified).toMatchObject({ step: 'verify', verified: true, signedIn: true });
      const verifyResumed = await quitAndResume('verify');
      expect(verifyResumed.verified).toBe(true);

      // device-check (SEED provisioned)
      expect((await call<JourneyState>(host, 'navigate', { to: 'device-check' })).step).toBe('device-check');
      await quitAndResume('device-check');
      const report = await call<SeedReport>(host, 'runSeedCheck');
      expect(report.verdict).toBe('READY');
      const exported = await call<{ saved: boolean; content?: string; filename: string }>(host, 'exportSeedReport', {
        format: 'json',
      });
      expect(exported).toMatchObject({
        saved: false,
        filename: 'seed-check-2026-11-30T10-00-00Z.json',
        content: JSON.stringify(fakeReport),
      });
      const sessionTokens = [...store.everStored];

      // done: the vault is wiped
      expect((await call<JourneyState>(host, 'navigate', { to: 'done' })).step).toBe('done');
      const done = await call<JourneyState>(host, 'finishOnboarding');
      expect(done).toMatchObject({ step: 'done', signedIn: false });
      expect(store.data.size).toBe(0);
      await quitAndResume('done');

      expect(stepsSeen).toEqual([
        'welcome',
        'register',
        'account-created',
        'sign-in',
        'authenticator',
        'phone',
        'phone',
        'password',
        'terms',
        'verify',
        'verify',
        'device-check',
        'done',
      ]);

      // No secret anywhere in the data dir (progress file, host log).
      const files = walk(dataDir);
      expect(files.some((f) => f.endsWith('host.log'))).toBe(true);
      expect(files.some((f) => f.endsWith('onboarding-progress.json'))).toBe(true);
      const secrets: Record<string, string> = {
        'initial password': initialPassword,
        'new password': newPassword,
        'TOTP secret': enrolment.secret,
        'registration token': token,
      };
      sessionTokens.forEach((t, i) => (secrets[`stored secret #${i}`] = t));
      expect(sessionTokens.length).toBeGreaterThanOrEqual(2); // registration token + at least one session token
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const [what, value] of Object.entries(secrets))
          expect(text.includes(value), `${what} found in ${file}`).toBe(false);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('self-set password, no SEED: no password step, MFA sign-in survives a restart, verify leads straight to done', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'techpass-host-journey-'));
    const store = keychain();
    const start = (): Host => testHost(backend().url, dataDir, { vault: new Vault(store, 'linux') });
    const totp = async (secret: string) =>
      generateSync({ secret, epoch: Math.floor((await backend().serverNow()).getTime() / 1000) });
    try {
      let host = start();
      const { token } = await backend().invite({ passwordDelivery: 'self_set', seedRequested: false });
      await call(host, 'openInvitation', { link: `techpass-onboarding://register?token=${token}` });
      const username = `kai${Date.now() % 1_000_000}`;
      const password = 'Silver-Otter-64-Canyon';
      const created = await call<JourneyState>(host, 'submitRegistration', {
        username,
        firstName: 'Kai',
        lastName: 'Ong',
        mobile: '+8613800138000',
        department: 'Data',
        password,
      });
      expect(created).toMatchObject({
        step: 'account-created',
        passwordDelivery: 'self_set',
        seed: { state: 'NOT_REQUIRED' },
      });
      expect(created.registration?.smsSentTo).toBeUndefined();
      await call(host, 'navigate', { to: 'sign-in' });
      const first = await call<{ status: string; journey: JourneyState }>(host, 'signIn', {
        loginId: username,
        password,
      });
      expect(first.journey.requiredActions).toEqual(['authenticator', 'phone', 'terms']);
      const enrolment = await call<{ secret: string }>(host, 'startAuthenticatorEnrolment');
      // The same enrolment while the step lasts (the user may already have scanned the QR code).
      expect((await call<{ secret: string }>(host, 'startAuthenticatorEnrolment')).secret).toBe(enrolment.secret);
      expect((await call<JourneyState>(host, 'verifyAuthenticator', { code: await totp(enrolment.secret) })).step).toBe(
        'phone',
      );

      // Sign out and in again: now a second factor is due; quitting in between keeps the pending MFA.
      expect((await call<JourneyState>(host, 'signOut')).step).toBe('sign-in');
      expect(store.data.size).toBe(0);
      const second = await call<{ status: string; journey: JourneyState }>(host, 'signIn', {
        loginId: `${username}@techpass.gov.sg`,
        password,
      });
      expect(second).toMatchObject({
        status: 'mfa_required',
        journey: { step: 'sign-in', mfaPending: true, signedIn: false },
      });
      host = start();
      expect(await call<JourneyState>(host, 'getJourney')).toMatchObject({ step: 'sign-in', mfaPending: true });
      await backend().advanceClock(60);
      expect((await call<JourneyState>(host, 'submitMfaCode', { code: await totp(enrolment.secret) })).step).toBe(
        'phone',
      );

      await call(host, 'sendPhoneCode', { mobile: '+8613800138000' });
      const code = (await backend().outbox())
        .filter((m) => m.channel === 'sms' && m.to === '+8613800138000' && typeof m.data.code === 'string')
        .pop()?.data.code as string;
      expect((await call<JourneyState>(host, 'verifyPhoneCode', { code })).step).toBe('terms');
      const terms = await call<{ id: string; version: string; required: boolean }[]>(host, 'getTerms');
      expect(
        terms
          .filter((t) => t.required)
          .map((t) => t.id)
          .sort(),
      ).toEqual(['privacy', 'terms-of-use']);
      for (const t of terms.filter((d) => d.required)) await call(host, 'acceptTerm', { id: t.id, version: t.version });
      expect((await call<{ accepted: boolean }[]>(host, 'getTerms')).every((t) => t.accepted)).toBe(true);
      await backend().advanceClock(60);
      const verified = await call<JourneyState>(host, 'verifySignIn', {
        loginId: username,
        password,
        code: await totp(enrolment.secret),
      });
      expect(verified).toMatchObject({ step: 'verify', verified: true });
      // No SEED: device-check is not offered.
      expect((await dispatch(host.handlers, 'navigate', { to: 'device-check' })).ok).toBe(false);
      expect((await call<JourneyState>(host, 'finishOnboarding')).step).toBe('done');
      expect(store.data.size).toBe(0);
      expect((await call<JourneyState>(start(), 'getJourney')).step).toBe('done');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
