import { uniqueMobile, uniqueUsername } from './support/backend-api';
import { expect, test } from './support/fixtures';
import { STEP_TITLES, Wizard } from './support/wizard';

const DAY = 86_400;

test.afterEach(async ({ world }) => {
  // This journey moves the worker's test clock 31 days on; restart the backend so later tests see the real time again.
  await world.stopBackend();
  await world.startBackend();
});

test('account terminated after 30 days without activation: sign-in shows the closed account and says to ask for a new invitation', async ({
  app,
  backend,
}) => {
  test.setTimeout(60_000); // includes restarting the backend afterwards
  const wizard = new Wizard(app.page);
  // Registered (through the API: the form is covered by the onboarding journeys) but never activated.
  const invitation = await backend.invite({ passwordDelivery: 'sms' });
  const mobile = uniqueMobile();
  const registered = await backend.register(invitation.token, {
    username: uniqueUsername('idle'),
    mobile: mobile.e164,
  });
  const initialPassword = String((await backend.latest({ to: mobile.e164, template: 'N-INITPWD' })).data.password);

  // Day 29: still pending, the lifecycle jobs leave it alone.
  await backend.advanceClock(29 * DAY);
  await backend.runJobs();
  expect((await backend.account(registered.username)).state).toBe('PENDING');

  // Day 31: past the 30-day activation window, the jobs close it.
  await backend.advanceClock(2 * DAY);
  await backend.runJobs();
  expect((await backend.account(registered.username)).state).toBe('TERMINATED');

  await wizard.signInFromWelcome();
  await wizard.signIn(registered.username, initialPassword);

  await wizard.expectStep('Your account has been closed');
  await expect(app.page.getByText('Accounts that are not activated within 30 days')).toBeVisible();
  await expect(app.page.getByText('Ask your project manager or reporting officer for a new invitation.')).toBeVisible();
  // It never moves on to the authenticator set-up.
  await expect(wizard.heading(STEP_TITLES.authenticator)).toHaveCount(0);
  await wizard.expectAccessible();

  // Back to sign in is offered; the same password keeps answering with the closed account, not a lockout.
  await app.page.getByRole('button', { name: 'Back to sign in' }).click();
  await wizard.expectStep(STEP_TITLES.signIn);
  await wizard.signIn(registered.username, initialPassword);
  await wizard.expectStep('Your account has been closed');
});
