import { describe, expect, it } from 'vitest';
import {
  formatSgt,
  registrationDeepLink,
  renderTemplate,
  secretKeys,
  TEMPLATE_IDS,
  templateChannel,
  TemplateError,
  type TemplateId,
} from './templates';

const samples: Record<TemplateId, Record<string, unknown>> = {
  'N-REG-LINK': {
    token: 'AbC_-123xyz',
    registrationUrl: 'https://onboard.techpass.example/register/AbC_-123xyz',
    expiresAt: '2026-12-05T02:00:00.000Z',
    inviterEmail: 'pm@tech.gov.sg',
  },
  'N-REG-RESULT': { outcome: 'registered', inviteeEmail: 'jane@acme.com', at: '2026-12-01T02:00:00Z', username: 'jane.tan' },
  'N-REG-UNDELIVERED': { inviteeEmail: 'jane@acme.com', at: '2026-12-01T02:00:00Z', reason: 'rejected' },
  'N-ONBOARD': { username: 'jane.tan', loginId: 'jane.tan@techpass.gov.sg', activateBy: '2026-12-31T02:00:00Z' },
  'N-INITPWD': { password: 'Xy7!pQr2-Zk9mA', loginId: 'jane.tan@techpass.gov.sg' },
  'N-SEED-INVITE': { loginId: 'jane.tan@techpass.gov.sg', expiresAt: '2026-12-31T02:00:00Z' },
  'N-REMIND-TERM-PENDING': { loginId: 'jane.tan@techpass.gov.sg', deadline: '2026-12-31T02:00:00Z' },
  'N-REMIND-DISABLE': { loginId: 'jane.tan@techpass.gov.sg', deadline: '2026-12-31T02:00:00Z' },
  'N-REMIND-TERM': { loginId: 'jane.tan@techpass.gov.sg', deadline: '2026-12-31T02:00:00Z' },
  'N-STATUS': { loginId: 'jane.tan@techpass.gov.sg', status: 'disabled', at: '2026-12-31T02:00:00Z', source: 'scheduled-job', reason: '90 days without sign-in' },
  'N-SEED-REVOKED': { loginId: 'jane.tan@techpass.gov.sg' },
  'N-PWD-EXPIRY': { loginId: 'jane.tan@techpass.gov.sg', expiresAt: '2026-12-31T02:00:00Z' },
  'N-PWD-RESET-CODE': { code: '048213' },
  'N-PHONE-CODE': { code: '913370' },
  'N-PWD-RESET-LINK': { loginId: 'jane.tan@techpass.gov.sg', resetUrl: 'https://onboard.techpass.example/reset/tok', expiresAt: '2026-12-01T04:00:00Z', ticket: 'SR-1234' },
  'N-DUP-REG': { loginId: 'jane.tan@techpass.gov.sg' },
  'N-PWD-CHANGED': { loginId: 'jane.tan@techpass.gov.sg', at: '2026-12-01T02:00:00Z', via: 'reset' },
};

describe('templates', () => {
  it('covers every notification code the backend sends', () => {
    expect([...TEMPLATE_IDS].sort()).toEqual(Object.keys(samples).sort());
  });

  it.each(TEMPLATE_IDS)('%s renders with its sample data', (id) => {
    const r = renderTemplate(id, samples[id]);
    expect(r.body.length).toBeGreaterThan(20);
    if (templateChannel(id) === 'email') expect(r.subject).toBeTruthy();
    else {
      expect(r.subject).toBeUndefined();
      expect(r.body.length).toBeLessThanOrEqual(160 * 3);
    }
    expect(r.body).not.toMatch(/undefined|null|\[object Object\]/);
  });

  it.each(TEMPLATE_IDS.filter((id) => Object.keys(samples[id]).length > 0))('%s refuses missing data, naming the fields only', (id) => {
    expect(() => renderTemplate(id, {})).toThrow(TemplateError);
    try {
      renderTemplate(id, {});
    } catch (e) {
      expect((e as Error).message).toMatch(new RegExp(`^Template ${id} needs valid data for: `));
    }
  });

  it('N-REG-LINK carries the https link, the deep link and the expiry in SGT', () => {
    const r = renderTemplate('N-REG-LINK', samples['N-REG-LINK']);
    expect(r.body).toContain('https://onboard.techpass.example/register/AbC_-123xyz');
    expect(r.body).toContain('techpass-onboarding://register?token=AbC_-123xyz');
    expect(r.body).toContain('Sat 5 Dec 2026, 10:00 SGT');
    expect(r.body).toContain('pm@tech.gov.sg');
  });

  it('N-ONBOARD says to log in with the username, not the email, and to check junk folders', () => {
    const r = renderTemplate('N-ONBOARD', samples['N-ONBOARD']);
    expect(r.body).toContain('Username: jane.tan');
    expect(r.body).toContain('TechPass ID: jane.tan@techpass.gov.sg');
    expect(r.body).toMatch(/not with your email address/);
    expect(r.body).toMatch(/junk, spam, deleted items and archive/);
  });

  it('SMS templates carry the secret', () => {
    expect(renderTemplate('N-INITPWD', samples['N-INITPWD']).body).toContain('Xy7!pQr2-Zk9mA');
    expect(renderTemplate('N-PWD-RESET-CODE', samples['N-PWD-RESET-CODE']).body).toMatch(/^048213 /);
    expect(renderTemplate('N-PHONE-CODE', samples['N-PHONE-CODE']).body).toMatch(/^913370 /);
    expect(() => renderTemplate('N-PHONE-CODE', { code: '12345' })).toThrow(/code/);
  });

  it('N-SEED-INVITE names the expiry, the persona and the links (A23)', () => {
    const vendor = renderTemplate('N-SEED-INVITE', samples['N-SEED-INVITE']).body;
    expect(vendor).toContain('Thu 31 Dec 2026, 10:00 SGT');
    expect(vendor).toMatch(/vendor/);
    expect(vendor).toMatch(/prerequisites/);
    expect(vendor).toMatch(/device check in the TechPass Onboarding app/);
    expect(vendor).not.toMatch(/techpass-onboarding:\/\//); // the desktop accepts only register links
    expect(renderTemplate('N-SEED-INVITE', { loginId: 'jane@tech.gov.sg', expiresAt: '2026-12-31T02:00:00Z' }).body).toMatch(/public officer/);
  });

  it.each([
    ['registered', /accepted/, /No action is needed/],
    ['expired', /expired/, /send a new invitation/],
  ] as const)('N-REG-RESULT %s', (outcome, subject, body) => {
    const r = renderTemplate('N-REG-RESULT', { ...samples['N-REG-RESULT'], outcome });
    expect(r.subject).toMatch(subject);
    expect(r.body).toMatch(body);
  });

  it.each([
    ['enabled', /Sign in within 5 days/],
    ['disabled', /service request/],
    ['terminated', /cannot be recovered/],
    ['deleted', /deleted/],
  ] as const)('N-STATUS %s says what to do and links the FAQ', (status, next) => {
    const r = renderTemplate('N-STATUS', { loginId: 'a@techpass.gov.sg', status, at: new Date('2026-01-01T00:00:00Z') });
    expect(r.body).toMatch(next);
    expect(r.body).toMatch(/Accounts FAQ: https:\/\//);
    expect(r.body).toContain('Thu 1 Jan 2026, 08:00 SGT');
  });

  it('N-PWD-RESET-LINK (§5.2) has the ticket and the one-time link', () => {
    const r = renderTemplate('N-PWD-RESET-LINK', samples['N-PWD-RESET-LINK']);
    expect(r.body).toContain('SR-1234');
    expect(r.body).toContain('https://onboard.techpass.example/reset/tok');
  });

  it('lists secret keys and channels', () => {
    expect(secretKeys('N-INITPWD')).toEqual(['password']);
    expect(secretKeys('N-REG-LINK')).toEqual(['token', 'registrationUrl']);
    expect(templateChannel('N-PHONE-CODE')).toBe('sms');
    expect(templateChannel('N-ONBOARD')).toBe('email');
  });

  it('rejects unknown templates and formats helpers', () => {
    expect(() => renderTemplate('N-NOPE', {})).toThrow(/Unknown message template N-NOPE/);
    expect(formatSgt('2026-03-01T16:30:00Z')).toBe('Mon 2 Mar 2026, 00:30 SGT');
    expect(registrationDeepLink('a+b/c')).toBe('techpass-onboarding://register?token=a%2Bb%2Fc');
  });
});
