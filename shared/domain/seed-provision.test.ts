import { describe, expect, it } from 'vitest';
import { deviceCheckInJourney, holdsSeedLicence, SEED_LICENCE_STATES, seedProvisioned } from './seed-provision';
import { SeedState } from './states';

describe('SEED licence (T4: revoked on disable)', () => {
  it('is held while provisioned, expired, onboarding or onboarded, and by no other state', () => {
    expect(SeedState.options.filter(holdsSeedLicence)).toEqual([
      'PROVISIONED',
      'INVITE_EXPIRED',
      'DEVICE_ONBOARDING',
      'ONBOARDED',
    ]);
    expect(SEED_LICENCE_STATES).toHaveLength(4);
  });
  it('SEED counts as provisioned (MDM AUP owed) with a licence, or a revoked one', () => {
    expect(SeedState.options.filter(seedProvisioned)).toEqual([
      'PROVISIONED',
      'INVITE_EXPIRED',
      'DEVICE_ONBOARDING',
      'ONBOARDED',
      'LICENCE_REVOKED',
    ]);
  });
});

describe('deviceCheckInJourney (§6.1)', () => {
  const onshoreNoSeed = { seedRequested: false, businessOperation: 'onshore' as const };
  const offshore = { seedRequested: false, businessOperation: 'offshore' as const };
  it('only while SEED is PROVISIONED once the state is known', () => {
    expect(SeedState.options.filter((s) => deviceCheckInJourney({ seedState: s }))).toEqual(['PROVISIONED']);
  });
  it('before registration, predicted from the invitation (SEED requested, or offshore)', () => {
    expect(deviceCheckInJourney({ invitation: offshore })).toBe(true);
    expect(deviceCheckInJourney({ invitation: { ...onshoreNoSeed, seedRequested: true } })).toBe(true);
    expect(deviceCheckInJourney({ invitation: onshoreNoSeed })).toBe(false);
    expect(deviceCheckInJourney({})).toBe(false);
  });
  it('the known state wins over an invitation still held (a link that turned out to be used)', () => {
    expect(deviceCheckInJourney({ seedState: 'PROVISIONED', invitation: onshoreNoSeed })).toBe(true);
    expect(deviceCheckInJourney({ seedState: 'INVITE_EXPIRED', invitation: offshore })).toBe(false);
  });
});
