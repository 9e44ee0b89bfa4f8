import { uniqueMobile, uniqueUsername } from './support/backend-api';
import { expect, test } from './support/fixtures';
import { STEP_TITLES, Wizard } from './support/wizard';

test.describe('the TechPass service goes down in the middle of a step', () => {
  test.afterEach(async ({ world }) => {
    // Whatever happened in the test, later tests in this worker need the backend.
    await world.startBackend();
  });

  test('registering: the wizard says the service cannot be reached, the user tries again once it is back, one account and one SMS', async ({
    app,
    backend,
    world,
  }) => {
    test.setTimeout(60_000); // includes stopping and starting the backend
    const page = app.page;
    const wizard = new Wizard(page);
    const invitation = await backend.invite({ passwordDelivery: 'sms' });
    const username = uniqueUsername('down');
    const mobile = uniqueMobile();

    await wizard.startWithInvitation(invitation.registrationUrl);
    await wizard.fillRegistration({ username, mobile: mobile.local });

    await world.stopBackend();
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await expect(wizard.alert('Cannot reach the TechPass service.')).toBeVisible();
    await expect(wizard.alert('Check your connection and try again.')).toBeVisible();
    // Still on the form, with what the user typed.
    await wizard.expectStep(STEP_TITLES.register);
    await expect(page.getByLabel(/^Username/).first()).toHaveValue(username);
    await wizard.expectAccessible();

    await world.startBackend();
    await wizard.submitRegistration();
    await expect(page.getByText(`${username}@techpass.gov.sg`).first()).toBeVisible();

    expect((await backend.account(username)).state).toBe('PENDING');
    expect(await backend.messages({ to: mobile.e164, template: 'N-INITPWD' })).toHaveLength(1);
    expect(await backend.messages({ to: invitation.email, template: 'N-ONBOARD' })).toHaveLength(1);
  });

  test('sending the phone code: the wizard says so, the retry after it is back sends exactly one SMS and the step goes on', async ({
    app,
    backend,
    world,
  }) => {
    test.setTimeout(60_000); // includes stopping and starting the backend
    const page = app.page;
    const wizard = new Wizard(page);
    const user = await backend.registeredUser('downphone');
    await wizard.signInFromWelcome();
    await wizard.signIn(user.username, user.password);
    await wizard.enrolAuthenticator(backend);
    await wizard.expectStep(STEP_TITLES.phone);

    await page.getByLabel(/^Country code/).selectOption({ label: 'Singapore (+65)' });
    await page.getByRole('textbox', { name: /^Mobile number/ }).fill(user.mobile.local);
    await world.stopBackend();
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(wizard.alert('Cannot reach the TechPass service.')).toBeVisible();
    await expect(wizard.alert('Check your connection and try again.')).toBeVisible();
    await wizard.expectStep(STEP_TITLES.phone);

    await world.startBackend();
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'We sent a 6-digit code' })).toBeVisible();
    const sms = await backend.messages({ to: user.mobile.e164, template: 'N-PHONE-CODE' });
    expect(sms).toHaveLength(1);
    await page.getByLabel(/^6-digit code from the SMS/).fill(String(sms[0]?.data.code));
    await page.getByRole('button', { name: 'Verify phone' }).click();
    await wizard.expectStep(STEP_TITLES.password);
  });
});
