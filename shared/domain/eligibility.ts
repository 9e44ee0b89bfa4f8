/**
 * Eligibility and route selection (domain.md §1.3: questions Q1–Q4 and rules R1–R7).
 * Pure: the wizard's first step asks the questions and shows the route; the backend may reuse it. No zod here (the
 * first screen runs this): the schema of the answers is `eligibility-schema.ts`.
 */
import { classifyEmail, DEFAULT_EMAIL_LISTS, type EmailKind, type EmailLists } from './registration-rules';

export type Route = 'INVITE' | 'SELF_SIGN_UP' | 'CONTACT_SUPPORT' | 'SERVICE_REQUEST_SE_GSIB';

/**
 * §7 codes (E-ELIG-…) plus informational codes for the routes that are not errors. Codes only: the wizard words each
 * one (what the user should do next) from its catalogue, `eligibility.reasons`.
 */
export const ELIGIBILITY_REASON_CODES = [
  'E-ELIG-LITEMAIL',
  'E-ELIG-PERSONAL',
  'E-ELIG-INVITE-ONLY',
  'E-ELIG-SEGSIB',
  'E-ELIG-NOSEED-DOMAIN',
  'E-ELIG-EMAIL-INVALID',
  'I-ELIG-SELF-SIGN-UP',
] as const;
export type EligibilityReasonCode = (typeof ELIGIBILITY_REASON_CODES)[number];

/** Which rule of §1.3 decided. */
export type EligibilityRule = 'FORMAT' | 'R1' | 'R2' | 'Q1' | 'Q2' | 'Q3' | 'R3' | 'R4' | 'R6' | 'Q4';

/** The answers to §1.3's questions. */
export interface EligibilityAnswers {
  /** Q1: does the user need TechPass to reach SGTS or GCC services? */
  needsSgtsOrGcc: boolean;
  /** The user's organisational email. */
  email: string;
  /** R3: does the user have a non-SE GSIB (or a GMD) to reach the TechPass Portal? */
  hasNonSeGsib: boolean;
  /** Does the user want to onboard an Internet Device to SEED? Not asked means no. */
  wantsSeed?: boolean | undefined;
}

export interface EligibilityOptions {
  lists?: EmailLists;
  /**
   * R6: the portal's sign-up allowlist of government domains. Undefined = every `*.gov.sg` domain except LiteMail
   * and the Q3 domains (§9 A13). A listed domain also admits its subdomains.
   */
  signUpAllowlist?: readonly string[];
}

export interface RouteDecision {
  route: Route;
  reasonCode: EligibilityReasonCode;
  /** The §1.3 question or rule that decided. */
  rule: EligibilityRule;
  emailKind: EmailKind;
  /** SELF_SIGN_UP only: whether the sign-up page offers the SEED option (hidden for schools.gov.sg, R4). */
  seedOfferedAtSignUp: boolean;
  /** A `name_from.vendor@agency.gov.sg` address (R5): public-officer SEED route. */
  fromVendor: boolean;
}

function onAllowlist(domain: string, allowlist: readonly string[] | undefined): boolean {
  if (allowlist === undefined) return true;
  return allowlist.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** Evaluates §1.3 in order; the first rule that matches decides. */
export function decideRoute(answers: EligibilityAnswers, options: EligibilityOptions = {}): RouteDecision {
  const lists = options.lists ?? DEFAULT_EMAIL_LISTS;
  const c = classifyEmail(answers.email, lists);
  const wantsSeed = answers.wantsSeed ?? false;
  const decide = (
    route: Route,
    reasonCode: EligibilityReasonCode,
    rule: EligibilityRule,
    seedOffered = false,
  ): RouteDecision => ({
    route,
    reasonCode,
    rule,
    emailKind: c.kind,
    seedOfferedAtSignUp: seedOffered,
    fromVendor: c.fromVendor,
  });

  // Not an email at all: nothing can be decided; the user fixes the address (support if they have none).
  if (c.kind === 'invalid') return decide('CONTACT_SUPPORT', 'E-ELIG-EMAIL-INVALID', 'FORMAT');
  // R1 and R2 apply on every route, so before Q1.
  if (c.kind === 'litemail') return decide('CONTACT_SUPPORT', 'E-ELIG-LITEMAIL', 'R1');
  if (c.kind === 'personal') return decide('CONTACT_SUPPORT', 'E-ELIG-PERSONAL', 'R2');
  // Q1 (A12: "invite via TechBiz" is presented as "get invited by a public officer").
  if (answers.needsSgtsOrGcc) return decide('INVITE', 'E-ELIG-INVITE-ONLY', 'Q1');
  // Q2: organisational, non-government, non-personal.
  if (c.kind === 'organisation') return decide('INVITE', 'E-ELIG-INVITE-ONLY', 'Q2');
  // Q3: MINDEF/DSTA/… are invited as non-integrated.
  if (c.kind === 'q3') return decide('INVITE', 'E-ELIG-INVITE-ONLY', 'Q3');
  // Q4: government (WoG) or MoE addresses may sign up, subject to R3, R4, R6.
  if (!onAllowlist(c.domain, options.signUpAllowlist)) return decide('INVITE', 'E-ELIG-INVITE-ONLY', 'R6');
  const seedOffered = !lists.seedIneligibleSignUpDomains.some((d) => c.domain === d || c.domain.endsWith(`.${d}`));
  if (!answers.hasNonSeGsib) return decide('SERVICE_REQUEST_SE_GSIB', 'E-ELIG-SEGSIB', 'R3');
  if (wantsSeed && !seedOffered) return decide('INVITE', 'E-ELIG-NOSEED-DOMAIN', 'R4');
  return decide('SELF_SIGN_UP', 'I-ELIG-SELF-SIGN-UP', 'Q4', seedOffered);
}
