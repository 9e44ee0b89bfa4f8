import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  InvitationSummary,
  RegistrationResult,
  RequiredAction,
  SeedSummary,
  StepId,
  AccountState,
  PasswordDelivery,
  BusinessOperation,
} from '../../../shared/contract';
import { SeedReport } from '../../../shared/domain/seed-report';

/**
 * What the host remembers on disk between runs: non-secret progress only. Tokens live in the vault, passwords
 * nowhere. Everything here could be shown to the user without harm.
 */
export const Progress = z.object({
  version: z.literal(1),
  /**
   * The backend this progress belongs to (its base URL). Progress saved against another backend is never resumed: its
   * account, dates and secrets mean nothing there. Absent in files written before it existed (then adopted).
   */
  backendUrl: z.string().optional(),
  /** The last UI step the user was on (used where the server has no say: welcome, register, account-created…). */
  step: StepId,
  invitation: InvitationSummary.optional(),
  registration: RegistrationResult.optional(),
  /** Reused on every retry of the registration POST, across restarts too, so the backend replays instead of acting twice. */
  registrationIdempotencyKey: z.string().optional(),
  username: z.string().optional(),
  loginId: z.string().optional(),
  passwordDelivery: PasswordDelivery.optional(),
  businessOperation: BusinessOperation.optional(),
  accountState: AccountState.optional(),
  /** The server's last word, kept so the step survives being offline. */
  requiredActions: z.array(RequiredAction).default([]),
  onboardingComplete: z.boolean().default(false),
  activateBy: z.string().optional(),
  seed: SeedSummary.optional(),
  /** The mobile given at registration (E.164; contact data, not a secret), to prefill the phone step. */
  registeredMobile: z.string().optional(),
  /** The last SMS code sent for the phone step, so a restart shows it instead of sending another. */
  phoneCode: z.object({ sentTo: z.string(), resendAvailableAt: z.string(), expiresAt: z.string() }).optional(),
  /** Terms documents accepted in this journey (`id@version`): the API lists documents, not who accepted them. */
  acceptedTerms: z.array(z.string()).default([]),
  /** Set once "Verify TechPass login" succeeded. */
  verified: z.boolean().default(false),
  seedReport: SeedReport.optional(),
  finished: z.boolean().default(false),
  /**
   * One random id per journey, sent as X-Correlation-Id on every backend request and shown in the support details,
   * so support finds this journey's lines in the backend's log. A new journey (fresh progress) gets a new one.
   */
  correlationId: z.string().default(() => randomUUID()),
  /** The registration's initial-password SMS reference (SMS variant), to show on account-created whether it failed. */
  initialPasswordDelivery: z.string().optional(),
});
export type Progress = z.infer<typeof Progress>;

export const initialProgress = (): Progress => Progress.parse({ version: 1, step: 'welcome' });

export const PROGRESS_FILE = 'onboarding-progress.json';

/** Two spellings of one backend base URL (trailing slash, letter case of the host) are the same backend. */
export function sameBackend(a: string, b: string): boolean {
  const norm = (u: string): string => {
    try {
      return new URL(u).toString().replace(/\/+$/, '');
    } catch {
      return u.replace(/\/+$/, '');
    }
  };
  return norm(a) === norm(b);
}

/** Progress as one JSON file, written atomically (temp file + rename) so a crash never leaves half a file. */
export class ProgressStore {
  readonly file: string;
  constructor(private readonly dir: string) {
    this.file = join(dir, PROGRESS_FILE);
  }

  load(): Progress {
    return this.loadSaved() ?? initialProgress();
  }

  /** The saved progress, or undefined when there is none that can be read (missing, corrupt or foreign file). */
  loadSaved(): Progress | undefined {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = Progress.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The progress to resume against `backendUrl`: the saved one when it belongs to that backend (or predates the
   * binding), else a fresh start bound to it. `discarded` says the secrets kept beside the progress must go too
   * (they belong to another backend, or to progress that can no longer be read).
   */
  loadFor(backendUrl: string): { progress: Progress; discarded: boolean } {
    const saved = this.loadSaved();
    if (saved && (saved.backendUrl === undefined || sameBackend(saved.backendUrl, backendUrl))) {
      return { progress: { ...saved, backendUrl }, discarded: false };
    }
    return { progress: { ...initialProgress(), backendUrl }, discarded: true };
  }

  save(progress: Progress): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(Progress.parse(progress), null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
