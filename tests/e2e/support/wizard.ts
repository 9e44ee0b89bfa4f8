import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { BackendApi } from './backend-api';
import { expectReflow } from './reflow';
import { fill, pattern, wordsFor, type Words } from './words';

/**
 * Page objects for the wizard's steps. Controls are found by role and accessible name only (no CSS into the component
 * tree), so every spec that uses them also checks that the screens are labelled for assistive technology.
 */
export function stepTitles(m: Words) {
  return {
    welcome: m.welcome.title,
    paste: m.register.pasteTitle,
    register: m.register.title,
    accountCreated: m.accountCreated.title,
    signIn: m.signIn.title,
    mfa: m.signIn.mfaTitle,
    authenticator: m.authenticator.title,
    phone: m.phone.title,
    password: m.password.title,
    terms: m.terms.title,
    verify: m.verify.title,
    deviceCheck: m.deviceCheck.title,
    done: m.done.title,
  } as const;
}
export const STEP_TITLES = stepTitles(wordsFor('en'));

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
  readonly titles: ReturnType<typeof stepTitles>;
  /** `m`: the words of the language the screens are in (English unless a spec runs another locale). */
  constructor(
    readonly page: Page,
    readonly m: Words = wordsFor('en'),
  ) {
    this.titles = stepTitles(m);
  }

  /** A form control by its label, with or without the "(required)" marker. */
  field(label: string) {
    return field(this.page, label, this.m);
  }

  heading(name: string) {
    return this.page.getByRole('heading', { level: 1, name });
  }

  /** The step's heading is shown, and the screen reflows at 320 CSS px (every step of every journey is checked). */
  async expectStep(title: string, timeout?: number): Promise<void> {
    await expect(this.heading(title)).toBeVisible(timeout === undefined ? undefined : { timeout });
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
    await this.expectStep(this.titles.welcome);
    await this.page.getByRole('button', { name: this.m.welcome.haveInvitation }).click();
    await this.expectStep(this.titles.paste);
    await this.field(this.m.register.linkLabel).fill(link);
    await this.page.getByRole('button', { name: this.m.register.open }).click();
    await this.expectStep(this.titles.register);
  }

  async fillRegistration(d: RegistrationDetails): Promise<void> {
    const p = this.page;
    const r = this.m.register;
    await this.field(r.username).first().fill(d.username);
    await this.field(r.firstName).fill(d.firstName ?? 'Wei Ling');
    await this.field(r.lastName).fill(d.lastName ?? 'Tan');
    await this.field(r.department).fill(d.department ?? 'Platform Engineering');
    await this.field(r.country).selectOption({ label: countryLabel(d.countryDial ?? '+65', this.m) });
    await p.getByRole('textbox', { name: new RegExp(`^${escapeRe(r.mobileNumber)}`) }).fill(d.mobile ?? '91234567');
    if (d.offshore) {
      await this.field(r.roName).fill(d.offshore.roName);
      await this.field(r.roEmail).fill(d.offshore.roEmail);
      await this.field(r.companyAddress).fill(d.offshore.companyAddress);
    }
    if (d.password) {
      await this.field(r.password).fill(d.password);
      await this.field(r.confirmPassword).fill(d.password);
    }
  }

  async submitRegistration(): Promise<void> {
    await this.page.getByRole('button', { name: this.m.register.submit, exact: true }).click();
    // Registration is the heaviest request of the journey (argon2id hashing of the initial password, the account and
    // outbox writes); on a loaded 2-core CI runner it is the likeliest step to pass the 10 s default.
    await this.expectStep(this.titles.accountCreated, 30_000);
  }

  // --- sign-in ---------------------------------------------------------------------------------------------------
  async goToSignIn(): Promise<void> {
    await this.page.getByRole('button', { name: this.m.accountCreated.next }).click();
    await this.expectStep(this.titles.signIn);
  }

  /** From the welcome screen: a user who registered already (elsewhere, or before this app kept their progress). */
  async signInFromWelcome(): Promise<void> {
    await this.expectStep(this.titles.welcome);
    await this.page.getByRole('button', { name: this.m.welcome.haveAccount }).click();
    await this.expectStep(this.titles.signIn);
  }

  /** The sign-in's second factor, once an authenticator is enrolled. */
  async enterMfaCode(code: string): Promise<void> {
    await this.expectStep(this.titles.mfa);
    await this.field(this.m.signIn.code).fill(code);
    await this.page.getByRole('button', { name: this.m.signIn.verifyCode }).click();
  }

  /** Types a code on the authenticator step and submits it (no waiting for the outcome). */
  async submitAuthenticatorCode(code: string): Promise<void> {
    await this.field(this.m.authenticator.code).fill(code);
    await this.page.getByRole('button', { name: this.m.authenticator.verify }).click();
  }

  /** "Start over" and its confirmation: the app forgets local progress (never the account). */
  async startOver(): Promise<void> {
    await this.page.getByRole('button', { name: this.m.welcome.startOver }).click();
    await this.page.getByRole('button', { name: this.m.welcome.startOverYes }).click();
    await this.expectStep(this.titles.welcome);
  }

  /** An error the wizard shows as an alert (what happened and what to do next), by its text. */
  alert(text: string | RegExp) {
    return this.page.getByRole('alert').filter({ hasText: text });
  }

  async signIn(loginId: string, password: string): Promise<void> {
    await this.field(this.m.signIn.loginId).fill(loginId);
    await this.field(this.m.signIn.password).fill(password);
    await this.page.getByRole('button', { name: this.m.signIn.submit, exact: true }).click();
  }

  // --- authenticator -------------------------------------------------------------------------------------------------
  /** Reads the setup key from the screen the way a user who cannot scan would ("Can't scan?"). */
  async readSetupKey(): Promise<string> {
    await this.expectStep(this.titles.authenticator);
    await expect(this.page.getByRole('img', { name: this.m.authenticator.qrAlt })).toBeVisible();
    // "Can't scan?": the setup key the user would type by hand.
    const key = this.page
      .getByRole('paragraph')
      .filter({ hasText: `${this.m.authenticator.manualKeyLabel}${this.m.labelSep.trim()}` })
      .getByRole('code');
    await expect(key).toBeVisible();
    const raw = (await key.textContent()) ?? '';
    return raw.replace(/\s+/g, '');
  }

  async enrolAuthenticator(backend: BackendApi): Promise<string> {
    const secret = await this.readSetupKey();
    await this.field(this.m.authenticator.code).fill(await backend.totp(secret));
    await this.page.getByRole('button', { name: this.m.authenticator.verify }).click();
    return secret;
  }

  // --- phone ---------------------------------------------------------------------------------------------------------
  async verifyPhone(backend: BackendApi, dial: string, number: string): Promise<void> {
    await this.expectStep(this.titles.phone);
    const e164 = `${dial}${number}`;
    await this.field(this.m.register.country).selectOption({ label: countryLabel(dial, this.m) });
    await this.page
      .getByRole('textbox', { name: new RegExp(`^${escapeRe(this.m.register.mobileNumber)}`) })
      .fill(number);
    await this.page.getByRole('button', { name: this.m.phone.send }).click();
    await expect(this.page.getByRole('status').filter({ hasText: pattern(this.m.phone.sentTo) })).toBeVisible();
    const sms = await backend.latest({ to: e164, channel: 'sms', template: 'N-PHONE-CODE' });
    await this.field(this.m.phone.code).fill(String(sms.data.code));
    await this.page.getByRole('button', { name: this.m.phone.verify }).click();
  }

  // --- password ------------------------------------------------------------------------------------------------------
  async changePassword(current: string, next: string): Promise<void> {
    await this.expectStep(this.titles.password);
    await this.field(this.m.password.current).fill(current);
    await this.field(this.m.password.newPassword).fill(next);
    await this.field(this.m.password.confirm).fill(next);
    await this.page.getByRole('button', { name: this.m.password.submit }).click();
  }

  // --- terms ---------------------------------------------------------------------------------------------------------
  /** Accepts each document separately; exactly these documents must be asked for. */
  async acceptAllTerms(expected: string[]): Promise<void> {
    await this.expectStep(this.titles.terms);
    await expect(this.page.getByRole('button', { name: pattern(this.m.terms.accept) })).toHaveCount(expected.length);
    for (const title of expected) {
      const accept = this.page.getByRole('button', { name: fill(this.m.terms.accept, { title }) });
      await accept.click();
      await expect(accept).toBeHidden();
    }
  }

  // --- verify ----------------------------------------------------------------------------------------------------------
  async verifySignIn(backend: BackendApi, loginId: string, password: string, secret: string): Promise<void> {
    await this.expectStep(this.titles.verify);
    await this.field(this.m.verify.loginId).fill(loginId);
    await this.field(this.m.verify.password).fill(password);
    // A fresh code: the enrolment code of this time step was already used, and codes are never accepted twice.
    await this.field(this.m.verify.code).fill(await backend.totp(secret, 1));
    await this.page.getByRole('button', { name: this.m.verify.submit }).click();
    await expect(this.page.getByText(this.m.verify.success)).toBeVisible();
  }
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A form control by its label, with or without the "(required)" marker. */
function field(page: Page, label: string, m: Words = wordsFor('en')) {
  return page.getByLabel(new RegExp(`^${escapeRe(label)}( ?${escapeRe(m.required)})?$`));
}

function countryLabel(dial: string, m: Words = wordsFor('en')): string {
  const iso: Record<string, keyof Words['countryNames']> = { '+65': 'SG', '+86': 'CN', '+91': 'IN', '+60': 'MY' };
  const code = iso[dial];
  return fill(m.countryOption, { name: code ? m.countryNames[code] : dial, dial });
}
