import type { Handlers, MethodName } from '../../shared/contract';
import { HostError } from './host-error';
import { ProvisioningClient } from './provisioning-client';

export interface HostServicesOptions {
  backendUrl: string;
  appName: string;
  appVersion: string;
  platform: string;
  host: 'electron' | 'web';
}

/** The host's implementation of the desktop contract. Both Electron main and the web host serve exactly this. */
export function createHostServices(options: HostServicesOptions): Handlers {
  const client = new ProvisioningClient({ baseUrl: options.backendUrl });
  const notYet = (method: MethodName) => async (): Promise<never> => {
    throw HostError.of('UNEXPECTED', `This step (${method}) is not available in this build yet.`);
  };

  return {
    getAppInfo: async () => ({
      name: options.appName,
      version: options.appVersion,
      platform: options.platform,
      host: options.host,
    }),
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
    getOrgSettings: notYet('getOrgSettings'),
    getJourney: notYet('getJourney'),
    navigate: notYet('navigate'),
    resetJourney: notYet('resetJourney'),
    openInvitation: notYet('openInvitation'),
    openDeepLink: notYet('openDeepLink'),
    validateMobile: notYet('validateMobile'),
    submitRegistration: notYet('submitRegistration'),
    signIn: notYet('signIn'),
    submitMfaCode: notYet('submitMfaCode'),
    signOut: notYet('signOut'),
    startAuthenticatorEnrolment: notYet('startAuthenticatorEnrolment'),
    verifyAuthenticator: notYet('verifyAuthenticator'),
    sendPhoneCode: notYet('sendPhoneCode'),
    verifyPhoneCode: notYet('verifyPhoneCode'),
    changePassword: notYet('changePassword'),
    getTerms: notYet('getTerms'),
    acceptTerm: notYet('acceptTerm'),
    verifySignIn: notYet('verifySignIn'),
    startPasswordReset: notYet('startPasswordReset'),
    completePasswordReset: notYet('completePasswordReset'),
    runSeedCheck: notYet('runSeedCheck'),
    exportSeedReport: notYet('exportSeedReport'),
    openExternal: notYet('openExternal'),
    getDemoInbox: notYet('getDemoInbox'),
    finishOnboarding: notYet('finishOnboarding'),
  };
}
