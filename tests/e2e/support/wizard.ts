import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { BackendApi } from './backend-api';
import { expectReflow } from './reflow';

/**
 * Page objects for the wizard's steps. Controls are found by role and accessible name only (no CSS into the component
 * tree), so every spec that uses them also checks that the screens are labelled for assistive technology.
 */
export const STEP_TITLES = {
  welcome: 'Set up your TechPass account',
  paste: 'Open your invitation',
  register: 'Register your TechPass account',
  accountCreated: 'Your account is created',
  signIn: 'Sign in to TechPass',
  mfa: 'Enter your authenticator code',
  authenticator: 'Set up your authenticator app',
  phone: 'Add your phone for SMS codes',
  password: 'Choose a new password',
  terms: 'Accept the terms',
  verify: 'Check that you can sign in',
  deviceCheck: 'Check your device for SEED',
  done: 'Your TechPass account is ready',
} as const;

export interface RegistrationDetails {
  username: string;
  firstName?: string;
  lastName?: string;
  department?: string;
  countryDial?: string;
  mobile?: string;
  password?: string;
  offshore?: { roName: string; roEmail: string; companyAddress: string };
}

export const INITIAL_STRONG_PASSWORD = 'Str0ng&Secure#Pass';
export const NEW_PASSWORD = 'N3w-Quiet-Harbour!';

export class Wizard {
  constructor(readonly page: Page) {}

  heading(name: string) {
    return this.page.getByRole('heading', { level: 1, name });
  }

  /** The step's heading is shown, and the screen reflows at 320 CSS px (every step of every journey is checked). */
  async expectStep(title: string): Promise<void> {
    await expect(this.heading(title)).toBeVisible();
    await expectReflow(this.page);
  }

  /** No horizontal scroll and nothing cut off at 320 CSS px, on the screen as it is now. */
  async expectReflow(): Promise<void> {
    await expectReflow(this.page);
  }

  /** axe (WCAG 2.0/2.1/2.2 A and AA) on whatever the screen shows now, and reflow at 320 CSS px. */
  async expectAccessible(): Promise<void> {
    await expectReflow(this.page);
    const result = await new AxeBuilder({ page: this.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  // --- welcome and registration -------------------------------------------------------------------------------
  async startWithInvitation(link: string): Promise<void> {
    await this.expectStep(STEP_TITLES.welcome);
    await this.page.getByRole('button', { name: 'I have an invitation email' }).click();
    await this.expectStep(STEP_TITLES.paste);
    await field(this.page, 'Registration link or code').fill(link);
    await this.page.getByRole('button', { name: 'Open invitation' }).click();
    await this.expectStep(STEP_TITLES.register);
  }

  async fillRegistration(d: RegistrationDetails): Promise<void> {
    const p = this.page;
    await field(p, 'Username').first().fill(d.username);
    await field(p, 'First name').fill(d.firstName ?? 'Wei Ling');
    await field(p, 'Last name').fill(d.lastName ?? 'Tan');
    await field(p, 'Department').fill(d.department ?? 'Platform Engineering');
    await field(p, 'Country code').selectOption({ label: countryLabel(d.countryDial ?? '+65') });
    await p.getByRole('textbox', { name: /^Mobile number/ }).fill(d.mobile ?? '91234567');
    if (d.offshore) {
      await field(p, 'Offshore reporting officer name').fill(d.offshore.roName);
      await field(p, 'Offshore reporting officer email').fill(d.offshore.roEmail);
      await field(p, 'Offshore company address').fill(d.offshore.companyAddress);
    }
    if (d.password) {
      await field(p, 'Password').fill(d.password);
      await field(p, 'Confirm password').fill(d.password);
    }
  }

  async submitRegistration(): Promise<void> {
    await this.page.getByRole('button', { name: 'Register', exact: true }).click();
    await this.expectStep(STEP_TITLES.accountCreated);
  }

  // --- sign-in ---------------------------------------------------------------------------------------------------
  async goToSignIn(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign in now' }).click();
    await this.expectStep(STEP_TITLES.signIn);
  }

  /** From the welcome screen: a user who registered already (elsewhere, or before this app kept their progress). */
  async signInFromWelcome(): Promise<void> {
    await this.expectStep(STEP_TITLES.welcome);
    await this.page.getByRole('button', { name: 'I already have a TechPass account: sign in' }).click();
    await this.expectStep(STEP_TITLES.signIn);
  }

  /** The sign-in's second factor, once an authenticator is enrolled. */
  async enterMfaCode(code: string): Promise<void> {
    await this.expectStep(STEP_TITLES.mfa);
    await field(this.page, '6-digit code').fill(code);
    await this.page.getByRole('button', { name: 'Verify code' }).click();
  }

  /** Types a code on the authenticator step and submits it (no waiting for the outcome). */
  async submitAuthenticatorCode(code: string): Promise<void> {
    await field(this.page, '6-digit code from the app').fill(code);
    await this.page.getByRole('button', { name: 'Verify and continue' }).click();
  }

  /** "Start over" and its confirmation: the app forgets local progress (never the account). */
  async startOver(): Promise<void> {
    await this.page.getByRole('button', { name: 'Start over' }).click();
    await this.page.getByRole('button', { name: 'Yes, start over' }).click();
    await this.expectStep(STEP_TITLES.welcome);
  }

  /** An error the wizard shows as an alert (what happened and what to do next), by its text. */
  alert(text: string | RegExp) {
    return this.page.getByRole('alert').filter({ hasText: text });
  }

  async signIn(loginId: string, password: string): Promise<void> {
    await field(this.page, 'TechPass ID (username)').fill(loginId);
    await field(this.page, 'Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  // --- authenticator -------------------------------------------------------------------------------------------------
  /** Reads the setup key from the screen the way a user who cannot scan would ("Can't scan?"). */
  async readSetupKey(): Promise<string> {
    await this.expectStep(STEP_TITLES.authenticator);
    await expect(this.page.getByRole('img', { name: 'QR code to add TechPass to your authenticator app' })).toBeVisible();
    // "Can't scan?": the setup key the user would type by hand.
    const key = this.page.getByRole('paragraph').filter({ hasText: 'Setup key:' }).getByRole('code');
    await expect(key).toBeVisible();
    const raw = (await key.textContent()) ?? '';
    return raw.replace(/\s+/g, '');
  }

  async enrolAuthenticator(backend: BackendApi): Promise<string> {
    const secret = await this.readSetupKey();
    await field(this.page, '6-digit code from the app').fill(await backend.totp(secret));
    await this.page.getByRole('button', { name: 'Verify and continue' }).click();
    return secret;
  }

  // --- phone ---------------------------------------------------------------------------------------------------------
  async verifyPhone(backend: BackendApi, dial: string, number: string): Promise<void> {
    await this.expectStep(STEP_TITLES.phone);
    const e164 = `${dial}${number}`;
    await field(this.page, 'Country code').selectOption({ label: countryLabel(dial) });
    await this.page.getByRole('textbox', { name: /^Mobile number/ }).fill(number);
    await this.page.getByRole('button', { name: 'Send code' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: 'We sent a 6-digit code' })).toBeVisible();
    const sms = await backend.latest({ to: e164, channel: 'sms', template: 'N-PHONE-CODE' });
    await field(this.page, '6-digit code from the SMS').fill(String(sms.data.code));
    await this.page.getByRole('button', { name: 'Verify phone' }).click();
  }

  // --- password ------------------------------------------------------------------------------------------------------
  async changePassword(current: string, next: string): Promise<void> {
    await this.expectStep(STEP_TITLES.password);
    await field(this.page, 'Current password (from the SMS)').fill(current);
    await field(this.page, 'New password').fill(next);
    await field(this.page, 'Confirm new password').fill(next);
    await this.page.getByRole('button', { name: 'Change password' }).click();
  }

  // --- terms ---------------------------------------------------------------------------------------------------------
  /** Accepts each document separately; exactly these documents must be asked for. */
  async acceptAllTerms(expected: string[]): Promise<void> {
    await this.expectStep(STEP_TITLES.terms);
    await expect(this.page.getByRole('button', { name: /^Accept / })).toHaveCount(expected.length);
    for (const title of expected) {
      const accept = this.page.getByRole('button', { name: `Accept ${title}` });
      await accept.click();
      await expect(accept).toBeHidden();
    }
  }

  // --- verify ----------------------------------------------------------------------------------------------------------
  async verifySignIn(backend: BackendApi, loginId: string, password: string, secret: string): Promise<void> {
    await this.expectStep(STEP_TITLES.verify);
    await field(this.page, 'TechPass ID (username)').fill(loginId);
    await field(this.page, 'Password').fill(password);
    // A fresh code: the enrolment code of this time step was already used, and codes are never accepted twice.
    await field(this.page, '6-digit code from your authenticator app').fill(await backend.totp(secret, 1));
    await this.page.getByRole('button', { name: 'Verify sign-in' }).click();
    await expect(this.page.getByText('Your TechPass sign-in works.')).toBeVisible();
  }
}

/** A form control by its label, with or without the "(required)" marker. */
function field(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}( \\(required\\))?$`));
}

function countryLabel(dial: string): string {
  const names: Record<string, string> = { '+65': 'Singapore', '+86': 'China', '+91': 'India', '+60': 'Malaysia' };
  return `${names[dial] ?? dial} (${dial})`;
}
