/**
 * Which component shows each step, and when its code loads. The first screen (welcome) is in the main bundle; every
 * other step is its own chunk, fetched when the journey reaches it or, earlier, while the page is idle, so the first
 * screen carries none of the later steps' weight (their schemas, the phone-number metadata, the QR encoder).
 */
import { lazy, type ComponentType } from 'react';
import type { StepId } from '../../shared/contract';
import { Welcome } from './steps/welcome/Welcome';
import { whenIdle } from './idle';

type Screen = () => React.JSX.Element;
interface ScreenModule {
  default: Screen;
}

export interface StepScreen {
  /** The component to render for the step (a lazy one until its code is in). */
  component(): ComponentType;
  /** Starts fetching the step's code; resolves once it is in (never rejects: a failure shows when the step renders). */
  prefetch(): Promise<void>;
  /** After a failed load: the next `component()` loads again instead of repeating the failure. */
  reload(): void;
}

function eager(screen: Screen): StepScreen {
  return { component: () => screen, prefetch: () => Promise.resolve(), reload: () => undefined };
}

/**
 * A thenable that calls back at once. React.lazy takes a module handed over synchronously in the same render, so a
 * step whose code was prefetched appears immediately, without a frame of "Loading…" (a resolved Promise would still
 * call back only after the render, and the step would flash its fallback).
 */
function alreadyLoaded(module: ScreenModule): Promise<ScreenModule> {
  // React.lazy only calls `then` on what its loader returns.
  const thenable = { then: (onFulfilled: (m: ScreenModule) => void) => onFulfilled(module) };
  return thenable as unknown as Promise<ScreenModule>;
}

export function lazyScreen(load: () => Promise<Screen>): StepScreen {
  let loaded: ScreenModule | undefined;
  let pending: Promise<ScreenModule> | undefined;
  const fetchScreen = (): Promise<ScreenModule> =>
    (pending ??= load().then(
      (screen) => (loaded = { default: screen }),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    ));
  const makeLazy = () => lazy(() => (loaded ? alreadyLoaded(loaded) : fetchScreen()));
  let component = makeLazy();
  return {
    component: () => component,
    prefetch: () =>
      fetchScreen().then(
        () => undefined,
        () => undefined, // the step shows the failure (with a retry) if the user gets there
      ),
    reload: () => {
      if (!loaded) component = makeLazy();
    },
  };
}

export const STEP_SCREENS: Record<StepId, StepScreen> = {
  welcome: eager(Welcome),
  register: lazyScreen(() => import('./steps/register/Register').then((m) => m.Register)),
  'account-created': lazyScreen(() => import('./steps/account-created/AccountCreated').then((m) => m.AccountCreated)),
  'sign-in': lazyScreen(() => import('./steps/sign-in/SignIn').then((m) => m.SignIn)),
  authenticator: lazyScreen(() => import('./steps/authenticator/Authenticator').then((m) => m.Authenticator)),
  phone: lazyScreen(() => import('./steps/phone/Phone').then((m) => m.Phone)),
  password: lazyScreen(() => import('./steps/password/Password').then((m) => m.Password)),
  terms: lazyScreen(() => import('./steps/terms/Terms').then((m) => m.Terms)),
  verify: lazyScreen(() => import('./steps/verify/Verify').then((m) => m.Verify)),
  'device-check': lazyScreen(() => import('./steps/device-check/DeviceCheck').then((m) => m.DeviceCheck)),
  done: lazyScreen(() => import('./steps/done/Done').then((m) => m.Done)),
};

/**
 * Fetches the code of the given steps, nearest first, one at a time whenever the page is idle, so each later step
 * is ready before the user reaches it. The chunks come from the app's own files (app:// or the loopback web host),
 * never over the user's network, so this costs idle time only. Returns a function that stops it.
 */
export function prefetchSteps(steps: readonly StepId[]): () => void {
  let cancel: () => void = () => undefined;
  let stopped = false;
  const next = (i: number): void => {
    const step = steps[i];
    if (stopped || step === undefined) return;
    cancel = whenIdle(() => void STEP_SCREENS[step].prefetch().then(() => next(i + 1)), 2_000);
  };
  next(0);
  return () => {
    stopped = true;
    cancel();
  };
}
