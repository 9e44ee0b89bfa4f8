import type { BackendApi } from './support/backend-api';
import { expect, test } from './support/fixtures';
import { STEP_TITLES, Wizard } from './support/wizard';

/** A 6-digit code the backend refuses now: none of the codes it accepts (one 30 s step either way). */
async function wrongCode(backend: BackendApi, secret: string): Promise<string> {
  const accepted = new Set(await Promise.all([-1, 0, 1].map((step) => backend.totp(secret, step))));
  let n = 123456;
  while (accepted.has(String(n))) n += 1;
  return String(n);
}

test.describe('authenticator codes', () => {
  test('a wrong code says so and keeps the user on the step with the same key; the right code then enrols', async ({
    app,
    backend,
  }) => {
    const wizard = new Wizard(app.page);
    const user = await backend.registeredUser('wrongcode');
    await wizard.signInFromWelcome();
    await wizard.signIn(user.username, user.password);

    const secret = await wizard.readSetupKey();
    await wizard.submitAuthenticatorCode(await wrongCode(backend, secret));

    // An authenticator code cannot be sent again: wait for the next one, and check the phone's clock.
    await expect(wizard.alert('That authenticator code is not right.')).toBeVisible();
    await expect(wizard.alert('Wait for the next code in your authenticator app and enter it.')).toBeVisible();
    await expect(wizard.alert('check that your phone sets its date and time automatically')).toBeVisible();
    await expect(wizard.alert(/ask for a new/i)).toHaveCount(0);
    await wizard.expectStep(STEP_TITLES.authenticator);
    // The same enrolment: the key the user typed into the app is still the one on screen.
    expect(await wizard.readSetupKey()).toBe(secret);
    await wizard.expectAccessible();

    await wizard.submitAuthenticatorCode(await backend.totp(secret));
    await wizard.expectStep(STEP_TITLES.phone);
    expect((await backend.account(user.username)).state).toBe('ACTIVE');
  });

  test('a code already used is refused: the enrolment code replayed at the next sign-in, then the next code works', async ({
    app,
    backend,
  }) => {
    const wizard = new Wizard(app.page);
    const user = await backend.registeredUser('replay');
    await wizard.signInFromWelcome();
    await wizard.signIn(user.username, user.password);

    const secret = await wizard.readSetupKey();
    const enrolmentCode = await backend.totp(secret);
    await wizard.submitAuthenticatorCode(enrolmentCode);
    await wizard.expectStep(STEP_TITLES.phone);

    // As on another computer: the app forgets where the user is, they sign in again with the code still on the phone.
    await wizard.startOver();
    await app.page.getByRole('button', { name: 'I already have a TechPass account: sign in' }).click();
    await wizard.expectStep(STEP_TITLES.signIn);
    await wizard.signIn(user.username, user.password);
    await wizard.enterMfaCode(enrolmentCode);

    await expect(wizard.alert('That code was already used.')).toBeVisible();
    await expect(wizard.alert('Wait for the next code and enter it.')).toBeVisible();
    await wizard.expectStep(STEP_TITLES.mfa);

    await wizard.enterMfaCode(await backend.totp(secret, 1));
    // Signed in: the journey continues where the account is (the phone is still to verify).
    await wizard.expectStep(STEP_TITLES.phone);
  });

  test.describe('clock drift', () => {
    test.beforeEach(async ({ world }) => {
      // A fresh test clock (other journeys in this worker may have moved it): no drift until this test makes one.
      await world.stopBackend();
      await world.startBackend();
    });
    test.afterEach(async ({ world }) => {
      await world.stopBackend();
      await world.startBackend();
    });

    test('the service clock minutes ahead of the computer: the authenticator step warns without blocking', async ({
      app,
      backend,
    }) => {
      test.setTimeout(60_000); // includes restarting the backend before and after
      const wizard = new Wizard(app.page);
      const warning = app.page.getByRole('note').filter({ hasText: 'Your computer clock is' });

      // In step: no warning.
      const inStep = await backend.registeredUser('nodrift');
      await wizard.signInFromWelcome();
      await wizard.signIn(inStep.username, inStep.password);
      await wizard.readSetupKey();
      await expect(warning).toHaveCount(0);

      // Five minutes apart: the computer is behind the service.
      await wizard.startOver();
      const drifting = await backend.registeredUser('drift');
      await backend.advanceClock(5 * 60);
      await app.page.getByRole('button', { name: 'I already have a TechPass account: sign in' }).click();
      await wizard.signIn(drifting.username, drifting.password);
      const secret = await wizard.readSetupKey();
      await expect(warning).toContainText(/Your computer clock is (29\d|30\d) seconds behind the TechPass service\./);
      await expect(warning).toContainText('set your clock to update automatically');
      await wizard.expectAccessible();

      // Not blocking: a code from an app whose phone keeps the right time still enrols.
      await wizard.submitAuthenticatorCode(await backend.totp(secret));
      await wizard.expectStep(STEP_TITLES.phone);
    });
  });
});
