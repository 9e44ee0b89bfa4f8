/**
 * The user's journey: the server's state (required actions, account and SEED state) plus local, non-secret progress
 * saved on disk, and the secrets the host must hold (in the vault). Each step's work is in steps/<step>.ts over the
 * shared SessionContext; every journey call here runs under the context's lock and returns the journey as it now
 * is, so the wizard only ever renders what the host says.
 */
import type { JourneyState, RegistrationForm, StepId, TermsDocument, UiLocale } from '../../../shared/contract';
import type { SeedReport } from '../../../shared/domain/seed-report';
import { HostError } from '../host-error';
import { canNavigate } from './derive-step';
import { SessionContext, type OnboardingSessionDeps } from './context';
import type { PhoneCodeDeliveryView } from '../phone';
import * as authenticator from './steps/authenticator';
import * as deviceCheck from './steps/device-check';
import * as done from './steps/done';
import * as password from './steps/password';
import * as phone from './steps/phone';
import * as register from './steps/register';
import * as signIn from './steps/sign-in';
import * as terms from './steps/terms';
import * as verify from './steps/verify';

export { maskMobile } from '../phone';
export { deriveStep, canNavigate, ACTION_ORDER } from './derive-step';
export { ProgressStore, Progress, PROGRESS_FILE } from './progress-store';
export { buildJourneyState } from './journey-state';
export type { OnboardingSessionDeps } from './context';

export class OnboardingSession {
  private readonly ctx: SessionContext;

  constructor(deps: OnboardingSessionDeps) {
    this.ctx = new SessionContext(deps);
  }

  /** Runs `work` under the lock: one journey call at a time. */
  private run<T>(work: (ctx: SessionContext) => Promise<T>): Promise<T> {
    return this.ctx.exclusive(() => work(this.ctx));
  }

  /**
   * The server said the session is gone: forget every secret (the caller's error tells the user to sign in). Called
   * from inside a journey call (the client's callback), so it does not take the lock.
   */
  sessionGone(): void {
    this.ctx.forgetSecretsNow();
    this.ctx.log.info('session ended by the server; vault wiped');
  }

  /** The session's token when signed in (under the lock, so never half-way through a sign-in). */
  sessionToken(): Promise<string | undefined> {
    return this.run(async (ctx) => (await ctx.vault.get('session-token')) ?? undefined);
  }

  // ---------- journey ----------
  getJourney(): Promise<JourneyState> {
    return this.run((ctx) => ctx.freshJourney());
  }

  navigate(to: StepId): Promise<JourneyState> {
    return this.run(async (ctx) => {
      await ctx.refresh();
      const current = await ctx.currentStep();
      if (!canNavigate(current, to, ctx.progress, ctx.seedState())) {
        throw HostError.of('BAD_REQUEST', `navigation refused: ${current} -> ${to}`, {
          params: { reason: 'step_not_available' },
        });
      }
      ctx.save({ step: to });
      return ctx.journey();
    });
  }

  resetJourney(): Promise<JourneyState> {
    return this.run(async (ctx) => {
      await ctx.forgetSecrets();
      ctx.progress = ctx.freshProgress();
      ctx.store.save(ctx.progress);
      return ctx.journey();
    });
  }

  // ---------- steps ----------
  openInvitation(link: string): Promise<JourneyState> {
    return this.run((ctx) => register.openInvitation(ctx, link));
  }

  wouldReplaceJourney(token: string): Promise<boolean> {
    return this.run((ctx) => register.wouldReplaceJourney(ctx, token));
  }

  openDeepLink(url: string): Promise<JourneyState> {
    return this.run((ctx) => register.openDeepLink(ctx, url));
  }

  submitRegistration(form: RegistrationForm): Promise<JourneyState> {
    return this.run((ctx) => register.submitRegistration(ctx, form));
  }

  signIn(loginId: string, pass: string): Promise<{ status: 'signed_in' | 'mfa_required'; journey: JourneyState }> {
    return this.run((ctx) => signIn.signIn(ctx, loginId, pass));
  }

  submitMfaCode(code: string): Promise<JourneyState> {
    return this.run((ctx) => signIn.submitMfaCode(ctx, code));
  }

  signOut(): Promise<JourneyState> {
    return this.run((ctx) => signIn.signOut(ctx));
  }

  startPasswordReset(loginId: string): Promise<Record<string, never>> {
    return this.run((ctx) => signIn.startPasswordReset(ctx, loginId));
  }

  completePasswordReset(loginId: string, code: string, newPassword: string): Promise<Record<string, never>> {
    return this.run((ctx) => signIn.completePasswordReset(ctx, loginId, code, newPassword));
  }

  resendInitialPassword(
    loginId: string,
    mobile: string | undefined,
  ): Promise<{ sentTo: string; sentToday: number; dailyLimit: number; resendAvailableAt: string }> {
    return this.run((ctx) => signIn.resendInitialPassword(ctx, loginId, mobile));
  }

  startAuthenticatorEnrolment(): Promise<{ secret: string; otpauthUri: string }> {
    return this.run((ctx) => authenticator.startAuthenticatorEnrolment(ctx));
  }

  verifyAuthenticator(code: string): Promise<JourneyState> {
    return this.run((ctx) => authenticator.verifyAuthenticator(ctx, code));
  }

  sendPhoneCode(mobile: string): Promise<{ sentTo: string; resendAvailableAt: string; expiresAt: string }> {
    return this.run((ctx) => phone.sendPhoneCode(ctx, mobile));
  }

  verifyPhoneCode(code: string): Promise<JourneyState> {
    return this.run((ctx) => phone.verifyPhoneCode(ctx, code));
  }

  /** How the phone code SMS is doing (polled by the phone step while the user waits). */
  phoneCodeDelivery(): Promise<PhoneCodeDeliveryView> {
    return this.run((ctx) => phone.phoneCodeDelivery(ctx));
  }

  /** How the registration's initial-password SMS is doing (polled by account-created). */
  initialPasswordDelivery(): Promise<PhoneCodeDeliveryView> {
    return this.run((ctx) => register.initialPasswordDelivery(ctx));
  }

  /** This journey's correlation id (sent as X-Correlation-Id on every backend request). */
  get correlationId(): string {
    return this.ctx.progress.correlationId;
  }

  changePassword(currentPassword: string, newPassword: string): Promise<JourneyState> {
    return this.run((ctx) => password.changePassword(ctx, currentPassword, newPassword));
  }

  getTerms(): Promise<TermsDocument[]> {
    return this.run((ctx) => terms.getTerms(ctx));
  }

  acceptTerm(id: TermsDocument['id'], version: string, language?: UiLocale): Promise<JourneyState> {
    return this.run((ctx) => terms.acceptTerm(ctx, id, version, language));
  }

  verifySignIn(loginId: string, pass: string, code: string): Promise<JourneyState> {
    return this.run((ctx) => verify.verifySignIn(ctx, loginId, pass, code));
  }

  seedAccountInputs(): Promise<deviceCheck.SeedAccountInputs> {
    return this.run((ctx) => deviceCheck.seedAccountInputs(ctx));
  }

  recordSeedReport(report: SeedReport): void {
    deviceCheck.recordSeedReport(this.ctx, report);
  }

  get lastSeedReport(): SeedReport | undefined {
    return this.ctx.progress.seedReport;
  }

  finishOnboarding(): Promise<JourneyState> {
    return this.run((ctx) => done.finishOnboarding(ctx));
  }
}
