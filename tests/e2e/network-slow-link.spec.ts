import { expect as baseExpect, type Page } from '@playwright/test';
import type { BackendApi } from './support/backend-api';
import { test as base } from './support/fixtures';
import { startTestNetwork, StepTimer, type TestNetwork } from './support/network';
import { INITIAL_STRONG_PASSWORD, STEP_TITLES, Wizard } from './support/wizard';

/**
 * The journey on an offshore link: every round trip through the proxy is delayed (3 s; 10 s for sign-in alone), with
 * TLS inspection by a CA given through NODE_EXTRA_CA_CERTS and the backend's name resolvable only via the proxy.
 * A slow answer must not be a failure, nothing may happen twice (one account, one session per sign-in, one SMS per
 * send, checked at the backend's side of the TLS front), and a timeout never clears what the user typed.
 */

const test = base.extend<{ delayMs: number; net: TestNetwork }>({
  delayMs: [0, { option: true }],
  net: async ({ world, delayMs }, use) => {
    const net = await startTestNetwork(world.api.baseUrl, { delayMs });
    await use(net);
    await net.close();
  },
  hostEnv: async ({ net }, use) =>
    use({
      HTTPS_PROXY: net.proxy.url,
      NO_PROXY: '',
      NODE_EXTRA_CA_CERTS: net.ca.caFile,
      TECHPASS_BACKEND_URL: net.backendUrl,
    }),
});

/** Step transitions on a slow link take several round trips: waits sized for them. */
const expect = baseExpect.configure({ timeout: 90_000 });
const label = (page: Page, text: string) =>
  page.getByLabel(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(required\\))?$`));

async function journey(page: Page, backend: BackendApi, net: TestNetwork, delayMs: number) {
  const wizard = new Wizard(page);
  const timer = new StepTimer();
  const invitation = await backend.invite({ passwordDelivery: 'self_set', businessOperation: 'onshore' });
  const username = `slow${delayMs / 1000}.${Date.now().toString(36)}`;
  // 91… is always a valid Singapore mobile (+65 99… is not, in libphonenumber's metadata).
  const mobile = `91${String(Date.now() + delayMs).slice(-6)}`;

  await expect(page.getByTestId('backend-status')).toContainText('Connected');
  timer.mark('open the app (service status)');

  await page.getByRole('button', { name: 'I have an invitation email' }).click();
  await label(page, 'Registration link or code').fill(invitation.registrationUrl);
  await page.getByRole('button', { name: 'Open invitation' }).click();
  await expect(wizard.heading(STEP_TITLES.register)).toBeVisible();
  timer.mark('open the invitation');

  await wizard.fillRegistration({ username, mobile, password: INITIAL_STRONG_PASSWORD });
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(wizard.heading(STEP_TITLES.accountCreated)).toBeVisible();
  timer.mark('register');

  await page.getByRole('button', { name: 'Sign in now' }).click();
  await expect(wizard.heading(STEP_TITLES.signIn)).toBeVisible();
  await label(page, 'TechPass ID (username)').fill(username);
  await label(page, 'Password').fill(INITIAL_STRONG_PASSWORD);
  const signInStarted = Date.now();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (delayMs >= 3000) {
    // Two round trips at least: the wizard says it is slow and still working, with the password still in its field.
    await expect(
      page.getByRole('status').filter({ hasText: 'The connection is slow; the app is still working.' }),
    ).toBeVisible();
    await expect(label(page, 'Password')).toHaveValue(INITIAL_STRONG_PASSWORD);
  }
  await expect(wizard.heading(STEP_TITLES.authenticator)).toBeVisible();
  timer.mark('sign in');
  baseExpect(Date.now() - signInStarted).toBeGreaterThanOrEqual(delayMs);

  const secret = await wizard.readSetupKey();
  timer.mark('authenticator: QR code and key');
  await label(page, '6-digit code from the app').fill(await backend.totp(secret));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await expect(wizard.heading(STEP_TITLES.phone)).toBeVisible();
  timer.mark('authenticator: verify code');

  await label(page, 'Country code').selectOption({ label: 'Singapore (+65)' });
  await page.getByRole('textbox', { name: /^Mobile number/ }).fill(mobile);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'We sent a 6-digit code' })).toBeVisible();
  timer.mark('phone: send code');
  const sms = await backend.latest({ to: `+65${mobile}`, channel: 'sms', template: 'N-PHONE-CODE' });
  await label(page, '6-digit code from the SMS').fill(String(sms.data.code));
  await page.getByRole('button', { name: 'Verify phone' }).click();
  await expect(wizard.heading(STEP_TITLES.terms)).toBeVisible();
  timer.mark('phone: verify code');

  // Nothing happened twice, counted where the backend answered (behind the TLS front).
  const posts = (path: RegExp) =>
    net.front.records.filter((r) => r.method === 'POST' && path.test(r.path) && r.status < 300);
  baseExpect(posts(/^\/v1\/registrations\//).filter((r) => !r.replayed)).toHaveLength(1);
  baseExpect((await backend.account(username)).username).toBe(username);
  const sessions = new Set(posts(/^\/v1\/sessions$/).map((r) => r.sessionToken));
  baseExpect(sessions.size).toBe(1);
  baseExpect(posts(/^\/v1\/me\/phone$/).filter((r) => !r.replayed)).toHaveLength(1);
  baseExpect(await backend.messages({ to: `+65${mobile}`, template: 'N-PHONE-CODE' })).toHaveLength(1);
  // Every state-changing POST carried an Idempotency-Key, sign-in included.
  baseExpect(net.front.records.filter((r) => r.method === 'POST' && !r.idempotencyKey).map((r) => r.path)).toEqual([]);
  // The backend's name went only to the proxy (CONNECT), never resolved by the host.
  baseExpect(net.proxy.connects.every((c) => c.startsWith('techpass.test:'))).toBe(true);
  return timer;
}

for (const delayMs of [0, 3000]) {
  test.describe(`${delayMs / 1000} s per round trip`, () => {
    test.use({ delayMs });
    test(`registration → sign-in → authenticator → phone through the proxy: one account, one session, one SMS`, async ({
      app,
      backend,
      net,
    }, testInfo) => {
      test.setTimeout(delayMs ? 300_000 : 90_000);
      const timer = await journey(app.page, backend, net, delayMs);
      const table = timer.table(`round trip ${delayMs / 1000} s:`);
      console.log(table);
      await testInfo.attach('time-per-step.txt', { body: table, contentType: 'text/plain' });
    });
  });
}

test.describe('10 s per round trip', () => {
  test.use({ delayMs: 10_000 });
  test('sign-in still succeeds or says plainly the link is too slow, with the password still in its field', async ({
    app,
    backend,
    net,
  }, testInfo) => {
    test.setTimeout(300_000);
    const page = app.page;
    const wizard = new Wizard(page);
    const user = await backend.registeredUser('slow10');
    const timer = new StepTimer();
    await expect(page.getByTestId('backend-status')).toContainText('Connected');
    timer.mark('open the app (service status)');
    await page.getByRole('button', { name: 'I already have a TechPass account: sign in' }).click();
    await expect(wizard.heading(STEP_TITLES.signIn)).toBeVisible();
    await label(page, 'TechPass ID (username)').fill(user.username);
    await label(page, 'Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'The connection is slow; the app is still working.' }),
    ).toBeVisible();
    await expect(label(page, 'Password')).toHaveValue(user.password);
    const outcome = await Promise.race([
      wizard
        .heading(STEP_TITLES.authenticator)
        .waitFor({ timeout: 240_000 })
        .then(() => 'signed-in' as const),
      page
        .getByRole('alert')
        .filter({ hasText: 'too slow' })
        .waitFor({ timeout: 240_000 })
        .then(() => 'too-slow' as const),
    ]);
    timer.mark(outcome === 'signed-in' ? 'sign in (signed in)' : 'sign in (too slow)');
    if (outcome === 'too-slow') await expect(label(page, 'Password')).toHaveValue(user.password);
    const sessions = new Set(
      net.front.records
        .filter((r) => r.method === 'POST' && r.path === '/v1/sessions' && r.sessionToken)
        .map((r) => r.sessionToken),
    );
    baseExpect(sessions.size).toBeLessThanOrEqual(1);
    if (outcome === 'signed-in') baseExpect(sessions.size).toBe(1);
    const table = timer.table('round trip 10 s:');
    console.log(table);
    await testInfo.attach('time-per-step.txt', { body: table, contentType: 'text/plain' });
  });
});
