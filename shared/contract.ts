/**
 * The desktop contract: every method the renderer may call on the host, with its request and response schema.
 * Electron IPC (electron/main + electron/preload) and the web bridge (electron/web) are both generated from this
 * record, and the host's services implement exactly these handlers. Nothing secret the renderer does not need is in
 * a response: registration tokens, session tokens and MFA tokens stay in the host.
 */
import { z } from 'zod';
import { BridgeError } from './domain/errors';
import { Locale } from './domain/locale';
import { MobileNumberFacts } from './domain/mobile-check';
import { SeedReport } from './domain/seed-report';
import * as api from './api/provisioning';
import { STEP_IDS, type MethodNameFromList } from './contract-names';

const Empty = z.object({}).strict();
const IsoTime = z.string();

export { STEP_IDS };
export const StepId = z.enum(STEP_IDS);
export type StepId = z.infer<typeof StepId>;

// The account's vocabulary is the provisioning API's (shared/api): one definition for the wire and the desktop.
export const RequiredAction = api.RequiredAction;
export type RequiredAction = z.infer<typeof RequiredAction>;
export const PasswordDelivery = api.PasswordDelivery;
export type PasswordDelivery = z.infer<typeof PasswordDelivery>;
export const BusinessOperation = api.BusinessOperation;
export const SeedState = api.SeedState;
export type SeedState = z.infer<typeof SeedState>;
export const SeedSummary = api.SeedSummary;
export const AccountState = api.AccountState;

/** Names of the registration form fields an invitee may have to fill (the backend's `requiredFields`). */
export const RegistrationField = api.RegistrationField;

export const InvitationSummary = z.object({
  emailMasked: z.string(),
  businessOperation: BusinessOperation,
  odc: z.string().nullable().optional(),
  sponsoringAgency: z.string().optional(),
  /** From the invitation (offshore, ODC = Others): shown read-only on the form. */
  offshoreCompanyName: z.string().optional(),
  seedRequested: z.boolean(),
  passwordDelivery: PasswordDelivery,
  requiredFields: z.array(RegistrationField),
  expiresAt: IsoTime,
});
export type InvitationSummary = z.infer<typeof InvitationSummary>;

/** The languages the wizard speaks (its catalogues); the same values go to the backend with the registration. */
export const UiLocale = Locale;
export type UiLocale = Locale;

export const RegistrationForm = z
  .object({
    username: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    mobile: z.string(),
    department: z.string(),
    password: z.string().optional(),
    offshoreReportingOfficer: z.object({ name: z.string(), email: z.string() }).strict().optional(),
    offshoreCompanyAddress: z.string().optional(),
    /** The language the wizard is in: the account keeps it for every later email and SMS. */
    locale: UiLocale.optional(),
  })
  .strict();
export type RegistrationForm = z.infer<typeof RegistrationForm>;

/** The API's registration result as the wizard sees it: the initial-password SMS's reference stays in the host. */
export const RegistrationResult = api.RegistrationResult.omit({ initialPasswordDelivery: true }).extend({
  /** Masked organisational email the onboarding email went to, and masked mobile the SMS went to. */
  emailSentTo: z.string().optional(),
  smsSentTo: z.string().optional(),
});
export type RegistrationResult = z.infer<typeof RegistrationResult>;

/** Why the OS keychain cannot be used: a code the wizard words in the user's language (for the IT details). */
export const KeychainProblem = z.enum([
  'linux-no-secret-service',
  'linux-locked',
  'linux-other',
  'macos',
  'windows',
  'none',
]);
export type KeychainProblem = z.infer<typeof KeychainProblem>;

export const KeychainStatus = z.object({
  available: z.boolean(),
  /** Why not, when it is not. */
  problem: KeychainProblem.optional(),
});

/** Where the user is. The host derives `step` from the server's state plus local, non-secret progress. */
export const JourneyState = z.object({
  step: StepId,
  signedIn: z.boolean(),
  invitation: InvitationSummary.optional(),
  registration: RegistrationResult.optional(),
  username: z.string().optional(),
  loginId: z.string().optional(),
  passwordDelivery: PasswordDelivery.optional(),
  accountState: AccountState.optional(),
  requiredActions: z.array(RequiredAction),
  onboardingComplete: z.boolean(),
  businessOperation: BusinessOperation.optional(),
  activateBy: IsoTime.optional(),
  seed: SeedSummary.optional(),
  /** The SEED prerequisites report, when the device check has run. */
  seedReport: SeedReport.optional(),
  /** Seconds the device clock is ahead (+) or behind (-) the backend's, when measured. */
  clockDriftSeconds: z.number().optional(),
  keychain: KeychainStatus,
  /** Set once "Verify TechPass login" succeeded (the verify step then offers device-check or done). */
  verified: z.boolean().optional(),
  /** A password was accepted and the authenticator code is due (submitMfaCode). */
  mfaPending: z.boolean().optional(),
  /** On the phone step: the mobile given at registration (E.164), to prefill the number (the user may change it). */
  registeredMobile: z.string().optional(),
  /** On the phone step: the SMS code already sent (so a restart shows it instead of sending another). */
  phoneCode: z.object({ sentTo: z.string(), resendAvailableAt: IsoTime, expiresAt: IsoTime }).optional(),
  /** Why the last registration link opened from outside the app (OS deep link) could not be used. */
  linkError: BridgeError.optional(),
  /** This journey's id, sent with every backend request: the support details show it so support finds the backend's lines. */
  correlationId: z.string().optional(),
  /**
   * A registration link opened from outside the app while another journey is in progress: nothing is changed until
   * the user answers (answerPendingInvitation). `emailMasked` is the new invitation's address, masked.
   */
  pendingInvitation: z.object({ emailMasked: z.string() }).optional(),
});
export type JourneyState = z.infer<typeof JourneyState>;

/** How an SMS the user waits for is doing (the phone code, the initial password): see getPhoneCodeDelivery. */
export const SmsDeliveryStatus = z.object({
  state: z.union([api.DeliveryState, z.literal('none')]),
  sentTo: z.string().optional(),
  isChina: z.boolean(),
  undelivered: z.boolean(),
});

export const TermsDocument = z.object({
  id: z.enum(['privacy', 'terms-of-use', 'mdm-aup']),
  version: z.string(),
  title: z.string(),
  body: z.string(),
  required: z.boolean(),
  accepted: z.boolean(),
});
export type TermsDocument = z.infer<typeof TermsDocument>;

/** A demo-inbox message: the test backend's outbox message without its template data (the inbox shows the rendered message). */
export const InboxMessage = api.OutboxMessage.omit({ data: true });
export type InboxMessage = z.infer<typeof InboxMessage>;

export const BackendStatus = z.object({
  reachable: z.boolean(),
  url: z.string(),
  name: z.string().optional(),
  version: z.string().optional(),
  mode: z.enum(['production', 'demo', 'test']).optional(),
  clockDriftSeconds: z.number().optional(),
  error: BridgeError.optional(),
});
export type BackendStatus = z.infer<typeof BackendStatus>;

export const OrgSettings = z.object({
  organisationName: z.string(),
  supportUrl: z.string(),
  supportEmail: z.string().optional(),
  docsUrl: z.string(),
  /** The language IT fixed for this organisation (a BCP 47 tag), if any; the user can still switch. */
  locale: z.string().optional(),
});
export type OrgSettings = z.infer<typeof OrgSettings>;

const Code6 = z.string().regex(/^\d{6}$/, 'Enter the 6-digit code');

/**
 * method name → { request, response }. Add a method here and both transports, the preload and the bridge get it;
 * the host must then implement it (the compiler says so).
 */
export const contract = {
  getAppInfo: {
    request: Empty,
    response: z.object({
      name: z.string(),
      version: z.string(),
      platform: z.string(),
      host: z.enum(['electron', 'web']),
      /** The operating system's language (Electron's app.getLocale()); the web host leaves it to the browser. */
      systemLocale: z.string().optional(),
      /** The language the user chose on a screen, kept on this computer in the UI preferences, beside (not in) the progress. */
      chosenLocale: UiLocale.optional(),
    }),
  },
  /** Keeps the user's language choice (and tells the host which language the screens are in). */
  /**
   * The user's language: kept for the next start and, once registered, carried to the account (PUT /v1/me/locale) so
   * later emails and SMS use it: `updated` at once when signed in (or nothing to send), `pending` until the next sign-in.
   */
  setLocale: {
    request: z.object({ locale: UiLocale }).strict(),
    response: z.object({ locale: UiLocale, account: z.enum(['updated', 'pending']) }),
  },
  getBackendStatus: { request: Empty, response: BackendStatus },
  getOrgSettings: { request: Empty, response: OrgSettings },
  getJourney: { request: Empty, response: JourneyState },
  /**
   * Moves between steps where no server action is involved (welcome → register, account-created → sign-in, back from
   * sign-in to account-created, verify → device-check/done). The host refuses a step the journey's state does not allow.
   */
  navigate: { request: z.object({ to: StepId }).strict(), response: JourneyState },
  /** Start over from the welcome step (forgets local progress; never deletes the account). */
  resetJourney: { request: Empty, response: JourneyState },
  /** A pasted registration link (https or techpass-onboarding://) or a bare token. */
  openInvitation: { request: z.object({ link: z.string().max(2048) }).strict(), response: JourneyState },
  /** The web host's stand-in for the OS opening a techpass-onboarding:// link. */
  openDeepLink: { request: z.object({ url: z.string().max(2048) }).strict(), response: JourneyState },
  /** The user's answer to `pendingInvitation`: continue with the new invitation (replacing this journey) or keep this one. */
  answerPendingInvitation: { request: z.object({ accept: z.boolean() }).strict(), response: JourneyState },
  /**
   * The mobile rule's answer for a number as it is being typed (`input`: `+…`, or national digits with the chosen
   * `country`), so the wizard needs no phone library of its own. Facts only; the wizard words them.
   */
  checkMobileNumber: {
    request: z
      .object({
        input: z.string().max(64),
        country: z
          .string()
          .regex(/^[A-Za-z]{2}$/)
          .optional(),
      })
      .strict(),
    response: MobileNumberFacts,
  },
  submitRegistration: { request: RegistrationForm, response: JourneyState },
  signIn: {
    request: z.object({ loginId: z.string().max(320), password: z.string().max(256) }).strict(),
    response: z.object({ status: z.enum(['signed_in', 'mfa_required']), journey: JourneyState }),
  },
  submitMfaCode: { request: z.object({ code: Code6 }).strict(), response: JourneyState },
  signOut: { request: Empty, response: JourneyState },
  startAuthenticatorEnrolment: {
    request: Empty,
    response: z.object({ secret: z.string(), otpauthUri: z.string() }),
  },
  verifyAuthenticator: { request: z.object({ code: Code6 }).strict(), response: JourneyState },
  sendPhoneCode: {
    request: z.object({ mobile: z.string().max(32) }).strict(),
    response: z.object({ sentTo: z.string(), resendAvailableAt: IsoTime, expiresAt: IsoTime }),
  },
  /**
   * How the phone step's code SMS is doing, polled while the user waits: `undelivered` once an attempt failed (the
   * backend keeps retrying while `state` is `retrying`; `failed`/`rejected` are final). `sentTo` is masked.
   */
  getPhoneCodeDelivery: { request: Empty, response: SmsDeliveryStatus },
  /** The same for the initial-password SMS of the registration, polled on the account-created step (SMS variant). */
  getInitialPasswordDelivery: { request: Empty, response: SmsDeliveryStatus },
  verifyPhoneCode: { request: z.object({ code: Code6 }).strict(), response: JourneyState },
  changePassword: {
    request: z.object({ currentPassword: z.string().max(256), newPassword: z.string().max(256) }).strict(),
    response: JourneyState,
  },
  getTerms: { request: Empty, response: z.array(TermsDocument) },
  acceptTerm: {
    request: z
      .object({
        id: TermsDocument.shape.id,
        version: z.string().max(64),
        /** The language the text was shown in when accepted (the English version binds either way). */
        language: UiLocale.optional(),
      })
      .strict(),
    response: JourneyState,
  },
  /** "Verify TechPass login": sign out, then sign in again with the new password and an authenticator code. */
  verifySignIn: {
    request: z.object({ loginId: z.string().max(320), password: z.string().max(256), code: Code6 }).strict(),
    response: JourneyState,
  },
  startPasswordReset: { request: z.object({ loginId: z.string().max(320) }).strict(), response: z.object({}) },
  completePasswordReset: {
    request: z.object({ loginId: z.string().max(320), code: Code6, newPassword: z.string().max(256) }).strict(),
    response: z.object({}),
  },
  /** The device check; `attestations` are what the user confirmed on the screen (SEED-16, SEED-17). */
  runSeedCheck: {
    request: z
      .object({
        attestations: z
          .object({ recoveryKeysReady: z.boolean().optional(), internetDevice: z.boolean().optional() })
          .strict()
          .optional(),
      })
      .strict(),
    response: SeedReport,
  },
  /**
   * "Send my first password again" (SMS delivery, before the first change). `mobile` is the number given at
   * registration; without it the host uses the one it kept from registration. The same answer for unknown users.
   */
  resendInitialPassword: {
    request: z.object({ loginId: z.string().max(320), mobile: z.string().max(32).optional() }).strict(),
    response: z.object({
      sentTo: z.string(),
      sentToday: z.number(),
      dailyLimit: z.number(),
      resendAvailableAt: IsoTime,
    }),
  },
  exportSeedReport: {
    request: z.object({ format: z.enum(['json', 'html', 'text']) }).strict(),
    response: z.object({
      saved: z.boolean(),
      path: z.string().optional(),
      filename: z.string(),
      /** In the web host the file is handed to the browser to download. */
      content: z.string().optional(),
      mimeType: z.string(),
    }),
  },
  /** Opens an allow-listed https link (support desk, docs) in the user's browser. */
  openExternal: {
    request: z.object({ url: z.string().max(2048) }).strict(),
    response: z.object({ opened: z.boolean() }),
  },
  /** Demo/test backends only: the emails and SMS the user would receive. `available` is false against production. */
  getDemoInbox: {
    request: Empty,
    response: z.object({ available: z.boolean(), messages: z.array(InboxMessage) }),
  },
  /** Done step: wipes the vault and marks the journey finished. */
  finishOnboarding: { request: Empty, response: JourneyState },
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export { METHOD_NAMES, IPC_PREFIX, EVENT_CHANNEL, channelFor } from './contract-names';

// Compile-time proof that contract-names.ts lists exactly the contract's methods.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatch: Same<MethodName, MethodNameFromList> = true;
void namesMatch;
export type Request<M extends MethodName> = z.input<Contract[M]['request']>;
export type Response<M extends MethodName> = z.output<Contract[M]['response']>;

/** What every transport returns: a result, or a typed error. Thrown errors never cross a boundary. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: BridgeError };

/** The host's side: one handler per method, receiving an already-parsed request. */
export type Handlers = { [M in MethodName]: (request: z.output<Contract[M]['request']>) => Promise<Response<M>> };

/** The renderer's side (window.onboarding): one function per method, returning the envelope. */
export type OnboardingApi = { [M in MethodName]: (request: Request<M>) => Promise<Envelope<Response<M>>> };

/** Events the host pushes to the renderer (e.g. a deep link opened while the app runs). */
export const EVENT_NAMES = ['journeyChanged'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
