import { expect, test } from './support/fixtures';
import { NEW_PASSWORD, STEP_TITLES, Wizard } from './support/wizard';

test('onshore vendor, SMS password: invitation → registration → sign in → MFA → phone → new password → terms → verify → done', async ({
  app,
  backend,
}) => {
  // The whole journey plus a restart, with axe and the 320 px reflow check on every screen, on 2 shared cores.
  test.setTimeout(120_000);
  const wizard = new Wizard(app.page);
  const invitation = await backend.invite({ passwordDelivery: 'sms', businessOperation: 'onshore' });
  const username = `wl.tan${Date.now().toString(36)}`;

  await wizard.startWithInvitation(invitation.registrationUrl);
  await wizard.expectAccessible();
  await wizard.fillRegistration({ username, mobile: '91234567' });
  await wizard.submitRegistration();
  await wizard.expectAccessible();

  // Account created: the TechPass ID to sign in with (not the email), where the messages went, the deadline.
  const loginId = `${username}@techpass.gov.sg`;
  await expect(app.page.getByText(loginId).first()).toBeVisible();
  await expect(app.page.getByText(/Activate your account by/)).toBeVisible();
  const sms = await backend.latest({ to: '+6591234567', template: 'N-INITPWD' });
  const initialPassword = String(sms.data.password);
  const onboarding = await backend.latest({ to: invitation.email, template: 'N-ONBOARD' });
  expect(onboarding.body).toContain(loginId);

  await wizard.goToSignIn();
  await wizard.signIn(username, initialPassword);

  const secret = await wizard.enrolAuthenticator(backend);
  await wizard.expectAccessible();
  await wizard.verifyPhone(backend, '+65', '91234567');
  await wizard.changePassword(initialPassword, NEW_PASSWORD);
  await wizard.acceptAllTerms(['TechPass Privacy Statement', 'TechPass Terms of Use']);
  await wizard.verifySignIn(backend, loginId, NEW_PASSWORD, secret);
  await wizard.expectAccessible();

  await app.page.getByRole('button', { name: 'Continue', exact: true }).click();
  await wizard.expectStep(STEP_TITLES.done);
  await wizard.expectAccessible();
  const account = await backend.account(username);
  expect(account.state).toBe('ACTIVE');

  // Done is not a dead end: the next person on this computer starts a new journey.
  await app.page.getByRole('button', { name: 'Finish' }).click();
  await expect(app.page.getByText('All done. You can close this app.')).toBeVisible();
  await app.page.getByRole('button', { name: 'Set up another account' }).click();
  await wizard.expectStep(STEP_TITLES.welcome);
  await app.restart();
  await wizard.expectStep(STEP_TITLES.welcome);
});
