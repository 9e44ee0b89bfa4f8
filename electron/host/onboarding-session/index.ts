import type { JourneyState, RegistrationForm, StepId, TermsDocument } from '../../../shared/contract';
import type { SeedReport } from '../../../shared/domain/seed-report';
import { parseDeepLink, parseInvitationLink } from '../deep-link';
import { NOT_SIGNED_IN_MESSAGE } from '../error-messages';
import { HostError } from '../host-error';
import { silentLogger, type HostLogger } from '../host-log';
import { maskMobile, validateMobile } from '../phone';

export { maskMobile } from '../phone';
import { ProvisioningClient, type Me, type RegistrationBody } from '../provisioning-client';
import type { Vault } from '../vault';
import { ACTION_ORDER, canNavigate, deriveStep, type ServerView } from './derive-step';
import { initialProgress, type Progress, type ProgressStore } from './progress-store';
import { usernameFromLoginId } from '../../../shared/domain/registration-rules';

export { deriveStep, canNavigate, ACTION_ORDER } from './derive-step';
export { ProgressStore, Progress, PROGRESS_FILE } from './progress-store';

export interface OnboardingSessionDeps {
  client: ProvisioningClient;
  vault: Vault;
  store: ProgressStore;
  log?: HostLogger;
  now?: () => Date;
}

const DEFAULT_RESEND_SECONDS = 60;
const DEFAULT_CODE_MINUTES = 10;

/**
 * The user's journey: the server's state (required actions, account and SEED state) plus local, non-secret progress
 * saved on disk, and the secrets the host must hold (in the vault). Every method returns the journey as it now is,
 * so the wizard only ever renders what the host says.
 */
export class OnboardingSession {
  private progress: Progress;
  private readonly client: ProvisioningClient;
  private readonly vault: Vault;
  private readonly store: ProgressStore;
  private readonly log: HostLogger;
  private readonly now: () => Date;
  /** The server's view from this run (fresh), else undefined and the cached one in progress is used. */
  private me: Me | undefined;
  /** The current authenticator enrolment (memory only: the TOTP secret never goes to disk or the keychain). */
  private enrolment: { secret: string; otpauthUri: string } | undefined;
  /** Settles once secrets of discarded progress are gone from the keychain; new secrets are stored only after it. */
  private readonly vaultReady: Promise<void>;

  constructor(deps: OnboardingSessionDeps) {
    this.client = deps.client;
    this.vault = deps.vault;
    this.store = deps.store;
    this.log = deps.log ?? silentLogger;
    this.now = deps.now ?? (() => new Date());
    const { progress, discarded } = this.store.loadFor(this.client.baseUrl);
    this.progress = progress;
    // Recorded at once: a file adopted from before the binding now names its backend, and a discarded one no longer
    // holds the previous user's details.
    try {
      this.store.save(this.progress);
    } catch {
      this.log.warn('progress could not be saved; it is kept for this run only');
    }
    if (discarded) {
      // Progress of another backend (or none that can be read): its session and tokens must never be sent to this
      // one, so the keychain entries beside it go too. wipe() forgets them in memory at once.
      this.vaultReady = this.vault.wipe().catch(() => undefined);
      this.log.info('no progress for this backend; starting a new journey');
    } else {
      this.vaultReady = Promise.resolve();
    }
  }

  /** A fresh start on this backend. */
  private freshProgress(patch: Partial<Progress> = {}): Progress {
    return { ...initialProgress(), backendUrl: this.client.baseUrl, ...patch };
  }

  private async storeSecret(key: 'registration-token' | 'mfa-token' | 'session-token', value: string): Promise<void> {
    await this.vaultReady;
    await this.vault.set(key, value);
  }

  /**
   * Progress belongs to one account: signing in as someone else (another invitee on this computer) drops what was
   * saved for the previous one, so nobody sees another person's "account ready" screen, dates or device report.
   */
  private async bindAccount(loginId: string): Promise<void> {
    const previous = this.progress.loginId ?? this.progress.registration?.loginId;
    if (!previous || usernameFromLoginId(previous) === usernameFromLoginId(loginId)) return;
    await this.vault.delete('registration-token');
    this.enrolment = undefined;
    this.me = undefined;
    this.progress = this.freshProgress({ step: 'sign-in' });
    this.store.save(this.progress);
    this.log.info('signed in as another account; the previous account\'s progress was dropped');
  }

  /** The server said the session is gone: forget every secret (the caller's error tells the user to sign in). */
  sessionGone(): void {
    this.me = undefined;
    this.enrolment = undefined;
    void this.vault.wipe();
    this.log.info('session ended by the server; vault wiped');
  }

  // ---------- journey ----------
  async getJourney(): Promise<JourneyState> {
    await this.refresh();
    return this.journey();
  }

  async navigate(to: StepId): Promise<JourneyState> {
    await this.refresh();
    const current = await this.currentStep();
    if (!canNavigate(current, to, this.progress, this.seedState())) {
      throw HostError.of('BAD_REQUEST', 'This step is not available yet. Finish the current step first.', {
        details: { from: current, to },
      });
    }
    this.save({ step: to });
    return this.journey();
  }

  async resetJourney(): Promise<JourneyState> {
    await this.endServerSession();
    await this.vault.wipe();
    this.me = undefined;
    this.enrolment = undefined;
    this.progress = this.freshProgress();
    this.store.save(this.progress);
    return this.journey();
  }

  // ---------- invitation and registration ----------
  async openInvitation(link: string): Promise<JourneyState> {
    const parsed = parseInvitationLink(link);
    if (!parsed) {
      throw HostError.of('INVALID_LINK', 'This is not a TechPass registration link. Copy the whole link from your invitation email and paste it again.', {
        fields: { link: 'Paste the registration link from your invitation email.' },
      });
    }
    return this.applyInvitationToken(parsed.token);
  }

  /**
   * Whether opening `token` would replace a journey the user is in the middle of (an invitation opened, an account
   * registered or signed in, not yet finished): the host then asks before applying it. Reads only; changes nothing.
   */
  async wouldReplaceJourney(token: string): Promise<boolean> {
    if (this.progress.finished) return false;
    if (!this.progress.invitation && !this.progress.registration && !this.progress.loginId) return false;
    return (await this.vault.get('registration-token')) !== token;
  }

  async openDeepLink(url: string): Promise<JourneyState> {
    const parsed = parseDeepLink(url);
    if (!parsed) {
      this.log.warn('deep link ignored: not a techpass-onboarding://register link', { length: url.length });
      throw HostError.of('INVALID_LINK', 'This link cannot be opened by the app. Use the registration link from your invitation email.');
    }
    return this.applyInvitationToken(parsed.token);
  }

  private async applyInvitationToken(token: string): Promise<JourneyState> {
    const info = await this.client.getRegistration(token);
    if (this.progress.registration || this.progress.loginId || this.progress.finished || this.progress.verified) {
      // A new, valid invitation after an earlier registration (Done included): a new journey (the old account is
      // untouched).
      await this.endServerSession();
      await this.vault.wipe();
      this.me = undefined;
      this.enrolment = undefined;
      this.progress = this.freshProgress();
      this.log.info('new invitation opened after an earlier registration; starting a new journey');
    }
    await this.storeSecret('registration-token', token);
    const sameInvitation = this.progress.invitation?.expiresAt === info.expiresAt && this.progress.invitation.emailMasked === info.email;
    this.save({
      step: 'register',
      invitation: {
        emailMasked: info.email,
        businessOperation: info.businessOperation,
        odc: info.odc,
        ...(info.sponsoringAgency ? { sponsoringAgency: info.sponsoringAgency } : {}),
        ...(info.offshoreCompanyName ? { offshoreCompanyName: info.offshoreCompanyName } : {}),
        seedRequested: info.seedRequested,
        passwordDelivery: info.passwordDelivery,
        requiredFields: info.requiredFields,
        expiresAt: info.expiresAt,
      },
      businessOperation: info.businessOperation,
      passwordDelivery: info.passwordDelivery,
      finished: false,
      ...(sameInvitation ? {} : { registrationIdempotencyKey: undefined }),
    });
    this.log.info('invitation opened', { businessOperation: info.businessOperation, passwordDelivery: info.passwordDelivery });
    return this.journey();
  }

  async submitRegistration(form: RegistrationForm): Promise<JourneyState> {
    const token = await this.vault.get('registration-token');
    if (!token || !this.progress.invitation) {
      throw HostError.of('INVALID_LINK', 'Open your registration link again (from your invitation email) to continue registering.');
    }
    const mobile = validateMobile(form.mobile);
    if (!mobile.valid || !mobile.e164) {
      throw HostError.of('VALIDATION_FAILED', 'Some details are not valid. Correct the highlighted fields, then try again.', {
        fields: { mobile: mobile.message ?? 'Enter a mobile number with its country code.' },
      });
    }
    const body: RegistrationBody = {
      username: form.username.trim(),
      firstName: form.firstName.trim(),
      lastName: form.lastName.trim(),
      mobile: mobile.e164,
      department: form.department.trim(),
    };
    if (form.password !== undefined && form.password !== '') body.password = form.password;
    if (form.offshoreReportingOfficer) {
      body.offshoreReportingOfficer = { name: form.offshoreReportingOfficer.name.trim(), email: form.offshoreReportingOfficer.email.trim() };
    }
    if (form.offshoreCompanyAddress) body.offshoreCompanyAddress = form.offshoreCompanyAddress.trim();

    // One key per logical submission, saved first: a retry after a dropped connection or a restart replays it.
    const key = this.progress.registrationIdempotencyKey ?? ProvisioningClient.newIdempotencyKey();
    this.save({ registrationIdempotencyKey: key });
    let result;
    try {
      result = await this.client.submitRegistration(token, body, key);
    } catch (err) {
      // A definite answer (4xx) means nothing was created: the corrected form gets a new key. Unknown outcomes keep it.
      if (err instanceof HostError && !err.bridgeError.retryable && !['OFFLINE', 'TIMEOUT', 'BACKEND_UNREACHABLE'].includes(err.code)) {
        this.save({ registrationIdempotencyKey: undefined });
      }
      throw err;
    }
    await this.vault.delete('registration-token');
    this.save({
      step: 'account-created',
      registration: {
        ...result,
        emailSentTo: this.progress.invitation.emailMasked,
        ...(result.passwordDelivery === 'sms' ? { smsSentTo: maskMobile(mobile.e164) } : {}),
      },
      registrationIdempotencyKey: undefined,
      registeredMobile: mobile.e164,
      username: result.username,
      loginId: result.loginId,
      passwordDelivery: result.passwordDelivery,
      activateBy: result.activateBy,
      seed: result.seed,
      accountState: 'PENDING',
      requiredActions: [],
      onboardingComplete: false,
    });
    this.log.info('registration submitted', { passwordDelivery: result.passwordDelivery, seedState: result.seed.state });
    return this.journey();
  }

  // ---------- sign-in ----------
  async signIn(loginId: string, password: string): Promise<{ status: 'signed_in' | 'mfa_required'; journey: JourneyState }> {
    const id = checkLoginId(loginId);
    await this.endServerSession();
    const outcome = await this.client.signIn(id, password);
    await this.bindAccount(id);
    if (outcome.status === 'mfa_required') {
      await this.storeSecret('mfa-token', outcome.mfaToken);
      this.save({ loginId: this.progress.loginId ?? id, step: 'sign-in' });
      return { status: 'mfa_required', journey: await this.journey() };
    }
    await this.startSession(outcome.token, id);
    return { status: 'signed_in', journey: await this.getJourney() };
  }

  async submitMfaCode(code: string): Promise<JourneyState> {
    const mfaToken = await this.vault.get('mfa-token');
    if (!mfaToken) throw HostError.of('NOT_SIGNED_IN', 'Your sign-in has ended. Enter your username and password again.');
    const outcome = await this.client.submitMfaCode(mfaToken, code);
    if (outcome.status !== 'signed_in') throw HostError.of('UNEXPECTED', 'Sign-in did not finish. Try again.');
    await this.vault.delete('mfa-token');
    await this.startSession(outcome.token, this.progress.loginId);
    return this.getJourney();
  }

  async signOut(): Promise<JourneyState> {
    await this.endServerSession();
    await this.vault.wipe();
    this.me = undefined;
    this.enrolment = undefined;
    if (!this.progress.verified && !this.progress.finished) this.save({ step: 'sign-in' });
    this.log.info('signed out; vault wiped');
    return this.journey();
  }

  private async startSession(token: string, loginId: string | undefined): Promise<void> {
    await this.storeSecret('session-token', token);
    await this.vault.delete('mfa-token');
    if (loginId && !this.progress.loginId) this.save({ loginId });
    this.log.info('signed in');
  }

  /** Deletes the server session if one is held (errors ignored: the local state is cleared either way). */
  private async endServerSession(): Promise<void> {
    const token = await this.vault.get('session-token');
    await this.vault.delete('session-token');
    await this.vault.delete('mfa-token');
    if (!token) return;
    try {
      await this.client.signOut(token);
    } catch {
      this.log.warn('server sign-out failed; the session will expire by itself');
    }
  }

  // ---------- required actions ----------
  async startAuthenticatorEnrolment(): Promise<{ secret: string; otpauthUri: string }> {
    const token = await this.requireToken();
    // The same enrolment for the whole run: the user may already have scanned it.
    if (this.enrolment) return this.enrolment;
    this.enrolment = await this.client.startAuthenticator(token);
    return this.enrolment;
  }

  async verifyAuthenticator(code: string): Promise<JourneyState> {
    const token = await this.requireToken();
    await this.client.verifyAuthenticator(token, code);
    this.enrolment = undefined;
    return this.getJourney();
  }

  async sendPhoneCode(mobileInput: string): Promise<{ sentTo: string; resendAvailableAt: string; expiresAt: string }> {
    const token = await this.requireToken();
    const mobile = validateMobile(mobileInput);
    if (!mobile.valid || !mobile.e164) {
      throw HostError.of('VALIDATION_FAILED', mobile.message ?? 'Enter a mobile number with its country code.', {
        fields: { mobile: mobile.message ?? 'Enter a mobile number with its country code.' },
      });
    }
    const sent = await this.client.sendPhoneCode(token, mobile.e164);
    const now = this.now().getTime();
    const phoneCode = {
      sentTo: maskMobile(mobile.e164),
      resendAvailableAt: new Date(now + (sent.resendAfterSeconds ?? DEFAULT_RESEND_SECONDS) * 1000).toISOString(),
      expiresAt: sent.expiresAt ?? new Date(now + DEFAULT_CODE_MINUTES * 60_000).toISOString(),
    };
    this.save({ phoneCode });
    return phoneCode;
  }

  async verifyPhoneCode(code: string): Promise<JourneyState> {
    const token = await this.requireToken();
    await this.client.verifyPhoneCode(token, code);
    this.save({ phoneCode: undefined });
    return this.getJourney();
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<JourneyState> {
    const token = await this.requireToken();
    if (currentPassword === newPassword) {
      throw HostError.of('PASSWORD_POLICY', 'The new password must be different from the initial password.', {
        fields: { newPassword: 'Choose a password different from the initial one.' },
      });
    }
    await this.client.changePassword(token, currentPassword, newPassword);
    return this.getJourney();
  }

  async getTerms(): Promise<TermsDocument[]> {
    const token = await this.requireToken();
    const docs = await this.client.getTerms(token);
    await this.refresh();
    const allDone = !this.serverView()?.requiredActions.includes('terms');
    // Only the documents this user must accept (the MDM AUP only when SEED is provisioned).
    return docs
      .filter((d) => d.required)
      .map((d) => ({ ...d, accepted: allDone || this.progress.acceptedTerms.includes(`${d.id}@${d.version}`) }));
  }

  async acceptTerm(id: TermsDocument['id'], version: string): Promise<JourneyState> {
    const token = await this.requireToken();
    await this.client.acceptTerm(token, id, version);
    const key = `${id}@${version}`;
    if (!this.progress.acceptedTerms.includes(key)) this.save({ acceptedTerms: [...this.progress.acceptedTerms, key] });
    return this.getJourney();
  }

  /** "Verify TechPass login": end this session, then sign in afresh with the new password and an authenticator code. */
  async verifySignIn(loginId: string, password: string, code: string): Promise<JourneyState> {
    const id = checkLoginId(loginId);
    await this.endServerSession();
    this.me = undefined;
    this.save({ step: 'verify' });
    const first = await this.client.signIn(id, password);
    const outcome = first.status === 'mfa_required' ? await this.client.submitMfaCode(first.mfaToken, code) : first;
    if (outcome.status !== 'signed_in') throw HostError.of('UNEXPECTED', 'Sign-in did not finish. Try again.');
    await this.bindAccount(id);
    await this.startSession(outcome.token, id);
    await this.refresh();
    const view = this.serverView();
    if (view && !view.onboardingComplete) return this.journey();
    this.save({ verified: true, step: 'verify' });
    this.log.info('login verified');
    return this.journey();
  }

  // ---------- password reset ----------
  async startPasswordReset(loginId: string): Promise<Record<string, never>> {
    await this.client.startPasswordReset(checkLoginId(loginId));
    return {};
  }

  async completePasswordReset(loginId: string, code: string, newPassword: string): Promise<Record<string, never>> {
    await this.client.completePasswordReset(checkLoginId(loginId), code, newPassword);
    return {};
  }

  // ---------- initial password (SMS variant) ----------
  /**
   * "Send my first password again": the username and the registered mobile identify the account together (the
   * backend answers the same when they match nothing). The mobile defaults to the one given at registration.
   */
  async resendInitialPassword(
    loginIdInput: string,
    mobileInput: string | undefined,
  ): Promise<{ sentTo: string; sentToday: number; dailyLimit: number; resendAvailableAt: string }> {
    const id = checkLoginId(loginIdInput);
    const raw = mobileInput?.trim() ? mobileInput : this.progress.registeredMobile;
    const missing = 'Enter the mobile number you registered with, with its country code (for example +65 8123 4567).';
    if (!raw) throw HostError.of('VALIDATION_FAILED', missing, { fields: { mobile: missing } });
    const mobile = validateMobile(raw);
    if (!mobile.valid || !mobile.e164) {
      const message = mobile.message ?? missing;
      throw HostError.of('VALIDATION_FAILED', message, { fields: { mobile: message } });
    }
    const sent = await this.client.resendInitialPassword(id, mobile.e164);
    this.log.info('initial password resend asked', { sentToday: sent.sentToday });
    return {
      sentTo: maskMobile(mobile.e164),
      sentToday: sent.sentToday,
      dailyLimit: sent.dailyLimit,
      resendAvailableAt: new Date(this.now().getTime() + sent.resendAfterSeconds * 1000).toISOString(),
    };
  }

  // ---------- SEED and done ----------
  /** Facts the device check needs about the account (ACC-1…ACC-6), from the server when signed in. */
  async seedAccountInputs(): Promise<{
    accountState?: string;
    onboardingComplete?: boolean;
    seed?: { state: string; emailExpiresAt?: string; devices?: { state?: string; name?: string }[] };
    loginId?: string;
    businessOperation?: 'onshore' | 'offshore';
    maintenance?: { start: string; end: string; description?: string }[];
  }> {
    await this.refresh();
    const token = await this.vault.get('session-token');
    let seed: { state: string; emailExpiresAt?: string; devices?: { state?: string; name?: string }[] } | undefined = this.progress.seed;
    if (token) {
      try {
        const s = await this.client.getMeSeed(token);
        seed = { state: s.state, emailExpiresAt: s.emailExpiresAt, devices: s.devices.map((d) => ({ state: d.status, name: d.name })) };
      } catch (err) {
        this.log.warn('SEED state unavailable for the device check', { error: err instanceof HostError ? err.code : 'unexpected' });
      }
    }
    let maintenance: { start: string; end: string; description?: string }[] | undefined;
    try {
      const status = await this.client.getSeedStatus();
      maintenance = status.maintenance.windows.map((w) => ({ start: w.startsAt, end: w.endsAt, description: w.description }));
    } catch {
      maintenance = undefined;
    }
    return {
      accountState: this.progress.accountState,
      onboardingComplete: this.progress.onboardingComplete,
      seed,
      loginId: this.progress.loginId,
      businessOperation: this.progress.businessOperation,
      maintenance,
    };
  }

  recordSeedReport(report: SeedReport): void {
    this.save({ seedReport: report });
  }

  get lastSeedReport(): SeedReport | undefined {
    return this.progress.seedReport;
  }

  async finishOnboarding(): Promise<JourneyState> {
    await this.refresh();
    const current = await this.currentStep();
    if (!this.progress.verified && current !== 'done') {
      throw HostError.of('BAD_REQUEST', 'Finish the remaining steps first, then press Done.');
    }
    await this.endServerSession();
    await this.vault.wipe();
    this.me = undefined;
    this.save({ finished: true, step: 'done', phoneCode: undefined });
    this.log.info('onboarding finished; vault wiped');
    return this.journey();
  }

  // ---------- internals ----------
  private async requireToken(): Promise<string> {
    const token = await this.vault.get('session-token');
    if (!token) throw HostError.of('NOT_SIGNED_IN', NOT_SIGNED_IN_MESSAGE);
    return token;
  }

  /** Reads the server's view when signed in; keeps the remembered one when the server cannot be reached. */
  private async refresh(): Promise<void> {
    const token = await this.vault.get('session-token');
    if (!token) {
      this.me = undefined;
      return;
    }
    try {
      const me = await this.client.getMe(token);
      await this.bindAccount(me.loginId);
      this.me = me;
      this.save({
        username: me.username,
        loginId: me.loginId,
        accountState: me.state,
        requiredActions: me.requiredActions,
        onboardingComplete: me.onboardingComplete,
        activateBy: me.deadlines.activateBy ?? this.progress.activateBy,
        seed: me.seed,
      });
    } catch (err) {
      if (err instanceof HostError && ['UNAUTHORIZED', 'SESSION_EXPIRED'].includes(err.code)) {
        this.me = undefined;
        return;
      }
      // Offline, server down, or an answer we cannot read: show the remembered step rather than fail the journey.
      this.log.warn('server state unavailable; using the remembered state', { error: err instanceof HostError ? err.code : 'unexpected' });
    }
  }

  private serverView(): ServerView | undefined {
    if (this.me) return { requiredActions: this.me.requiredActions, onboardingComplete: this.me.onboardingComplete, seedState: this.me.seed.state };
    if (this.progress.loginId && this.progress.accountState) {
      return {
        requiredActions: this.progress.requiredActions,
        onboardingComplete: this.progress.onboardingComplete,
        seedState: this.progress.seed?.state,
      };
    }
    return undefined;
  }

  private seedState() {
    return this.me?.seed.state ?? this.progress.seed?.state;
  }

  private async currentStep(): Promise<StepId> {
    const signedIn = (await this.vault.get('session-token')) !== undefined;
    return deriveStep(this.progress, signedIn, this.serverView());
  }

  private save(patch: Partial<Progress>): void {
    this.progress = { ...this.progress, ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (this.progress as Record<string, unknown>)[k];
    this.store.save(this.progress);
  }

  async journey(): Promise<JourneyState> {
    const signedIn = (await this.vault.get('session-token')) !== undefined;
    const hasInvitationToken = (await this.vault.get('registration-token')) !== undefined;
    const mfaPending = (await this.vault.get('mfa-token')) !== undefined;
    const step = deriveStep(this.progress, signedIn, this.serverView());
    if (step !== this.progress.step) this.save({ step });
    const p = this.progress;
    const requiredActions = ACTION_ORDER.filter((a) => (this.me?.requiredActions ?? p.requiredActions).includes(a));
    const state: JourneyState = {
      step,
      signedIn,
      requiredActions,
      onboardingComplete: this.me?.onboardingComplete ?? p.onboardingComplete,
      keychain: this.vault.status,
      verified: p.verified,
      mfaPending,
    };
    if (p.invitation && hasInvitationToken && !p.registration) state.invitation = p.invitation;
    if (p.registration) state.registration = p.registration;
    if (p.username) state.username = p.username;
    if (p.loginId) state.loginId = p.loginId;
    if (p.passwordDelivery) state.passwordDelivery = p.passwordDelivery;
    if (p.accountState) state.accountState = p.accountState;
    if (p.businessOperation) state.businessOperation = p.businessOperation;
    if (p.activateBy) state.activateBy = p.activateBy;
    if (p.seed) state.seed = p.seed;
    if (p.seedReport) state.seedReport = p.seedReport;
    if (p.phoneCode && step === 'phone') state.phoneCode = p.phoneCode;
    // The phone step prefills it; sign-in and account-created use it for "Send my first password again".
    if (p.registeredMobile && (step === 'phone' || step === 'sign-in' || step === 'account-created')) state.registeredMobile = p.registeredMobile;
    if (this.client.clockDriftSeconds !== undefined) state.clockDriftSeconds = this.client.clockDriftSeconds;
    return state;
  }
}

/** domain.md E-LOGIN-USE-USERNAME: LOCAL users sign in with the TechPass username, never their organisational email. */
function checkLoginId(raw: string): string {
  const id = raw.trim();
  if (id.includes('@') && !id.toLowerCase().endsWith('@techpass.gov.sg')) {
    throw HostError.of(
      'VALIDATION_FAILED',
      'Sign in with the TechPass username from your onboarding email (name@techpass.gov.sg), not your email address.',
      { fields: { loginId: 'Use your TechPass username, not your email address.' } },
    );
  }
  return id;
}
