/** Shared helpers for the wizard's component tests (never imported by app code). */
import { vi } from 'vitest';
import type { JourneyState, MethodName, Request, Response } from '../../shared/contract';
import type { ErrorCode } from '../../shared/domain/errors';
import { mobileNumberFacts } from '../../shared/domain/phone';
import { BridgeCallError, call } from './bridge';
import { useWizardStore } from './store/wizard.store';

export const callMock = vi.mocked(call);

export function journey(overrides: Partial<JourneyState> = {}): JourneyState {
  return {
    step: 'welcome',
    signedIn: false,
    requiredActions: [],
    onboardingComplete: false,
    keychain: { available: true },
    ...overrides,
  };
}

export function bridgeError(code: ErrorCode, extra: Partial<BridgeCallError['error']> = {}): BridgeCallError {
  return new BridgeCallError({ code, ...extra });
}

type Impl = { [M in MethodName]?: (req: Request<M>) => Promise<Response<M>> | Response<M> };

/**
 * What the stand-in host answers without being told: the mobile check, by the real shared rule (the one the host
 * runs), so what the screens show about a number is what the app would show.
 */
const standInHost: Impl = {
  checkMobileNumber: ({ input, country }) => mobileNumberFacts(input, country),
};

/** Routes mocked bridge calls by method; an unmocked method fails the test loudly. */
export function mockBridge(impl: Impl): void {
  callMock.mockImplementation((async (method: MethodName, req: unknown) => {
    const fn = (impl[method] ?? standInHost[method]) as ((r: unknown) => unknown) | undefined;
    if (!fn) throw new Error(`unexpected bridge call ${method}`);
    return fn(req);
  }) as typeof call);
}

export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function resetStore(state: Partial<ReturnType<typeof useWizardStore.getState>> = {}): void {
  useWizardStore.setState({
    appInfo: undefined,
    backend: undefined,
    backendLoading: false,
    org: {
      organisationName: 'GovTech',
      supportUrl: 'https://go.gov.sg/seed-techpass-support',
      docsUrl: 'https://docs.developer.tech.gov.sg',
      locale: 'en-SG',
    },
    journey: undefined,
    journeyLoading: false,
    journeyError: undefined,
    keychainNoticeStep: undefined,
    ...state,
  });
}

/** The methods called that change something or send something: every one but the mobile check's questions. */
export function sentMethods(): string[] {
  return calledMethods().filter((m) => m !== 'checkMobileNumber');
}

/** Every method the tests saw, in order. */
export function calledMethods(): string[] {
  return callMock.mock.calls.map((c) => c[0]);
}
