import { describe, expect, it } from 'vitest';
import { invitationProblems, invitationStatusAt } from './invitation-rules';

const onshore = { email: 'jane@accenture.com', businessOperation: 'onshore' as const, seedRequested: false };
const offshore = {
  email: 'p@infosys.com',
  businessOperation: 'offshore' as const,
  odc: 'Others',
  offshoreCompanyName: 'Infosys',
  seedRequested: true,
};

describe('invitationProblems (§3.1 cross-field rules)', () => {
  it('accepts a valid onshore and a valid offshore invitation', () => {
    expect(invitationProblems(onshore)).toBeUndefined();
    expect(invitationProblems(offshore)).toBeUndefined();
    expect(
      invitationProblems({ ...offshore, odc: 'Infosys Chennai ODC', offshoreCompanyName: undefined }),
    ).toBeUndefined();
  });
  it.each([
    ['a WoG address', { ...onshore, email: 'officer@tech.gov.sg' }, 'email'],
    ['an MoE address', { ...onshore, email: 'teacher@moe.gov.sg' }, 'email'],
    ['offshore without an ODC', { ...offshore, odc: undefined, offshoreCompanyName: undefined }, 'odc'],
    ['ODC Others without a company', { ...offshore, offshoreCompanyName: undefined }, 'offshoreCompanyName'],
    ['a company with a listed ODC', { ...offshore, odc: 'Infosys Chennai ODC' }, 'offshoreCompanyName'],
    ['offshore without SEED', { ...offshore, seedRequested: false }, 'seedRequested'],
    ['onshore with an ODC', { ...onshore, odc: 'X' }, 'odc'],
    ['onshore with a company', { ...onshore, offshoreCompanyName: 'X' }, 'offshoreCompanyName'],
  ])('refuses %s', (_, body, field) => {
    expect(Object.keys(invitationProblems(body) ?? {})).toEqual([field]);
  });
  it('a Q3 government domain is invited (non-integrated)', () => {
    expect(invitationProblems({ ...onshore, email: 'officer@mindef.gov.sg' })).toBeUndefined();
  });
});

describe('invitationStatusAt (D1 on every read)', () => {
  const expiresAt = '2026-03-06T00:00:00.000Z';
  it('a sent invitation reads expired from its expiry instant on', () => {
    expect(invitationStatusAt({ status: 'sent', expiresAt }, new Date('2026-03-05T23:59:59.999Z'))).toBe('sent');
    expect(invitationStatusAt({ status: 'sent', expiresAt }, new Date(expiresAt))).toBe('expired');
    expect(invitationStatusAt({ status: 'SENT', expiresAt }, new Date(expiresAt))).toBe('expired');
  });
  it('every other status stays what it is', () => {
    for (const status of ['registered', 'superseded', 'revoked', 'expired'] as const) {
      expect(invitationStatusAt({ status, expiresAt }, new Date('2027-01-01T00:00:00Z'))).toBe(status);
    }
  });
  it('an unknown stored status is an error, not a silent pass', () => {
    expect(() => invitationStatusAt({ status: 'pending', expiresAt }, new Date())).toThrow();
  });
});
