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

/**
 * The reads the first screen cannot draw without, none taking a payload: the page's first module asks for them all at
 * once (bridge `callEarly`). In browser mode that is one HTTP request (`POST /bridge-batch`) instead of one each: on a
 * two-core machine each request the page starts costs its main thread and the browser's network process a few
 * milliseconds while the page is still compiling.
 */
export const FIRST_SCREEN_READS = [
  'getJourney',
  'getAppInfo',
  'getOrgSettings',
] as const satisfies readonly MethodNameFromList[];
export type FirstScreenRead = (typeof FIRST_SCREEN_READS)[number];
