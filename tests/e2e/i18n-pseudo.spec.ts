import { expect, test } from './support/fixtures';
import { overflowingText, untranslatedText } from './support/pseudo-check';
import { NEW_PASSWORD, Wizard } from './support/wizard';
import { fill, wordsFor } from './support/words';

const xa = wordsFor('en-XA');

/**
 * The pseudo-locale on every screen: no text the catalogue did not provide, and no text running out of its box at
 * 40 % longer than English, at the desktop width and at 320 px (the reflow check).
 */
async function expectLocalisable(wizard: Wizard): Promise<void> {
  const page = wizard.page;
  const heading = (await page.locator('main h1').first().textContent()) ?? '';
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
  await expect
    .poll(() => page.evaluate(untranslatedText), { message: `untranslated text on "${heading}"`, timeout: 3_000 })
    .toEqual([]);
  await expect
    .poll(() => page.evaluate(overflowingText), { message: `text out of its box on "${heading}"`, timeout: 3_000 })
    .toEqual([]);
  await wizard.expectReflow();
}

test.beforeEach(async ({ app }) => {
  // The web host takes the pseudo-locale from the page address (developers and tests only; never offered on screen).
  await app.page.goto(app.page.url().replace('/#', '/?locale=en-XA#'));
});

test('pseudo-locale: every screen of the onshore journey is all catalogue text and nothing overflows', async ({
  app,
  backend,
}) => {
  test.setTimeout(150_000);
  const page = app.page;
  const wizard = new Wizard(page, xa);
  await wizard.expectStep(wizard.titles.welcome);
  await expectLocalisable(wizard);
  // The eligibility questions and their answer.
  await page.getByRole('button', { name: xa.welcome.noInvitation }).click();
  await page
    .getByLabel(new RegExp(`^${xa.welcome.eligibility.email.replace(/[[\]]/g, '\\$&')}`))
    .fill('priya@infosys.com');
  // Each question is a Yes/No pair: answer each (the first of each pair).
  const radios = page.getByRole('radio');
  for (let i = 0; i < (await radios.count()); i += 2) await radios.nth(i).check();
  await page.getByRole('button', { name: xa.welcome.eligibility.submit }).click();
  await expect(page.getByTestId('route')).toBeVisible();
  await expectLocalisable(wizard);
  await page.goto(page.url());

  const invitation = await backend.invite({ passwordDelivery: 'sms', businessOperation: 'onshore' });
  const username = `xa.user${Date.now().toString(36)}`;
  const loginId = `${username}@techpass.gov.sg`;
  await wizard.startWithInvitation(invitation.registrationUrl);
  await expectLocalisable(wizard);
  await wizard.fillRegistration({ username, mobile: '91234567' });
  await wizard.submitRegistration();
  await expectLocalisable(wizard);
  const initialPassword = String((await backend.latest({ to: '+6591234567', template: 'N-INITPWD' })).data.password);
  await wizard.goToSignIn();
  await expectLocalisable(wizard);
  await wizard.signIn(username, initialPassword);
  await wizard.expectStep(wizard.titles.authenticator);
  await page.getByText(xa.authenticator.cantScan).click();
  await expectLocalisable(wizard);
  const secret = await wizard.enrolAuthenticator(backend);
  await wizard.expectStep(wizard.titles.phone);
  await expectLocalisable(wizard);
  await wizard.verifyPhone(backend, '+65', '91234567');
  await wizard.expectStep(wizard.titles.password);
  await expectLocalisable(wizard);
  await wizard.changePassword(initialPassword, NEW_PASSWORD);
  await wizard.expectStep(wizard.titles.terms);
  await expectLocalisable(wizard);
  await wizard.acceptAllTerms(['TechPass Privacy Statement', 'TechPass Terms of Use']);
  await wizard.expectStep(wizard.titles.verify);
  await expectLocalisable(wizard);
  await wizard.verifySignIn(backend, loginId, NEW_PASSWORD, secret);
  await expectLocalisable(wizard);
  await page.getByRole('button', { name: xa.verify.nextDone, exact: true }).click();
  await wizard.expectStep(wizard.titles.done);
  await expectLocalisable(wizard);
  await expect(page.getByRole('button', { name: fill(xa.done.finish, {}) })).toBeVisible();
});

test('pseudo-locale: the device check (SEED) and its report are all catalogue text and nothing overflows', async ({
  app,
  backend,
}) => {
  test.setTimeout(150_000);
  const page = app.page;
  const wizard = new Wizard(page, xa);
  const invitation = await backend.invite({
    businessOperation: 'onshore',
    seedRequested: true,
    passwordDelivery: 'self_set',
  });
  const username = `xa.seed${Date.now().toString(36)}`;
  const loginId = `${username}@techpass.gov.sg`;
  const password = 'Str0ng&Secure#Pass';
  await wizard.startWithInvitation(invitation.registrationUrl);
  await wizard.fillRegistration({ username, mobile: '91234567', password });
  await wizard.submitRegistration();
  await expectLocalisable(wizard);
  await wizard.goToSignIn();
  await wizard.signIn(username, password);
  const secret = await wizard.enrolAuthenticator(backend);
  await wizard.verifyPhone(backend, '+65', '91234567');
  await wizard.acceptAllTerms([
    'TechPass Privacy Statement',
    'TechPass Terms of Use',
    'SEED Mobile Device Management Acceptable Use Policy (v4.0)',
  ]);
  await wizard.verifySignIn(backend, loginId, password, secret);
  await page.getByRole('button', { name: xa.verify.nextSeed }).click();
  await wizard.expectStep(wizard.titles.deviceCheck);
  await expectLocalisable(wizard);
  await page.getByRole('button', { name: xa.deviceCheck.run }).click();
  await expect(page.getByRole('heading', { level: 2, name: xa.deviceCheck.verdict.BLOCKED })).toBeVisible();
  await expectLocalisable(wizard);
  await page.getByRole('button', { name: xa.deviceCheck.continue, exact: true }).click();
  await wizard.expectStep(wizard.titles.done);
  await expectLocalisable(wizard);
});
