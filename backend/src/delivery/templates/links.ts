/** Addresses the messages point to, the same in every language. */
export const DEEP_LINK_SCHEME = 'techpass-onboarding';
export const SUPPORT_URL = 'https://go.gov.sg/seed-techpass-support';
export const ACCOUNTS_FAQ_URL = 'https://docs.developer.tech.gov.sg/docs/techpass/faq-accounts';
export const SEED_PREREQUISITES_URL =
  'https://docs.developer.tech.gov.sg/docs/security-suite-for-engineering-endpoint-devices/prerequisites';
export const SEED_PERSONA_URL =
  'https://docs.developer.tech.gov.sg/docs/security-suite-for-engineering-endpoint-devices/identify-onboarding-persona';

/** The desktop wizard's deep link for a registration token. */
export function registrationDeepLink(token: string): string {
  return `${DEEP_LINK_SCHEME}://register?token=${encodeURIComponent(token)}`;
}
