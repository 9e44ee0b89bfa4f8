import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { STEP_TITLES, Wizard } from './support/wizard';

const CHINA_MOBILE = '13812345678';

/** The W-REG-CHINA-SMS note: the SMS may be blocked, and the manual path (service request, password in a ZIP by email). */
function chinaWarning(page: Page) {
  return page.getByRole('note', { name: 'SMS to China (+86) numbers may be blocked' });
}

async function expectChinaWarningWithAlternative(page: Page): Promise<void> {
  const note = chinaWarning(page);
  await expect(note).toBeVisible();
  await expect(note).toContainText('messages from the gov.sg sender may never arrive');
  await expect(note).toContainText('raise a service request');
  await expect(note).toContainText('password-protected ZIP file');
  await expect(note).toContainText('ZIP password in a separate email');
  await expect(note.getByRole('link', { name: /Contact TechPass support/ })).toBeVisible();
}

test('China (+86) number, SMS password: the SMS warning and the service-request / ZIP path on registration, sign-in and phone', async ({
  app,
  backend,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const invitation = await backend.invite({
    businessOperation: 'offshore',
    odc: 'Dalian ODC',
    seedRequested: true,
    passwordDelivery: 'sms',
  });
  const username = `zh.wang${Date.now().toString(36)}`;

  await wizard.startWithInvitation(invitation.registrationUrl);
  await expect(chinaWarning(page)).toHaveCount(0);
  await wizard.fillRegistration({
    username,
    firstName: 'Hao',
    lastName: 'Wang',
    countryDial: '+86',
    mobile: CHINA_MOBILE,
  });
  await expectChinaWarningWithAlternative(page);
  await wizard.expectAccessible();

  // Another country code: no warning; back to China: the warning again.
  await page.getByLabel(/^Country code/).selectOption({ label: 'Singapore (+65)' });
  await expect(chinaWarning(page)).toHaveCount(0);
  await page.getByLabel(/^Country code/).selectOption({ label: 'China (+86)' });
  await expectChinaWarningWithAlternative(page);

  await wizard.submitRegistration();
  const sms = await backend.latest({ to: `+86${CHINA_MOBILE}`, template: 'N-INITPWD' });
  const initialPassword = String(sms.data.password);

  // Sign in: "No SMS with your password?" gives the same +86 path.
  await wizard.goToSignIn();
  await page.getByText('No SMS with your password?').click();
  await expect(
    page.getByText(
      /For \+86 \(China\) numbers, where the gov\.sg sender may be blocked, support emails you a new password in a password-protected ZIP file/,
    ),
  ).toBeVisible();
  await wizard.expectAccessible();

  await wizard.signIn(username, initialPassword);
  await wizard.enrolAuthenticator(backend);

  // Phone: the registered +86 number is prefilled, so the warning shows again at once, and the no-code help names
  // the service request.
  await wizard.expectStep(STEP_TITLES.phone);
  await expect(page.getByLabel(/^Country code/)).toHaveValue('CN');
  await expectChinaWarningWithAlternative(page);
  await page.getByRole('textbox', { name: /^Mobile number/ }).fill(CHINA_MOBILE);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'We sent a 6-digit code' })).toBeVisible();
  const noCode = page.getByRole('region', { name: 'No code arrived?' });
  await expect(noCode).toContainText('for example on a +86 number');
  await expect(noCode).toContainText('raise a service request');
  await wizard.expectAccessible();
});

test('China (+86) number with a self-set password: no SMS warning on registration (no password SMS to lose)', async ({
  app,
  backend,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const invitation = await backend.invite({
    businessOperation: 'offshore',
    odc: 'Dalian ODC',
    seedRequested: true,
    passwordDelivery: 'self_set',
  });

  await wizard.startWithInvitation(invitation.registrationUrl);
  await wizard.fillRegistration({
    username: `zh.li${Date.now().toString(36)}`,
    countryDial: '+86',
    mobile: CHINA_MOBILE,
  });
  await expect(page.getByText(`We will use +86${CHINA_MOBILE}.`)).toBeVisible();
  await expect(chinaWarning(page)).toHaveCount(0);
});
