import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { STEP_TITLES, Wizard } from './support/wizard';

const DAY = 24 * 60 * 60;

/** Pastes a registration link on the "Open your invitation" screen, from the welcome screen. */
async function openPastedLink(wizard: Wizard, link: string): Promise<void> {
  await wizard.expectStep(STEP_TITLES.welcome);
  await wizard.page.getByRole('button', { name: 'I have an invitation email' }).click();
  await wizard.expectStep(STEP_TITLES.paste);
  await wizard.page.getByLabel(/^Registration link or code/).fill(link);
  await wizard.page.getByRole('button', { name: 'Open invitation' }).click();
}

/** The problem screen: its own heading (focused), what happened, what to do next, and a way to support. */
async function expectProblemScreen(page: Page, title: string, body: string, next: string): Promise<void> {
  const heading = page.getByRole('heading', { level: 1, name: title });
  await expect(heading).toBeVisible();
  await expect(heading).toBeFocused();
  await expect(page.getByText(body)).toBeVisible();
  await expect(page.getByText('What to do next:')).toBeVisible();
  await expect(page.getByText(next)).toBeVisible();
  await expect(page.getByRole('link', { name: /Contact TechPass support/ })).toBeVisible();
  // No registration form behind it.
  await expect(page.getByRole('button', { name: 'Register', exact: true })).toHaveCount(0);
}

test.describe('expired invitation', () => {
  // This test moves the worker's test clock 5 days on; a restarted backend starts at the real time again, so the
  // journeys that run after it in this worker are not 5 days in the future (and see no clock-drift warning).
  test.afterEach(async ({ world }) => {
    await world.stopBackend();
    await world.startBackend();
  });

  test('after 5 days the link says so and to ask the inviter for a new invitation', async ({ app, backend }) => {
    const wizard = new Wizard(app.page);
    const invitation = await backend.invite();
    await backend.advanceClock(5 * DAY + 60);

    await openPastedLink(wizard, invitation.registrationUrl);
    await expectProblemScreen(
      app.page,
      'This invitation has expired',
      'Registration links are valid for 5 days.',
      'Ask the person who invited you (your project manager or reporting officer) to send a new invitation.',
    );
    await wizard.expectAccessible();

    // A fresh invitation from the inviter works.
    const fresh = await backend.invite({ email: invitation.email });
    await app.page.getByRole('button', { name: 'Use a different invitation link' }).click();
    await wizard.expectStep(STEP_TITLES.paste);
    await app.page.getByLabel(/^Registration link or code/).fill(fresh.registrationUrl);
    await app.page.getByRole('button', { name: 'Open invitation' }).click();
    await wizard.expectStep(STEP_TITLES.register);
  });
});

test('superseded invitation: an older link says a newer invitation replaced it and to use the most recent email', async ({
  app,
  backend,
}) => {
  const wizard = new Wizard(app.page);
  const first = await backend.invite();
  const second = await backend.invite({ email: first.email });
  expect(second.token).not.toBe(first.token);

  await openPastedLink(wizard, first.registrationUrl);
  await expectProblemScreen(
    app.page,
    'A newer invitation replaced this one',
    'Your inviter sent you another invitation after this one.',
    'Open the most recent invitation email and use its link.',
  );
  await wizard.expectAccessible();

  await app.page.getByRole('button', { name: 'Use a different invitation link' }).click();
  await app.page.getByLabel(/^Registration link or code/).fill(second.registrationUrl);
  await app.page.getByRole('button', { name: 'Open invitation' }).click();
  await wizard.expectStep(STEP_TITLES.register);
});

test('reused link: opening the link again after registering says registration is done and leads to sign in', async ({
  app,
  backend,
}) => {
  const page = app.page;
  const wizard = new Wizard(page);
  const invitation = await backend.invite();
  const username = `re.used${Date.now().toString(36)}`;

  await wizard.startWithInvitation(invitation.registrationUrl);
  await wizard.fillRegistration({ username, mobile: '91230001' });
  await wizard.submitRegistration();

  // Later (the app forgot its place): the user clicks the same link in the invitation email again.
  await page.getByRole('button', { name: 'Start over' }).click();
  await page.getByRole('button', { name: 'Yes, start over' }).click();
  await openPastedLink(wizard, invitation.registrationUrl);
  await expectProblemScreen(
    page,
    'This invitation has already been used',
    'Registration is already done for this invitation.',
    'Sign in with the username from your onboarding email.',
  );
  await wizard.expectAccessible();

  await page.getByRole('button', { name: 'Go to sign in' }).click();
  await wizard.expectStep(STEP_TITLES.signIn);
  expect((await backend.account(username)).state).toBe('PENDING');
});
