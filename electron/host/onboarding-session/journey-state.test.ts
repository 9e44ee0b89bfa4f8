import { describe, expect, it } from 'vitest';
import { buildJourneyState, type JourneyFacts } from './journey-state';
import { initialProgress, type Progress } from './progress-store';

const keychain = { available: true, persistent: true } as unknown as JourneyFacts['keychain'];

function facts(progress: Partial<Progress>, rest: Partial<JourneyFacts> = {}): JourneyFacts {
  return {
    progress: { ...initialProgress(), ...progress },
    me: undefined,
    step: 'welcome',
    signedIn: false,
    hasInvitationToken: false,
    mfaPending: false,
    keychain,
    clockDriftSeconds: undefined,
    ...rest,
  };
}

const invitation = {
  emailMasked: 'j***@accenture.com',
  businessOperation: 'onshore' as const,
  odc: null,
  seedRequested: false,
  passwordDelivery: 'sms' as const,
  requiredFields: [],
  expiresAt: '2026-03-05T02:00:00Z',
};
const registration = {
  username: 'jane.tan',
  loginId: 'jane.tan@techpass.gov.sg',
  passwordDelivery: 'sms' as const,
  activateBy: '2026-04-01T00:00:00Z',
  seed: { state: 'NOT_REQUIRED' as const },
  emailSentTo: 'j***@accenture.com',
};

describe('buildJourneyState', () => {
  it('a fresh journey: the step and the status flags, nothing else', () => {
    expect(buildJourneyState(facts({}))).toEqual({
      step: 'welcome',
      signedIn: false,
      requiredActions: [],
      onboardingComplete: false,
      keychain,
      verified: false,
      mfaPending: false,
      // The journey's id for support (the backend logs it with every request of this journey).
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('shows the invitation only while its token is held and nothing is registered yet', () => {
    expect(buildJourneyState(facts({ invitation }, { step: 'register', hasInvitationToken: true })).invitation).toEqual(
      invitation,
    );
    expect(
      buildJourneyState(facts({ invitation }, { step: 'register', hasInvitationToken: false })).invitation,
    ).toBeUndefined();
    const after = buildJourneyState(
      facts({ invitation, registration }, { step: 'account-created', hasInvitationToken: true }),
    );
    expect(after.invitation).toBeUndefined();
    expect(after.registration).toEqual(registration);
  });

  it('the server view wins over remembered progress for the required actions, in §4.1 order', () => {
    const j = buildJourneyState(
      facts(
        { requiredActions: ['terms'], onboardingComplete: false },
        {
          signedIn: true,
          step: 'authenticator',
          me: { requiredActions: ['terms', 'authenticator', 'phone'], onboardingComplete: false },
        },
      ),
    );
    expect(j.requiredActions).toEqual(['authenticator', 'phone', 'terms']);
    const offline = buildJourneyState(
      facts({ requiredActions: ['terms', 'phone'], onboardingComplete: false }, { step: 'phone' }),
    );
    expect(offline.requiredActions).toEqual(['phone', 'terms']);
    expect(
      buildJourneyState(facts({ onboardingComplete: false }, { me: { requiredActions: [], onboardingComplete: true } }))
        .onboardingComplete,
    ).toBe(true);
  });

  it('the pending phone code only on the phone step; the registered mobile only where it is prefilled or resent to', () => {
    const phoneCode = {
      sentTo: '+65****4567',
      resendAvailableAt: '2026-03-01T00:01:00Z',
      expiresAt: '2026-03-01T00:10:00Z',
    };
    const p = { phoneCode, registeredMobile: '+6591234567' };
    expect(buildJourneyState(facts(p, { step: 'phone' }))).toMatchObject({
      phoneCode,
      registeredMobile: '+6591234567',
    });
    for (const step of ['sign-in', 'account-created'] as const) {
      const j = buildJourneyState(facts(p, { step }));
      expect(j.phoneCode).toBeUndefined();
      expect(j.registeredMobile).toBe('+6591234567');
    }
    for (const step of ['terms', 'done'] as const)
      expect(buildJourneyState(facts(p, { step })).registeredMobile).toBeUndefined();
  });

  it('carries the remembered account facts and the clock drift when known', () => {
    const j = buildJourneyState(
      facts(
        {
          username: 'jane.tan',
          loginId: 'jane.tan@techpass.gov.sg',
          passwordDelivery: 'self_set',
          accountState: 'ACTIVE',
          businessOperation: 'offshore',
          activateBy: '2026-04-01T00:00:00Z',
          seed: { state: 'PROVISIONED' },
        },
        { step: 'terms', clockDriftSeconds: -42 },
      ),
    );
    expect(j).toMatchObject({
      username: 'jane.tan',
      loginId: 'jane.tan@techpass.gov.sg',
      passwordDelivery: 'self_set',
      accountState: 'ACTIVE',
      businessOperation: 'offshore',
      activateBy: '2026-04-01T00:00:00Z',
      seed: { state: 'PROVISIONED' },
      clockDriftSeconds: -42,
    });
    expect('clockDriftSeconds' in buildJourneyState(facts({}))).toBe(false);
  });
});
