import type { JourneyState, StepId } from '../../../shared/contract';
import type { Me } from '../provisioning-client';
import { ACTION_ORDER } from './derive-step';
import type { Progress } from './progress-store';

export interface JourneyFacts {
  progress: Progress;
  /** The server's view from this run, if it was read. */
  me: Pick<Me, 'requiredActions' | 'onboardingComplete'> | undefined;
  step: StepId;
  signedIn: boolean;
  /** The registration token is still held (the invitation can still be registered). */
  hasInvitationToken: boolean;
  mfaPending: boolean;
  keychain: JourneyState['keychain'];
  clockDriftSeconds: number | undefined;
}

/**
 * The journey the wizard renders, from what the host knows: no secret goes in, and each part only where the step
 * uses it (the pending phone code on the phone step, the registered mobile where it is prefilled or resent to).
 */
export function buildJourneyState(f: JourneyFacts): JourneyState {
  const p = f.progress;
  const { step } = f;
  const requiredActions = ACTION_ORDER.filter((a) => (f.me?.requiredActions ?? p.requiredActions).includes(a));
  const state: JourneyState = {
    step,
    signedIn: f.signedIn,
    requiredActions,
    onboardingComplete: f.me?.onboardingComplete ?? p.onboardingComplete,
    keychain: f.keychain,
    verified: p.verified,
    mfaPending: f.mfaPending,
    correlationId: p.correlationId,
  };
  if (p.invitation && f.hasInvitationToken && !p.registration) state.invitation = p.invitation;
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
  if (p.registeredMobile && (step === 'phone' || step === 'sign-in' || step === 'account-created'))
    state.registeredMobile = p.registeredMobile;
  if (f.clockDriftSeconds !== undefined) state.clockDriftSeconds = f.clockDriftSeconds;
  return state;
}
