import { uniqueMobile, uniqueUsername } from './support/backend-api';
import { expect, test } from './support/fixtures';
import { STEP_TITLES, Wizard } from './support/wizard';

test('first password by SMS lost: "Send my first password again" on account-created, the count shown, sign in with the new one', async ({
  app,
  backend,
}) => {
  const wizard = new Wizard(app.page);
  const page = app.page;
  const invitation = await backend.invite({ passwordDelivery: 'sms', businessOperation: 'onshore' });
  const username = uniqueUsername('resend');
  const mobile = uniqueMobile();
  await wizard.startWithInvitation(invitation.registrationUrl);
  await wizard.fillRegistration({ username, mobile: mobile.local });
  await wizard.submitRegistration();
  const first = String((await backend.latest({ to: mobile.e164, template: 'N-INITPWD' })).data.password);

  await page.getByText('No SMS with your password?').click();
  const resend = page.getByRole('button', { name: 'Send my first password again' });
  // Keyboard: the button is reached and pressed without a mouse.
  await resend.focus();
  await page.keyboard.press('Enter');
  const status = page.getByRole('status').filter({ hasText: 'sent today' });
  await expect(status).toContainText('1 of 5 sent today.');
  await expect(status).toContainText(/Sent to \+65 •+\d{4}/);
  await expect(status).toContainText(/You can ask again in \d+ seconds/);
  await expect(resend).toBeDisabled();
  // The service request path stays for when no SMS ever arrives.
  await expect(page.getByRole('link', { name: /Contact TechPass support/ }).first()).toBeVisible();
  await wizard.expectAccessible();

  const second = String((await backend.latest({ to: mobile.e164, template: 'N-INITPWD' })).data.password);
  expect(second).not.toBe(first);
  await wizard.goToSignIn();
  await wizard.signIn(username, first);
  await expect(page.getByRole('alert')).toContainText(/username or password is wrong/i);
  await wizard.signIn(username, second);
  await wizard.expectStep(STEP_TITLES.authenticator);
});
