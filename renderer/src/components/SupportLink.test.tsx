import { describe, expect, it } from 'vitest';
import { supportDetails, supportUrl } from './SupportLink';

describe('supportUrl', () => {
  it('pre-fills the step, error code, TechPass ID, version and time, and never anything else', () => {
    const ctx = { step: 'Sign in', code: 'ACCOUNT_LOCKED', loginId: 'jane.tan@techpass.gov.sg', version: '0.1.0', platform: 'win32', time: '2026-03-02T02:00:00.000Z' };
    const url = new URL(supportUrl('https://go.gov.sg/seed-techpass-support', ctx));
    expect(url.origin + url.pathname).toBe('https://go.gov.sg/seed-techpass-support');
    expect(url.searchParams.get('summary')).toBe('TechPass onboarding: Sign in (ACCOUNT_LOCKED)');
    expect(url.searchParams.get('description')).toBe(
      'Step: Sign in\nError code: ACCOUNT_LOCKED\nTechPass ID: jane.tan@techpass.gov.sg\nApp version: 0.1.0\nPlatform: win32\nTime: 2026-03-02T02:00:00.000Z',
    );
  });

  it('leaves out what it does not know and appends to an existing query', () => {
    expect(supportDetails({ step: 'Start', time: 't' })).toEqual([
      ['Step', 'Start'],
      ['Time', 't'],
    ]);
    expect(supportUrl('https://x.example/?a=1', { step: 'Start', time: 't' })).toMatch(/^https:\/\/x\.example\/\?a=1&summary=/);
  });
});
