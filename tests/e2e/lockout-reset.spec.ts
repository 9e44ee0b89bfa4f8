import { expect, test } from './support/fixtures';
import { NEW_PASSWORD, STEP_TITLES, Wizard } from './support/wizard';

test('five wrong passwords lock the account; a password reset by SMS code unlocks it and the new password signs in', async ({
  app,
  backend,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const user = await backend.registeredUser('locked');
  await wizard.signInFromWelcome();

  // Five wrong passwords: each one says so and warns that the account locks.
  const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
  for (let attempt = 1; attempt <= 5; attempt++) {
    await wizard.signIn(user.username, `Wrong-Guess-${attempt}!`);
    await expect(wizard.alert('The username or password is wrong.')).toBeVisible();
    await expect(
      wizard.alert('After several failures the account is locked until you reset your password.'),
    ).toBeVisible();
    await expect(signInButton).toBeEnabled();
  }

  // Now even the right password meets the locked account, with the way out.
  await wizard.signIn(user.username, user.password);
  await wizard.expectStep('Your account is locked');
  await expect(page.getByText('Reset your password to unlock it:')).toBeVisible();
  // It says exactly what unlocks it (the backend gives no unlock time: only a reset does).
  await expect(
    page.getByText('It stays locked until you reset your password: waiting does not unlock it.'),
  ).toBeVisible();
  await wizard.expectAccessible();

  // Reset by SMS code to the registered mobile.
  await page.getByRole('button', { name: 'Reset your password' }).click();
  await wizard.expectStep('Reset your password');
  await expect(page.getByLabel(/^TechPass ID \(username\)/)).toHaveValue(user.loginId);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Code sent.' })).toBeVisible();
  const sms = await backend.latest({ to: user.mobile.e164, channel: 'sms', template: 'N-PWD-RESET-CODE' });
  await page.getByLabel(/^6-digit code( \(required\))?$/).fill(String(sms.data.code));
  await page.getByLabel(/^New password( \(required\))?$/).fill(NEW_PASSWORD);
  await page.getByLabel(/^Confirm new password( \(required\))?$/).fill(NEW_PASSWORD);
  await wizard.expectAccessible();
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Your password is reset and the account is unlocked.' }),
  ).toBeVisible();

  // Back to sign in: the old password no longer works, the new one signs in and the journey goes on.
  await page.getByRole('button', { name: 'Back to sign in' }).click();
  await wizard.expectStep(STEP_TITLES.signIn);
  await wizard.signIn(user.username, user.password);
  await expect(wizard.alert('The username or password is wrong.')).toBeVisible();
  await expect(signInButton).toBeEnabled();
  await wizard.signIn(user.username, NEW_PASSWORD);
  await wizard.expectStep(STEP_TITLES.authenticator);
});
