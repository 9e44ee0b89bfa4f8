import { expect, test } from './support/fixtures';
import { STEP_TITLES, Wizard } from './support/wizard';

test('opening a techpass-onboarding://register deep link lands on registration with the invitation summary', async ({
  app,
  backend,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const invitation = await backend.invite({
    businessOperation: 'onshore',
    sponsoringAgency: 'GovTech',
    passwordDelivery: 'sms',
  });
  expect(invitation.deepLink).toBe(`techpass-onboarding://register?token=${invitation.token}`);

  await app.openDeepLink(invitation.deepLink);

  // Straight to the form: no welcome screen, no pasting.
  await wizard.expectStep(STEP_TITLES.register);
  await expect(wizard.heading(STEP_TITLES.welcome)).toHaveCount(0);
  const summary = page.getByRole('region', { name: 'Your invitation' });
  await expect(summary).toBeVisible();
  const [local, domain] = invitation.email.split('@');
  // The invited email, masked: the first letters and the domain, not the whole address.
  await expect(summary.getByRole('definition').filter({ hasText: `@${domain}` })).toHaveText(
    new RegExp(`^${local!.slice(0, 2)}\\*+@${domain!.replace(/\./g, '\\.')}$`),
  );
  await expect(summary).not.toContainText(invitation.email);
  await expect(summary).toContainText('In Singapore (onshore)');
  await expect(summary).toContainText('GovTech');
  await expect(summary).toContainText('Sent to your mobile by SMS after you register');
  await expect(summary).toContainText('This link expires');
  await expect(page.getByRole('form', { name: 'Your details' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Onboarding progress' }).getByText('Step 2 of')).toBeVisible();
  await wizard.expectAccessible();

  // The link really opened the invitation: registering with it works.
  await wizard.fillRegistration({ username: `dl.ong${Date.now().toString(36)}`, mobile: '91230002' });
  await wizard.submitRegistration();
});

test('a deep link to an invitation that was replaced says so on the start screen', async ({ app, backend }) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const first = await backend.invite();
  await backend.invite({ email: first.email });

  await app.openDeepLink(first.deepLink);
  await wizard.expectStep(STEP_TITLES.welcome);
  const alert = page.getByRole('alert').filter({ hasText: 'A newer invitation replaced this one' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Open the most recent invitation email and use its link.');
  await wizard.expectAccessible();
});

test('a deep link whose invitation does not exist is refused with what to do', async ({ app }) => {
  const page = app.page;
  const wizard = new Wizard(page);

  await app.openDeepLink(`techpass-onboarding://register?token=${'A'.repeat(43)}`);
  await wizard.expectStep(STEP_TITLES.welcome);
  await expect(page.getByText('The registration link you opened could not be used')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('What to do next:');
  await expect(page.getByRole('region', { name: 'Your invitation' })).toHaveCount(0);
  await wizard.expectAccessible();
});
