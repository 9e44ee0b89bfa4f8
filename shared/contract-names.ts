/**
 * The contract's method names as a plain list, with no zod: the sandboxed preload imports only this file, so it stays a
 * single small CommonJS bundle. `contract.ts` checks at compile time that this list and the contract agree.
 */
export const METHOD_NAMES = [
  'getAppInfo',
  'setLocale',
  'getBackendStatus',
  'getOrgSettings',
  'getJourney',
  'navigate',
  'resetJourney',
  'openInvitation',
  'openDeepLink',
  'answerPendingInvitation',
  'checkMobileNumber',
  'submitRegistration',
  'signIn',
  'submitMfaCode',
  'signOut',
  'startAuthenticatorEnrolment',
  'verifyAuthenticator',
  'sendPhoneCode',
  'getPhoneCodeDelivery',
  'getInitialPasswordDelivery',
  'verifyPhoneCode',
  'changePassword',
  'getTerms',
  'acceptTerm',
  'verifySignIn',
  'startPasswordReset',
  'completePasswordReset',
  'resendInitialPassword',
  'runSeedCheck',
  'exportSeedReport',
  'openExternal',
  'getDemoInbox',
  'finishOnboarding',
] as const;

/** The wizard's steps, in journey order. */
export const STEP_IDS = [
  'welcome',
  'register',
  'account-created',
  'sign-in',
  'authenticator',
  'phone',
  'password',
  'terms',
  'verify',
  'device-check',
  'done',
] as const;

export type MethodNameFromList = (typeof METHOD_NAMES)[number];

export const IPC_PREFIX = 'onboarding:';
export const EVENT_CHANNEL = 'onboarding-event:journeyChanged';
export const channelFor = (method: MethodNameFromList): string => `${IPC_PREFIX}${method}`;
