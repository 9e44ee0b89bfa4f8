/**
 * SEED provisioning rules (domain.md §2.3, §6.1) that more than one path applies: the lifecycle job and the admin
 * API revoke a licence on disable, the terms step asks for the MDM AUP, and both the host and the wizard decide
 * from the same rule whether the device check is part of the journey.
 */
import { seedAtRegistration } from './registration-rules';
import type { BusinessOperation, SeedState } from './states';

/** SEED states that hold a licence: disabling the account revokes it (T4, D6). */
export const SEED_LICENCE_STATES: readonly SeedState[] = [
  'PROVISIONED',
  'INVITE_EXPIRED',
  'DEVICE_ONBOARDING',
  'ONBOARDED',
];

// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- names the known values; a stored string is accepted
export function holdsSeedLicence(state: SeedState | string): boolean {
  return (SEED_LICENCE_STATES as readonly string[]).includes(state);
}

/**
 * SEED was provisioned for the account at some point (a licence held now, or revoked and reinstated on re-enable):
 * the MDM AUP is one of its terms (§4.1 step 7, A28).
 */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- names the known values; a stored string is accepted
export function seedProvisioned(state: SeedState | string): boolean {
  return holdsSeedLicence(state) || state === 'LICENCE_REVOKED';
}

/**
 * The device check is a step of this journey (§6.1): only while SEED is PROVISIONED. Any other state is explained on
 * the Done step instead (email expired, licence revoked, a device already onboarding or onboarded). The account's
 * state decides as soon as it is known; before registration the invitation predicts it (the rule the backend applies
 * when it creates the account), so the step count does not change along the way.
 */
export function deviceCheckInJourney(facts: {
  seedState?: SeedState | undefined;
  invitation?: { seedRequested: boolean; businessOperation: BusinessOperation } | undefined;
}): boolean {
  if (facts.seedState !== undefined) return facts.seedState === 'PROVISIONED';
  return facts.invitation ? seedAtRegistration(facts.invitation) : false;
}
