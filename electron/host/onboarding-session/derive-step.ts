import type { RequiredAction, SeedState, StepId } from '../../../shared/contract';
import { deviceCheckInJourney } from '../../../shared/domain/seed-provision';
import type { Progress } from './progress-store';

/** domain.md §4.1: the order the server's required actions are worked through. */
export const ACTION_ORDER: readonly RequiredAction[] = ['authenticator', 'phone', 'password', 'terms'];

/** The device check is part of the journey only while SEED is provisioned (the wizard's progress uses the same rule). */
export const seedNeedsDeviceCheck = (state: SeedState | undefined): boolean =>
  deviceCheckInJourney({ seedState: state });

export interface ServerView {
  requiredActions: RequiredAction[];
  onboardingComplete: boolean;
  seedState?: SeedState;
}

/**
 * The step the user is on. The server's required actions decide while signed in; local progress decides where the
 * server has no say (before registration, between registration and sign-in, after verification). `server` is the
 * last known server view (fresh when online, remembered when not); `signedIn` says whether a session is held.
 */
export function deriveStep(progress: Progress, signedIn: boolean, server: ServerView | undefined): StepId {
  if (progress.finished) return 'done';
  if (progress.verified) {
    if (progress.step === 'verify') return 'verify';
    const deviceCheck = seedNeedsDeviceCheck(server?.seedState ?? progress.seed?.state);
    return progress.step === 'done' || !deviceCheck ? 'done' : 'device-check';
  }
  if (signedIn && server) {
    const next = ACTION_ORDER.find((a) => server.requiredActions.includes(a));
    if (next) return next;
    if (server.onboardingComplete) return 'verify';
  }
  // Not signed in, or the server's view is unknown: local progress decides.
  if (progress.onboardingComplete) return 'verify';
  switch (progress.step) {
    case 'welcome':
      return 'welcome';
    case 'register':
      return 'register';
    case 'account-created':
      return progress.registration ? 'account-created' : 'sign-in';
    default:
      return 'sign-in';
  }
}

/** UI-only moves `navigate` allows, given the step the journey is on. */
export function canNavigate(from: StepId, to: StepId, progress: Progress, seedState: SeedState | undefined): boolean {
  if (from === to) return true;
  switch (from) {
    case 'welcome':
      return to === 'register' || to === 'sign-in';
    case 'register':
      // Back, or on to sign-in when the link turns out to be used already (the account exists).
      return to === 'welcome' || to === 'sign-in';
    case 'account-created':
      return to === 'sign-in';
    case 'sign-in':
      return (to === 'account-created' && progress.registration !== undefined) || to === 'welcome';
    case 'verify':
      return progress.verified && (to === 'done' || (to === 'device-check' && seedNeedsDeviceCheck(seedState)));
    case 'device-check':
      return to === 'done';
    case 'done':
      // Back to the device check after a failed (or skipped) check, while the journey is not finished.
      return to === 'device-check' && progress.verified && !progress.finished && seedNeedsDeviceCheck(seedState);
    default:
      return false;
  }
}
