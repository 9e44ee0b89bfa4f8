import { describe, expect, it } from 'vitest';
import { canNavigate, deriveStep } from './derive-step';
import { initialProgress, Progress } from './progress-store';

const p = (patch: Partial<Progress>): Progress => ({ ...initialProgress(), ...patch });
const registration = {
  username: 'jane',
  loginId: 'jane@techpass.gov.sg',
  passwordDelivery: 'sms' as const,
  activateBy: '2026-12-30T00:00:00.000Z',
  seed: { state: 'PROVISIONED' as const },
};

describe('deriveStep', () => {
  it('follows the server’s required actions in the order authenticator → phone → password → terms', () => {
    const server = (requiredActions: Progress['requiredActions']) => ({ requiredActions, onboardingComplete: false });
    expect(deriveStep(p({ registration }), true, server(['terms', 'phone', 'authenticator', 'password']))).toBe(
      'authenticator',
    );
    expect(deriveStep(p({ registration }), true, server(['terms', 'password', 'phone']))).toBe('phone');
    expect(deriveStep(p({ registration }), true, server(['terms', 'password']))).toBe('password');
    expect(deriveStep(p({ registration }), true, server(['terms']))).toBe('terms');
    expect(deriveStep(p({ registration }), true, { requiredActions: [], onboardingComplete: true })).toBe('verify');
  });

  it('uses local progress where the server has no say', () => {
    expect(deriveStep(p({}), false, undefined)).toBe('welcome');
    expect(deriveStep(p({ step: 'register' }), false, undefined)).toBe('register');
    expect(deriveStep(p({ step: 'account-created', registration }), false, undefined)).toBe('account-created');
    expect(deriveStep(p({ step: 'sign-in', registration }), false, undefined)).toBe('sign-in');
    // Signed out in the middle of the actions: sign in again, then the server says where.
    expect(deriveStep(p({ step: 'phone', registration }), false, undefined)).toBe('sign-in');
    // Signed out after the actions were done: the verify step signs in again by itself.
    expect(deriveStep(p({ step: 'sign-in', onboardingComplete: true }), false, undefined)).toBe('verify');
  });

  it('after verification: verify, then device-check only when SEED is PROVISIONED, then done', () => {
    const verified = p({ verified: true, onboardingComplete: true, seed: { state: 'PROVISIONED' } });
    expect(deriveStep({ ...verified, step: 'verify' }, true, undefined)).toBe('verify');
    expect(deriveStep({ ...verified, step: 'device-check' }, true, undefined)).toBe('device-check');
    expect(deriveStep({ ...verified, step: 'device-check', seed: { state: 'NOT_REQUIRED' } }, true, undefined)).toBe(
      'done',
    );
    expect(deriveStep({ ...verified, step: 'done' }, false, undefined)).toBe('done');
    expect(deriveStep(p({ finished: true }), false, undefined)).toBe('done');
  });
});

describe('canNavigate: UI-only moves', () => {
  it.each([
    ['welcome', 'register', {}, true],
    ['register', 'welcome', {}, true],
    ['register', 'sign-in', {}, true],
    ['sign-in', 'welcome', {}, true],
    ['welcome', 'sign-in', {}, true],
    ['account-created', 'sign-in', { registration }, true],
    ['sign-in', 'account-created', { registration }, true],
    ['verify', 'device-check', { verified: true }, true],
    ['verify', 'done', { verified: true }, true],
    ['device-check', 'done', {}, true],
    ['done', 'device-check', { verified: true }, true],
    ['done', 'device-check', { verified: true, finished: true }, false],
    ['done', 'device-check', {}, false],
    ['welcome', 'terms', {}, false],
    ['register', 'account-created', {}, false],
    ['sign-in', 'authenticator', { registration }, false],
    ['sign-in', 'account-created', {}, false],
    ['authenticator', 'phone', {}, false],
    ['terms', 'verify', {}, false],
    ['verify', 'done', { verified: false }, false],
  ] as const)('%s → %s (%j) is %s', (from, to, patch, ok) => {
    expect(canNavigate(from, to, p(patch as Partial<Progress>), 'PROVISIONED')).toBe(ok);
  });

  it('verify → device-check only when SEED is provisioned', () => {
    expect(canNavigate('verify', 'device-check', p({ verified: true }), 'NOT_REQUIRED')).toBe(false);
  });
});
