import { describe, expect, it } from 'vitest';
import { decideRoute, type EligibilityReasonCode, type Route } from './eligibility';
import { EligibilityAnswers } from './eligibility-schema';

describe('decideRoute (domain.md §1.3)', () => {
  const cases: {
    email: string;
    q1?: boolean;
    nonSe?: boolean;
    seed?: boolean;
    route: Route;
    code: EligibilityReasonCode;
    rule: string;
  }[] = [
    { email: 'jane@litemail.gov.sg', q1: true, route: 'CONTACT_SUPPORT', code: 'E-ELIG-LITEMAIL', rule: 'R1' },
    { email: 'jane@litemail.gov.sg', route: 'CONTACT_SUPPORT', code: 'E-ELIG-LITEMAIL', rule: 'R1' },
    { email: 'jane@gmail.com', q1: true, route: 'CONTACT_SUPPORT', code: 'E-ELIG-PERSONAL', rule: 'R2' },
    { email: 'jane@proton.me', route: 'CONTACT_SUPPORT', code: 'E-ELIG-PERSONAL', rule: 'R2' },
    { email: 'jane@tech.gov.sg', q1: true, route: 'INVITE', code: 'E-ELIG-INVITE-ONLY', rule: 'Q1' },
    { email: 'jane@accenture.com', route: 'INVITE', code: 'E-ELIG-INVITE-ONLY', rule: 'Q2' },
    { email: 'jane@accenture.com', nonSe: false, route: 'INVITE', code: 'E-ELIG-INVITE-ONLY', rule: 'Q2' },
    { email: 'jane@mindef.gov.sg', route: 'INVITE', code: 'E-ELIG-INVITE-ONLY', rule: 'Q3' },
    { email: 'jane@sps.gov.sg', route: 'INVITE', code: 'E-ELIG-INVITE-ONLY', rule: 'Q3' },
    { email: 'jane@cpf.gov.sg', route: 'SELF_SIGN_UP', code: 'I-ELIG-SELF-SIGN-UP', rule: 'Q4' },
    { email: 'jane@moe.gov.sg', seed: true, route: 'SELF_SIGN_UP', code: 'I-ELIG-SELF-SIGN-UP', rule: 'Q4' },
    { email: 'jane_from.acme@tech.gov.sg', route: 'SELF_SIGN_UP', code: 'I-ELIG-SELF-SIGN-UP', rule: 'Q4' },
    { email: 'jane@cpf.gov.sg', nonSe: false, route: 'SERVICE_REQUEST_SE_GSIB', code: 'E-ELIG-SEGSIB', rule: 'R3' },
    { email: 'jane@schools.gov.sg', seed: true, route: 'INVITE', code: 'E-ELIG-NOSEED-DOMAIN', rule: 'R4' },
    { email: 'jane@schools.gov.sg', seed: false, route: 'SELF_SIGN_UP', code: 'I-ELIG-SELF-SIGN-UP', rule: 'Q4' },
    { email: 'not-an-email', route: 'CONTACT_SUPPORT', code: 'E-ELIG-EMAIL-INVALID', rule: 'FORMAT' },
  ];
  it.each(cases)('$email q1=$q1 nonSe=$nonSe seed=$seed → $route ($rule)', (c) => {
    const d = decideRoute({
      email: c.email,
      needsSgtsOrGcc: c.q1 ?? false,
      hasNonSeGsib: c.nonSe ?? true,
      wantsSeed: c.seed ?? false,
    });
    expect(d.route).toBe(c.route);
    expect(d.reasonCode).toBe(c.code);
    expect(d.rule).toBe(c.rule);
    // A code only: no English crosses from the shared rule (the wizard words the reason code).
    expect(Object.values(d).filter((v) => typeof v === 'string' && / /.test(v))).toEqual([]);
  });

  it('hides SEED at sign-up for schools.gov.sg only', () => {
    expect(
      decideRoute({ email: 'a@schools.gov.sg', needsSgtsOrGcc: false, hasNonSeGsib: true }).seedOfferedAtSignUp,
    ).toBe(false);
    expect(decideRoute({ email: 'a@cpf.gov.sg', needsSgtsOrGcc: false, hasNonSeGsib: true }).seedOfferedAtSignUp).toBe(
      true,
    );
  });

  it('marks _from. vendors (R5)', () => {
    expect(
      decideRoute({ email: 'a_from.acme@tech.gov.sg', needsSgtsOrGcc: false, hasNonSeGsib: true }).fromVendor,
    ).toBe(true);
  });

  it('sends government domains off the sign-up allowlist to INVITE (R6)', () => {
    const d = decideRoute(
      { email: 'a@hdb.gov.sg', needsSgtsOrGcc: false, hasNonSeGsib: true },
      { signUpAllowlist: ['tech.gov.sg', 'cpf.gov.sg'] },
    );
    expect([d.route, d.rule]).toEqual(['INVITE', 'R6']);
    const ok = decideRoute(
      { email: 'a@sub.tech.gov.sg', needsSgtsOrGcc: false, hasNonSeGsib: true },
      { signUpAllowlist: ['tech.gov.sg'] },
    );
    expect(ok.route).toBe('SELF_SIGN_UP');
  });

  it('validates answers strictly', () => {
    expect(EligibilityAnswers.safeParse({ email: 'a@b.com', needsSgtsOrGcc: true, hasNonSeGsib: true }).success).toBe(
      true,
    );
    expect(EligibilityAnswers.safeParse({ email: 'a@b.com', needsSgtsOrGcc: 'yes', hasNonSeGsib: true }).success).toBe(
      false,
    );
    expect(
      EligibilityAnswers.safeParse({ email: 'a@b.com', needsSgtsOrGcc: true, hasNonSeGsib: true, x: 1 }).success,
    ).toBe(false);
  });
});
