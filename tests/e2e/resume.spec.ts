import { uniqueMobile, uniqueUsername } from './support/backend-api';
import { expect, test } from './support/fixtures';
import { NEW_PASSWORD, STEP_TITLES, Wizard } from './support/wizard';

test('quit and restart at every step: the wizard resumes at the same step, nothing is lost and nothing is sent twice', async ({
  app,
  backend,
}) => {
  test.setTimeout(120_000);
  const page = app.page;
  const wizard = new Wizard(page);
  /** Quits the app and starts it again; the wizard must come back on `title`. */
  const quitAndRestart = async (title: string): Promise<void> => {
    await app.restart();
    await wizard.expectStep(title);
  };
  const count = async (to: string, template: string): Promise<number> =>
    (await backend.messages({ to, template })).length;

  const invitation = await backend.invite({ passwordDelivery: 'sms', businessOperation: 'onshore' });
  const username = uniqueUsername('resume');
  const loginId = `${username}@techpass.gov.sg`;
  const mobile = uniqueMobile();

  // Welcome.
  await quitAndRestart(STEP_TITLES.welcome);

  // Registration: the invitation opened before quitting is still open.
  await wizard.startWithInvitation(invitation.registrationUrl);
  await quitAndRestart(STEP_TITLES.register);
  await expect(page.getByRole('heading', { name: 'Your invitation' })).toBeVisible();
  await wizard.fillRegistration({ username, mobile: mobile.local });
  await wizard.submitRegistration();

  // Account created: the TechPass ID is still shown; the first password was sent once.
  await quitAndRestart(STEP_TITLES.accountCreated);
  await expect(page.getByText(loginId).first()).toBeVisible();
  expect(await count(mobile.e164, 'N-INITPWD')).toBe(1);
  const initialPassword = String((await backend.latest({ to: mobile.e164, template: 'N-INITPWD' })).data.password);

  // Sign in: the TechPass ID is filled in for the user.
  await wizard.goToSignIn();
  await quitAndRestart(STEP_TITLES.signIn);
  await expect(page.getByLabel(/^TechPass ID \(username\)/)).toHaveValue(loginId);
  await wizard.signIn(username, initialPassword);

  // Authenticator: a user who scanned the QR code before quitting keeps the same key.
  const keyBefore = await wizard.readSetupKey();
  await quitAndRestart(STEP_TITLES.authenticator);
  const secret = await wizard.readSetupKey();
  expect(secret).toBe(keyBefore);
  await wizard.submitAuthenticatorCode(await backend.totp(secret));

  // Phone: after "Send code", a restart shows the code already sent instead of sending another.
  await wizard.expectStep(STEP_TITLES.phone);
  await quitAndRestart(STEP_TITLES.phone);
  await page.getByLabel(/^Country code/).selectOption({ label: 'Singapore (+65)' });
  await page.getByRole('textbox', { name: /^Mobile number/ }).fill(mobile.local);
  await page.getByRole('button', { name: 'Send code' }).click();
  const sentNotice = page.getByRole('status').filter({ hasText: 'We sent a 6-digit code' });
  await expect(sentNotice).toBeVisible();
  await quitAndRestart(STEP_TITLES.phone);
  await expect(sentNotice).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send code' })).toHaveCount(0);
  expect(await count(mobile.e164, 'N-PHONE-CODE')).toBe(1);
  const phoneCode = String((await backend.latest({ to: mobile.e164, template: 'N-PHONE-CODE' })).data.code);
  await page.getByLabel(/^6-digit code from the SMS/).fill(phoneCode);
  await page.getByRole('button', { name: 'Verify phone' }).click();

  // New password.
  await wizard.expectStep(STEP_TITLES.password);
  await quitAndRestart(STEP_TITLES.password);
  await wizard.changePassword(initialPassword, NEW_PASSWORD);

  // Terms: what was accepted before quitting stays accepted.
  await wizard.expectStep(STEP_TITLES.terms);
  await quitAndRestart(STEP_TITLES.terms);
  await page.getByRole('button', { name: 'Accept TechPass Privacy Statement' }).click();
  await expect(page.getByRole('button', { name: 'Accept TechPass Privacy Statement' })).toBeHidden();
  await quitAndRestart(STEP_TITLES.terms);
  await wizard.acceptAllTerms(['TechPass Terms of Use']);

  // Verify sign-in, then done.
  await wizard.expectStep(STEP_TITLES.verify);
  await quitAndRestart(STEP_TITLES.verify);
  await wizard.verifySignIn(backend, loginId, NEW_PASSWORD, secret);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await wizard.expectStep(STEP_TITLES.done);
  await quitAndRestart(STEP_TITLES.done);

  // One account, each message once.
  expect((await backend.account(username)).state).toBe('ACTIVE');
  expect(await count(mobile.e164, 'N-INITPWD')).toBe(1);
  expect(await count(mobile.e164, 'N-PHONE-CODE')).toBe(1);
  expect(await count(invitation.email, 'N-ONBOARD')).toBe(1);
});

test('quit with the password accepted and the authenticator code due: the restart asks for the code, not the password again', async ({
  app,
  backend,
}) => {
  const wizard = new Wizard(app.page);
  const user = await backend.registeredUser('resumemfa');
  await wizard.signInFromWelcome();
  await wizard.signIn(user.username, user.password);
  const secret = await wizard.readSetupKey();
  await wizard.submitAuthenticatorCode(await backend.totp(secret));
  await wizard.expectStep(STEP_TITLES.phone);

  // Signing in again (as on another day): the password is accepted, the code is due, and the user quits.
  await wizard.startOver();
  await wizard.signInFromWelcome();
  await wizard.signIn(user.username, user.password);
  await wizard.expectStep(STEP_TITLES.mfa);
  await app.restart();

  await wizard.enterMfaCode(await backend.totp(secret, 1));
  await wizard.expectStep(STEP_TITLES.phone);
});
