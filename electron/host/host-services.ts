import { join } from 'node:path';
import type { Handlers, JourneyState } from '../../shared/contract';
import { SeedReport } from '../../shared/domain/seed-report';
import type { BridgeError } from '../../shared/domain/errors';
import { defaultHostDataDir } from './data-dir';
import { parseDeepLink } from './deep-link';
import { HostError } from './host-error';
import { createHostLogger, type HostLogger } from './host-log';
import { OnboardingSession, ProgressStore } from './onboarding-session';
import { ORG_CONFIG_DEFAULTS, externalAllowlist, isAllowedExternalUrl, type OrgConfig } from './org-config';
import { createHttpHead } from './net/http-head';
import { createNodeNetwork } from './net/node-network';
import { withCorrelationId } from './net/correlation';
import type { HostFetch, HostNetwork } from './net/types';
import { mobileNumberFacts } from '../../shared/domain/phone';
import { ProvisioningClient } from './provisioning-client';
import { defaultSeedChecks, type SeedChecks } from './seed-check-adapter';
import { reportFilename, reportMimeType } from './seed-checks';
import { UiPreferencesStore } from './ui-preferences';
import { createAccountLocaleSync } from './account-locale';
import { Vault, keychainServiceFor, osKeychain } from './vault';

export interface HostServicesOptions {
  /** From org configuration only (never from a deep link or the renderer). */
  backendUrl: string;
  appName: string;
  appVersion: string;
  platform: string;
  host: 'electron' | 'web';
  /** The operating system's language (Electron: app.getLocale()); the web host leaves it to the browser. */
  systemLocale?: string;
  /** Where non-secret progress and the host log go. Electron: app.getPath('userData'); web: TECHPASS_HOST_DATA_DIR. */
  dataDir?: string;
  orgConfig?: OrgConfig;
  vault?: Vault;
  log?: HostLogger;
  /** Opens an already allow-listed https URL in the user's browser (Electron: shell.openExternal). */
  openExternal?: (url: string) => Promise<void> | void;
  /** Saves an exported report and returns its path (Electron); without it the content goes back to the renderer. */
  saveReport?: (filename: string, content: string) => Promise<string>;
  seedChecks?: SeedChecks;
  /**
   * The host's one way to the network (Electron: net.fetch from the app's session; Node: undici with proxy and CA
   * support). Without it the host builds Node's from the org configuration's proxy and extraCaCertificates.
   */
  network?: HostNetwork;
  /** Tests: a fetch to use instead of the network seam. */
  fetchImpl?: HostFetch;
  now?: () => Date;
  /** Client tuning for tests. */
  client?: {
    timeoutMs?: number;
    responseTimeoutMs?: number;
    idleTimeoutMs?: number;
    attempts?: number;
    backoffMs?: number;
  };
}

export interface Host {
  handlers: Handlers;
  session: OnboardingSession;
  vault: Vault;
  client: ProvisioningClient;
  log: HostLogger;
  /** The OS handed the app a link (open-url, second-instance, argv): applied if it is ours, else logged and ignored. */
  handleOsDeepLink(url: string): Promise<boolean>;
  /** The host's push to the renderer (EVENT_CHANNEL): the journey changed without the renderer asking. */
  onJourneyChanged(listener: () => void): () => void;
}

/** The host: the desktop contract's implementation, shared by Electron main and the web host. */
export function createHost(options: HostServicesOptions): Host {
  const dataDir = options.dataDir ?? defaultHostDataDir();
  const log = options.log ?? createHostLogger({ file: join(dataDir, 'logs', 'host.log') });
  const org = options.orgConfig ?? { ...ORG_CONFIG_DEFAULTS, backendUrl: options.backendUrl };
  const preferences = new UiPreferencesStore(dataDir);
  const allowlist = externalAllowlist(org);
  const vault = options.vault ?? new Vault(osKeychain(keychainServiceFor(dataDir)), options.platform, log);
  const seedChecks = options.seedChecks ?? defaultSeedChecks;
  // Every backend request carries the journey's correlation id (read per request: a new journey has a new one).
  const network: HostNetwork = withCorrelationId(
    options.network ??
      (options.fetchImpl
        ? { fetch: options.fetchImpl }
        : createNodeNetwork({ proxy: org.proxy, extraCaCertificates: org.extraCaCertificates, log })),
    () => session?.correlationId,
  );
  let driftWarned = false;
  // eslint-disable-next-line prefer-const
  let session: OnboardingSession;
  const client = new ProvisioningClient({
    baseUrl: options.backendUrl,
    fetchImpl: network.fetch,
    ...(network.tlsFailure ? { tlsFailure: network.tlsFailure } : {}),
    now: options.now,
    ...options.client,
    onClockDrift: (seconds) => {
      if (!driftWarned) log.warn('device clock differs from the server clock', { driftSeconds: seconds });
      driftWarned = true;
    },
    onSessionGone: () => session.sessionGone(),
  });
  const accountLocale = createAccountLocaleSync({ preferences, client, log });
  session = new OnboardingSession({
    client,
    vault,
    store: new ProgressStore(dataDir),
    log,
    now: options.now,
    onSignedIn: (token) => accountLocale.signedIn(token),
  });

  const listeners = new Set<() => void>();
  const emit = (): void => {
    for (const l of listeners) l();
  };
  let linkError: BridgeError | undefined;
  /** A link from outside the app that would replace the journey in progress: held (memory only) until the user answers. */
  let pending: { url: string; emailMasked: string } | undefined;
  const withLinkError = (j: JourneyState): JourneyState => (linkError ? { ...j, linkError } : j);
  const isJourney = (v: unknown): v is JourneyState =>
    typeof v === 'object' && v !== null && 'step' in v && 'keychain' in v;
  const withPending = (result: unknown): unknown => {
    if (!pending) return result;
    const question = { emailMasked: pending.emailMasked };
    if (isJourney(result)) return { ...result, pendingInvitation: question };
    if (typeof result === 'object' && result !== null && 'journey' in result && isJourney(result.journey)) {
      return { ...result, journey: { ...result.journey, pendingInvitation: question } };
    }
    return result;
  };

  void vault.probe().then((status) => {
    if (!status.available) log.warn('keychain unavailable at start', { platform: options.platform });
  });

  // Journey calls run one at a time under the session's own lock (onboarding-session/context.ts).
  const handlers: Handlers = {
    getAppInfo: async () => {
      const { locale } = preferences.read();
      return {
        name: options.appName,
        version: options.appVersion,
        platform: options.platform,
        host: options.host,
        ...(options.systemLocale ? { systemLocale: options.systemLocale } : {}),
        ...(locale ? { chosenLocale: locale } : {}),
      };
    },
    setLocale: async ({ locale }) => {
      // Kept for the next start, and carried to the account (its emails and SMS) when there is one.
      const account = await accountLocale.chosen(locale, await session.sessionToken());
      return { locale, account };
    },
    getBackendStatus: async () => {
      try {
        const health = await client.health();
        return {
          reachable: true,
          url: client.baseUrl,
          name: health.name,
          version: health.version,
          mode: health.mode,
          clockDriftSeconds: client.clockDriftSeconds,
        };
      } catch (err) {
        if (err instanceof HostError) return { reachable: false, url: client.baseUrl, error: err.bridgeError };
        throw err;
      }
    },
    getOrgSettings: async () => ({
      organisationName: org.organisationName,
      supportUrl: org.supportUrl,
      ...(org.supportEmail ? { supportEmail: org.supportEmail } : {}),
      docsUrl: org.docsUrl,
      ...(org.locale ? { locale: org.locale } : {}),
    }),
    getJourney: async () => withLinkError(await session.getJourney()),
    navigate: async ({ to }) => session.navigate(to),
    resetJourney: async () => {
      linkError = undefined;
      return session.resetJourney();
    },
    openInvitation: async ({ link }) => {
      const j = await session.openInvitation(link);
      linkError = undefined;
      return j;
    },
    openDeepLink: async ({ url }) => {
      const j = await session.openDeepLink(url);
      linkError = undefined;
      return j;
    },
    checkMobileNumber: async ({ input, country }) => mobileNumberFacts(input, country),
    submitRegistration: async (form) => {
      const journey = await session.submitRegistration(form);
      accountLocale.registered(form.locale);
      return journey;
    },
    signIn: async ({ loginId, password }) => session.signIn(loginId, password),
    submitMfaCode: async ({ code }) => session.submitMfaCode(code),
    signOut: async () => session.signOut(),
    startAuthenticatorEnrolment: async () => session.startAuthenticatorEnrolment(),
    verifyAuthenticator: async ({ code }) => session.verifyAuthenticator(code),
    sendPhoneCode: async ({ mobile }) => session.sendPhoneCode(mobile),
    getPhoneCodeDelivery: async () => session.phoneCodeDelivery(),
    getInitialPasswordDelivery: async () => session.initialPasswordDelivery(),
    verifyPhoneCode: async ({ code }) => session.verifyPhoneCode(code),
    changePassword: async ({ currentPassword, newPassword }) => session.changePassword(currentPassword, newPassword),
    getTerms: async () => session.getTerms(),
    acceptTerm: async ({ id, version, language }) => session.acceptTerm(id, version, language),
    verifySignIn: async ({ loginId, password, code }) => session.verifySignIn(loginId, password, code),
    startPasswordReset: async ({ loginId }) => session.startPasswordReset(loginId),
    completePasswordReset: async ({ loginId, code, newPassword }) =>
      session.completePasswordReset(loginId, code, newPassword),
    resendInitialPassword: async ({ loginId, mobile }) => session.resendInitialPassword(loginId, mobile),
    runSeedCheck: async ({ attestations }) => {
      const account = await session.seedAccountInputs();
      const report = SeedReport.parse(
        await seedChecks.run({
          account,
          ...(attestations ? { attestations } : {}),
          backendUrl: client.baseUrl,
          httpHead: createHttpHead(network, { jsonUrls: [client.baseUrl] }),
          fetchBaseline: () => client.getOsBaseline(),
          ...(options.now ? { now: options.now } : {}),
        }),
      );
      session.recordSeedReport(report);
      return report;
    },
    exportSeedReport: async ({ format }) => {
      const report = session.lastSeedReport;
      if (!report)
        throw HostError.of('BAD_REQUEST', 'report export asked before any device check', {
          params: { reason: 'report_missing' },
        });
      const content = await seedChecks.render(report, format);
      const filename = reportFilename(report, format);
      const mimeType = reportMimeType(format);
      if (options.saveReport) {
        const path = await options.saveReport(filename, content);
        return { saved: true, path, filename, mimeType };
      }
      return { saved: false, filename, content, mimeType };
    },
    openExternal: async ({ url }) => {
      if (!isAllowedExternalUrl(url, allowlist)) {
        log.warn('external link refused (not https or not on the allowlist)');
        return { opened: false };
      }
      if (!options.openExternal) return { opened: false };
      await options.openExternal(new URL(url).toString());
      return { opened: true };
    },
    getDemoInbox: async () => {
      const health = await client.health();
      if (health.mode !== 'demo' && health.mode !== 'test') return { available: false, messages: [] };
      const outbox = await client.getOutbox();
      return {
        available: true,
        // The inbox message is the outbox message without its template data (shared/contract.ts derives it so).
        messages: outbox.map(({ data: _data, ...message }) => message),
      };
    },
    finishOnboarding: async () => session.finishOnboarding(),
    answerPendingInvitation: async ({ accept }) => {
      const held = pending;
      if (!held || !accept) {
        pending = undefined;
        if (held) log.info('new invitation declined; the journey in progress is kept');
        return session.getJourney();
      }
      // Only now is the journey in progress replaced; if that fails, the question stays.
      const j = await session.openDeepLink(held.url);
      pending = undefined;
      linkError = undefined;
      return j;
    },
  };
  // Every journey the renderer receives carries the question while it is open, whatever call returned it.
  for (const [name, handler] of Object.entries(handlers) as [keyof Handlers, (req: unknown) => Promise<unknown>][]) {
    (handlers as Record<string, unknown>)[name] = async (req: unknown) => withPending(await handler(req));
  }

  return {
    handlers,
    session,
    vault,
    client,
    log,
    async handleOsDeepLink(url) {
      const parsed = parseDeepLink(url);
      if (!parsed) {
        log.warn('deep link ignored: not a techpass-onboarding://register link');
        return false;
      }
      try {
        if (await session.wouldReplaceJourney(parsed.token)) {
          // Ask first; a link that cannot be used is reported rather than asked about.
          const info = await client.getRegistration(parsed.token);
          pending = { url, emailMasked: info.email };
          log.info('new invitation opened during a journey; waiting for the user to confirm');
        } else {
          await session.openDeepLink(url);
        }
        linkError = undefined;
      } catch (err) {
        linkError = err instanceof HostError ? err.bridgeError : { code: 'UNEXPECTED', retryable: true };
        log.warn('deep link could not be applied', { error: linkError.code });
      }
      emit();
      return true;
    },
    onJourneyChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The host's implementation of the desktop contract. Both Electron main and the web host serve exactly this. */
export function createHostServices(options: HostServicesOptions): Handlers {
  return createHost(options).handlers;
}
