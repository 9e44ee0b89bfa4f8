import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { NEW_PASSWORD, STEP_TITLES, Wizard } from './support/wizard';

/**
 * A user who cannot use a mouse: every control is reached with Tab / Shift+Tab, typed into, and activated with Enter or
 * Space (arrow keys for the country list). No .click() and no .fill() anywhere in this spec. Wherever focus lands on a
 * control, it must be visibly marked.
 */
class Keyboard {
  constructor(private readonly page: Page) {}

  /** Presses Tab (or Shift+Tab) until `target` has focus, then checks that the focus is visible. */
  async tabTo(target: Locator, direction: 'forward' | 'backward' = 'forward', maxPresses = 60): Promise<void> {
    await expect(target).toBeVisible();
    await expect(target).toBeEnabled();
    for (let i = 0; i <= maxPresses; i += 1) {
      if (await target.evaluate((el) => el === document.activeElement)) {
        await this.expectVisibleFocus();
        return;
      }
      await this.page.keyboard.press(direction === 'forward' ? 'Tab' : 'Shift+Tab');
    }
    throw new Error(
      `${String(target)} was not reached with ${maxPresses} presses of ${direction === 'forward' ? 'Tab' : 'Shift+Tab'}`,
    );
  }

  /** Tabs to a text field and types into it as a user would. */
  async typeInto(target: Locator, text: string): Promise<void> {
    await this.tabTo(target);
    await this.page.keyboard.type(text);
    await expect(target).toHaveValue(text);
  }

  async press(target: Locator, key: 'Enter' | ' '): Promise<void> {
    await this.tabTo(target);
    await this.page.keyboard.press(key === ' ' ? 'Space' : key);
  }

  /** The focused control shows the focus ring (:focus-visible with a real outline). */
  async expectVisibleFocus(): Promise<void> {
    const focus = await this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { ok: false, what: 'nothing focused' };
      const style = getComputedStyle(el);
      const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      return {
        ok: el.matches(':focus-visible') && ring,
        what: `${el.tagName} "${el.getAttribute('aria-label') ?? el.textContent?.slice(0, 40) ?? ''}"`,
      };
    });
    expect(focus.ok, `visible focus on ${focus.what}`).toBe(true);
  }
}

test('keyboard only, start to finish: SMS-password journey with Tab, Shift+Tab, Enter, Space, typing and arrow keys; axe on every screen', async ({
  app,
  backend,
}) => {
  test.setTimeout(120_000); // about 13 axe scans and a few hundred key presses on a shared 2-core machine
  const page = app.page;
  const wizard = new Wizard(page);
  const keys = new Keyboard(page);
  const field = (label: string) => page.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}( \\(required\\))?$`));
  const invitation = await backend.invite({ passwordDelivery: 'sms', businessOperation: 'onshore' });
  const username = `kb.only${Date.now().toString(36)}`;
  const loginId = `${username}@techpass.gov.sg`;

  // Welcome: the skip link comes first, then the choices.
  await wizard.expectStep(STEP_TITLES.welcome);
  await wizard.expectAccessible();
  await keys.tabTo(page.getByRole('link', { name: 'Skip to main content' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  await keys.press(page.getByRole('button', { name: 'I have an invitation email' }), 'Enter');

  // Paste the link; Enter submits.
  await wizard.expectStep(STEP_TITLES.paste);
  await wizard.expectAccessible();
  // The link is pasted from the email (Ctrl+V inserts it in one go), as users do.
  await keys.tabTo(field('Registration link or code'));
  await page.keyboard.insertText(invitation.registrationUrl);
  await expect(field('Registration link or code')).toHaveValue(invitation.registrationUrl);
  await page.keyboard.press('Enter');

  // Registration form.
  await wizard.expectStep(STEP_TITLES.register);
  await expect(wizard.heading(STEP_TITLES.register)).toBeFocused();
  await wizard.expectAccessible();
  await keys.typeInto(field('Username'), username);
  await keys.typeInto(field('First name'), 'Wei Ling');
  await keys.typeInto(field('Last name'), 'Tan');
  // Shift+Tab goes back: fix the first name.
  await keys.tabTo(field('First name'), 'backward');
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('g');
  await expect(field('First name')).toHaveValue('Wei Ling');
  // The country list with the arrow keys: down to Malaysia, back up to Singapore.
  const country = page.getByLabel(/^Country code/);
  await keys.tabTo(country);
  await expect(country).toHaveValue('SG');
  await page.keyboard.press('ArrowDown');
  await expect(country).toHaveValue('MY');
  await page.keyboard.press('ArrowUp');
  await expect(country).toHaveValue('SG');
  await keys.typeInto(page.getByRole('textbox', { name: /^Mobile number/ }), '91230003');
  await keys.typeInto(field('Department'), 'Platform Engineering');
  await keys.press(page.getByRole('button', { name: 'Register', exact: true }), 'Enter');

  // Account created.
  await wizard.expectStep(STEP_TITLES.accountCreated);
  await wizard.expectAccessible();
  await expect(page.getByText(loginId).first()).toBeVisible();
  const initialPassword = String((await backend.latest({ to: '+6591230003', template: 'N-INITPWD' })).data.password);
  await keys.press(page.getByRole('button', { name: 'Sign in now' }), ' ');

  // Sign in: Enter in the password field submits.
  await wizard.expectStep(STEP_TITLES.signIn);
  await wizard.expectAccessible();
  await keys.typeInto(field('TechPass ID (username)'), username);
  await keys.typeInto(field('Password'), initialPassword);
  await page.keyboard.press('Enter');

  // Authenticator: the user reads the setup key off the screen and types the app's code.
  await wizard.expectStep(STEP_TITLES.authenticator);
  const secret = await wizard.readSetupKey();
  await wizard.expectAccessible();
  await keys.typeInto(field('6-digit code from the app'), await backend.totp(secret));
  await page.keyboard.press('Enter');

  // Phone: the number from registration is already there (not asked twice); Enter in it sends the code, Enter in
  // the code field verifies it.
  await wizard.expectStep(STEP_TITLES.phone);
  await wizard.expectAccessible();
  const phoneNumber = page.getByRole('textbox', { name: /^Mobile number/ });
  await expect(phoneNumber).toHaveValue('9123 0003');
  await keys.tabTo(phoneNumber);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'We sent a 6-digit code' })).toBeVisible();
  await wizard.expectAccessible();
  const phoneCode = String((await backend.latest({ to: '+6591230003', template: 'N-PHONE-CODE' })).data.code);
  await keys.typeInto(field('6-digit code from the SMS'), phoneCode);
  await page.keyboard.press('Enter');

  // New password.
  await wizard.expectStep(STEP_TITLES.password);
  await wizard.expectAccessible();
  await keys.typeInto(field('Current password (from the SMS)'), initialPassword);
  await keys.typeInto(field('New password'), NEW_PASSWORD);
  await keys.typeInto(field('Confirm new password'), NEW_PASSWORD);
  await keys.press(page.getByRole('button', { name: 'Change password' }), 'Enter');

  // Terms: each document's text is reachable (a focusable region to scroll with the keys), each accepted with Space.
  await wizard.expectStep(STEP_TITLES.terms);
  await wizard.expectAccessible();
  for (const title of ['TechPass Privacy Statement', 'TechPass Terms of Use']) {
    await keys.tabTo(page.getByRole('region', { name: `${title}, full text` }));
    await page.keyboard.press('End');
    const accept = page.getByRole('button', { name: `Accept ${title}` });
    await keys.press(accept, ' ');
    await expect(accept).toBeHidden();
  }

  // Verify sign-in.
  await wizard.expectStep(STEP_TITLES.verify);
  await wizard.expectAccessible();
  await keys.typeInto(field('TechPass ID (username)'), loginId);
  await keys.typeInto(field('Password'), NEW_PASSWORD);
  await keys.typeInto(field('6-digit code from your authenticator app'), await backend.totp(secret, 1));
  await page.keyboard.press('Enter');
  await expect(page.getByText('Your TechPass sign-in works.')).toBeVisible();
  await wizard.expectAccessible();
  await keys.press(page.getByRole('button', { name: 'Continue', exact: true }), 'Enter');

  // Done.
  await wizard.expectStep(STEP_TITLES.done);
  await wizard.expectAccessible();
  await keys.press(page.getByRole('button', { name: 'Finish' }), 'Enter');
  await expect(page.getByRole('status').filter({ hasText: 'All done. You can close this app.' })).toBeVisible();
  expect((await backend.account(username)).state).toBe('ACTIVE');
});

test('keyboard only: an offshore registration with a pasted +86 number; Tab follows the form past the China warning', async ({
  app,
  backend,
}) => {
  test.setTimeout(90_000);
  const page = app.page;
  const wizard = new Wizard(page);
  const keys = new Keyboard(page);
  const field = (label: string) => page.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}( \\(required\\))?$`));
  const invitation = await backend.invite({
    passwordDelivery: 'sms',
    businessOperation: 'offshore',
    odc: 'Others',
    offshoreCompanyName: 'Lotus Software Ltd',
    seedRequested: true,
  });
  const username = `kb.cn${Date.now().toString(36)}`;
  const mobile = `+86138${String(Date.now()).slice(-8)}`;

  await wizard.expectStep(STEP_TITLES.welcome);
  await keys.press(page.getByRole('button', { name: 'I have an invitation email' }), 'Enter');
  await wizard.expectStep(STEP_TITLES.paste);
  await keys.tabTo(field('Registration link or code'));
  await page.keyboard.insertText(invitation.registrationUrl);
  await page.keyboard.press('Enter');

  await wizard.expectStep(STEP_TITLES.register);
  // What the invitation holds is shown, not asked again.
  await expect(page.getByRole('region', { name: 'Your invitation' })).toContainText('Lotus Software Ltd');
  await keys.typeInto(field('Username'), username);
  await keys.typeInto(field('First name'), 'Li');
  await keys.typeInto(field('Last name'), 'Wei');
  // The number is pasted with its +86 code: the country list follows, the warning appears, nothing moves.
  const number = page.getByRole('textbox', { name: /^Mobile number/ });
  await keys.tabTo(number);
  const department = field('Department');
  // Places on the page (not in the viewport: the browser may scroll to keep the caret in view).
  const places = () =>
    Promise.all(
      [number, department].map((l) => l.evaluate((e) => Math.round(e.getBoundingClientRect().top + window.scrollY))),
    );
  const placesBefore = await places();
  await page.keyboard.insertText(mobile);
  await expect(page.getByLabel(/^Country code/)).toHaveValue('CN');
  await expect(page.getByRole('note', { name: 'SMS to China (+86) numbers may be blocked' })).toBeVisible();
  await expect(number).toBeFocused();
  // The warning appeared after the form's fields: neither the number nor the next field moved.
  expect(await places()).toEqual(placesBefore);
  // One Tab from the number lands on the next field of the form, not in the warning's link or disclosure.
  await page.keyboard.press('Tab');
  await expect(field('Department')).toBeFocused();
  await page.keyboard.type('Offshore Delivery');
  await page.keyboard.press('Tab');
  await expect(field('Offshore reporting officer name')).toBeFocused();
  await page.keyboard.type('Chen Jing');
  await page.keyboard.press('Tab');
  await expect(field('Offshore reporting officer email')).toBeFocused();
  await page.keyboard.type('chen.jing@lotus-software.cn');
  await page.keyboard.press('Tab');
  await expect(field('Offshore company address')).toBeFocused();
  await page.keyboard.type('88 Software Park Road, Dalian');
  for (const [label, value] of [
    ['Department', 'Offshore Delivery'],
    ['Offshore reporting officer name', 'Chen Jing'],
    ['Offshore reporting officer email', 'chen.jing@lotus-software.cn'],
    ['Offshore company address', '88 Software Park Road, Dalian'],
  ] as const) {
    await expect(field(label)).toHaveValue(value);
  }
  await expect(number).toHaveValue(mobile);
  await wizard.expectAccessible();
  // After the last field: the warning's support link, then Register.
  await keys.press(page.getByRole('button', { name: 'Register', exact: true }), 'Enter');

  await wizard.expectStep(STEP_TITLES.accountCreated);
  await wizard.expectAccessible();
  expect((await backend.latest({ to: mobile, template: 'N-INITPWD' })).data.password).toBeTruthy();
  expect((await backend.account(username)).state).toBe('PENDING');
});
