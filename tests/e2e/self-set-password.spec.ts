import { expect, test } from './support/fixtures';
import { INITIAL_STRONG_PASSWORD, STEP_TITLES, Wizard } from './support/wizard';

test('self-set password: the password is chosen on the registration form with a live checklist; no SMS password, no forced change', async ({
  app,
  backend,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const invitation = await backend.invite({ passwordDelivery: 'self_set', businessOperation: 'onshore' });
  const username = `ss.lim${Date.now().toString(36)}`;
  const loginId = `${username}@techpass.gov.sg`;
  // Other tests may share a number; this user's messages are the ones naming their TechPass ID.
  const initialPasswordSms = async () =>
    (await backend.outbox()).filter(
      (m) => m.template === 'N-INITPWD' && (m.data.loginId === loginId || m.body.includes(username)),
    );

  await wizard.startWithInvitation(invitation.registrationUrl);
  await expect(page.getByRole('region', { name: 'Your invitation' })).toContainText('You choose it on this form');
  await wizard.fillRegistration({ username, mobile: '98765432' });

  // The live policy checklist: rules tick as the user types.
  const checklist = page.getByRole('list').filter({ hasText: 'Have 8 to 256 characters' });
  const rule = (text: string) => checklist.getByRole('listitem').filter({ hasText: text });
  const password = page.getByLabel(/^Password( \(required\))?$/);
  const confirm = page.getByLabel(/^Confirm password( \(required\))?$/);
  await expect(rule('Have 8 to 256 characters')).toContainText('(not met)');

  await password.fill('short');
  await expect(rule('Have 8 to 256 characters')).toContainText('(not met)');
  await expect(rule('Use at least 3 of these 4')).toContainText('(not met)');

  await password.fill(`${username}Aa1!`);
  await expect(rule('Have 8 to 256 characters')).toContainText('(met)');
  await expect(rule('Use at least 3 of these 4')).toContainText('(met)');
  await expect(rule('Not include your username')).toContainText('(not met)');

  await password.fill(INITIAL_STRONG_PASSWORD);
  await confirm.fill('something else');
  await expect(rule('Not include your username')).toContainText('(met)');
  await expect(rule('Match the confirm field')).toContainText('(not met)');
  await confirm.fill(INITIAL_STRONG_PASSWORD);
  for (const text of [
    'Have 8 to 256 characters',
    'Use at least 3 of these 4',
    'Not include your username',
    'Not include your first or last name',
    'Not be a common, easily guessed password',
    'Match the confirm field',
  ]) {
    await expect(rule(text)).toContainText('(met)');
  }
  await wizard.expectAccessible();
  await wizard.submitRegistration();

  // No first password by SMS: the screen says to use the chosen one, and the outbox has no N-INITPWD.
  await expect(page.getByText('Sign in with the password you chose on the registration form.')).toBeVisible();
  await expect(page.getByText(/We sent your first password by SMS/)).toHaveCount(0);
  await backend.latest({ to: invitation.email, template: 'N-ONBOARD' });
  expect(await initialPasswordSms()).toEqual([]);

  // The progress list has no "New password" step.
  const progress = page.getByRole('navigation', { name: 'Onboarding progress' });
  await expect(progress).toContainText('Terms');
  await expect(progress).not.toContainText('New password');

  await wizard.goToSignIn();
  await wizard.signIn(username, INITIAL_STRONG_PASSWORD);
  const secret = await wizard.enrolAuthenticator(backend);
  await wizard.verifyPhone(backend, '+65', '98765432');

  // Straight from the phone to the terms: no 'Choose a new password' step.
  await wizard.expectStep(STEP_TITLES.terms);
  await expect(wizard.heading(STEP_TITLES.password)).toHaveCount(0);
  await wizard.acceptAllTerms(['TechPass Privacy Statement', 'TechPass Terms of Use']);
  await wizard.verifySignIn(backend, loginId, INITIAL_STRONG_PASSWORD, secret);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await wizard.expectStep(STEP_TITLES.done);
  expect((await backend.account(username)).state).toBe('ACTIVE');
  expect(await initialPasswordSms()).toEqual([]);
});
