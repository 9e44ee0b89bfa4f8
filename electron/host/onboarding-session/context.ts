import type { JourneyState, StepId } from '../../../shared/contract';
import { usernameFromLoginId } from '../../../shared/domain/registration-rules';
import { HostError } from '../host-error';
import { silentLogger, type HostLogger } from '../host-log';
import type { Me, ProvisioningClient } from '../provisioning-client';
import type { Vault } from '../vault';
import { deriveStep, type ServerView } from './derive-step';
import { buildJourneyState } from './journey-state';
import { initialProgress, type Progress, type ProgressStore } from './progress-store';

export interface OnboardingSessionDeps {
  client: ProvisioningClient;
  vault: Vault;
  store: ProgressStore;
  log?: HostLogger;
  now?: () => Date;
  /** After every sign-in, with its session (inside the journey lock: it must not take it). Its failure is its own. */
  onSignedIn?: (token: string) => Promise<void>;
}

/** The secrets the host keeps in the vault between calls. */
export type SessionSecret = 'registration-token' | 'mfa-token' | 'session-token';

/**
 * What every step of the journey shares: the server's view, local non-secret progress (saved on disk), the secrets
 * (in the vault, and the authenticator enrolment in memory), the one lock journey calls run under, and the one way
 * those secrets are forgotten.
 */
export class SessionContext {
  readonly client: ProvisioningClient;
  readonly vault: Vault;
  readonly store: ProgressStore;
  readonly log: HostLogger;
  readonly now: () => Date;
  private readonly onSignedIn: ((token: string) => Promise<void>) | undefined;
  progress: Progress;
  /** The server's view from this run (fresh), else undefined and the cached one in progress is used. */
  me: Me | undefined;
  /** The current authenticator enrolment (memory only: the TOTP secret never goes to disk or the keychain). */
  enrolment: { secret: string; otpauthUri: string } | undefined;
  /** Settles once secrets of discarded progress are gone from the keychain; new secrets are stored only after it. */
  private readonly vaultReady: Promise<void>;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(deps: OnboardingSessionDeps) {
    this.client = deps.client;
    this.vault = deps.vault;
    this.store = deps.store;
    this.log = deps.log ?? silentLogger;
    this.now = deps.now ?? (() => new Date());
    this.onSignedIn = deps.onSignedIn;
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

  /**
   * Journey calls run one at a time: the renderer may ask for the journey while a sign-in is under way, and each call
   * reads and writes the same progress and vault. Steps call each other's work directly, never through this again.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** A fresh start on this backend. */
  freshProgress(patch: Partial<Progress> = {}): Progress {
    return { ...initialProgress(), backendUrl: this.client.baseUrl, ...patch };
  }

  save(patch: Partial<Progress>): void {
    this.progress = { ...this.progress, ...patch };
    for (const [k, v] of Object.entries(patch))
      if (v === undefined) delete (this.progress as Record<string, unknown>)[k];
    this.store.save(this.progress);
  }

  async storeSecret(key: SessionSecret, value: string): Promise<void> {
    await this.vaultReady;
    await this.vault.set(key, value);
  }

  /** Forgets the secrets held in memory: the server's view of this account and the authenticator enrolment. */
  forgetMemory(): void {
    this.me = undefined;
    this.enrolment = undefined;
  }

  /** Ends the server session (if any), then forgets every secret: the vault's and those in memory. */
  async forgetSecrets(): Promise<void> {
    await this.endServerSession();
    await this.vault.wipe();
    this.forgetMemory();
  }

  /**
   * The server ended the session: forget every secret at once without waiting (this runs inside another journey
   * call, from the client's callback); the vault's wipe() forgets in memory before it reaches the keychain.
   */
  forgetSecretsNow(): void {
    this.forgetMemory();
    void this.vault.wipe();
  }

  /** Deletes the server session if one is held (errors ignored: the local state is cleared either way). */
  async endServerSession(): Promise<void> {
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

  async startSession(token: string, loginId: string | undefined): Promise<void> {
    await this.storeSecret('session-token', token);
    await this.vault.delete('mfa-token');
    if (loginId && !this.progress.loginId) this.save({ loginId });
    this.log.info('signed in');
    await this.onSignedIn?.(token).catch((err: unknown) =>
      this.log.warn('after sign-in work failed', { error: err instanceof Error ? err.name : typeof err }),
    );
  }

  /**
   * Progress belongs to one account: signing in as someone else (another invitee on this computer) drops what was
   * saved for the previous one, so nobody sees another person's "account ready" screen, dates or device report.
   */
  async bindAccount(loginId: string): Promise<void> {
    const previous = this.progress.loginId ?? this.progress.registration?.loginId;
    if (!previous || usernameFromLoginId(previous) === usernameFromLoginId(loginId)) return;
    await this.vault.delete('registration-token');
    this.forgetMemory();
    this.progress = this.freshProgress({ step: 'sign-in' });
    this.store.save(this.progress);
    this.log.info("signed in as another account; the previous account's progress was dropped");
  }

  async requireToken(): Promise<string> {
    const token = await this.vault.get('session-token');
    if (!token) throw HostError.of('NOT_SIGNED_IN', 'no session token in the vault');
    return token;
  }

  /** Reads the server's view when signed in; keeps the remembered one when the server cannot be reached. */
  async refresh(): Promise<void> {
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
      this.log.warn('server state unavailable; using the remembered state', {
        error: err instanceof HostError ? err.code : 'unexpected',
      });
    }
  }

  serverView(): ServerView | undefined {
    if (this.me)
      return {
        requiredActions: this.me.requiredActions,
        onboardingComplete: this.me.onboardingComplete,
        seedState: this.me.seed.state,
      };
    if (this.progress.loginId && this.progress.accountState) {
      return {
        requiredActions: this.progress.requiredActions,
        onboardingComplete: this.progress.onboardingComplete,
        seedState: this.progress.seed?.state,
      };
    }
    return undefined;
  }

  seedState() {
    return this.me?.seed.state ?? this.progress.seed?.state;
  }

  async currentStep(): Promise<StepId> {
    const signedIn = (await this.vault.get('session-token')) !== undefined;
    return deriveStep(this.progress, signedIn, this.serverView());
  }

  /** The journey as it now is (the step it derives is remembered). */
  async journey(): Promise<JourneyState> {
    const signedIn = (await this.vault.get('session-token')) !== undefined;
    const hasInvitationToken = (await this.vault.get('registration-token')) !== undefined;
    const mfaPending = (await this.vault.get('mfa-token')) !== undefined;
    const step = deriveStep(this.progress, signedIn, this.serverView());
    if (step !== this.progress.step) this.save({ step });
    return buildJourneyState({
      progress: this.progress,
      me: this.me,
      step,
      signedIn,
      hasInvitationToken,
      mfaPending,
      keychain: this.vault.status,
      clockDriftSeconds: this.client.clockDriftSeconds,
    });
  }

  /** The server's view refreshed, then the journey. */
  async freshJourney(): Promise<JourneyState> {
    await this.refresh();
    return this.journey();
  }
}
