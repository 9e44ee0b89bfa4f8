/**
 * The renderer's only door to the host. In Electron the preload exposes `window.onboarding`; in browser mode (web
 * host, e2e tests) the same contract is reached over HTTP on loopback with the per-launch token from the URL fragment.
 * Either way, callers get the result or a thrown `BridgeCallError` with a typed code.
 */
import type { Envelope, MethodName, OnboardingApi, Request, Response } from '../../shared/contract';
import { METHOD_NAMES } from '../../shared/contract-names';
import type { BridgeError } from '../../shared/domain/errors';

export class BridgeCallError extends Error {
  readonly error: BridgeError;
  constructor(error: BridgeError) {
    super(error.code);
    this.name = 'BridgeCallError';
    this.error = error;
  }
  get code(): BridgeError['code'] {
    return this.error.code;
  }
}

type DesktopApi = OnboardingApi & { onJourneyChanged?: (listener: () => void) => () => void };

declare global {
  interface Window {
    onboarding?: DesktopApi;
  }
}

function httpBridge(): DesktopApi {
  // The per-launch loopback token travels in the URL fragment (never sent to a server, never stored by the page).
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  const token = match?.[1] ?? '';
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    api[method] = async (payload: unknown): Promise<Envelope<unknown>> => {
      try {
        const res = await fetch(`/bridge/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-bridge-token': token },
          body: JSON.stringify(payload ?? {}),
        });
        return (await res.json()) as Envelope<unknown>;
      } catch {
        return {
          ok: false,
          error: { code: 'BACKEND_UNREACHABLE', retryable: true },
        };
      }
    };
  }
  // The web host's push: long-poll /events; each answer with a newer version means the journey changed.
  (api as DesktopApi).onJourneyChanged = (listener) => {
    let stopped = false;
    void (async () => {
      let version = -1;
      while (!stopped) {
        try {
          const res = await fetch('/events', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-bridge-token': token },
            body: JSON.stringify({ since: version }),
          });
          const body = (await res.json()) as Envelope<{ version: number }>;
          if (!body.ok) return;
          if (version !== -1 && body.result.version !== version && !stopped) listener();
          version = body.result.version;
        } catch {
          // The host is restarting or gone: try again shortly.
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    })();
    return () => {
      stopped = true;
    };
  };
  return api as DesktopApi;
}

/**
 * Browser mode opened without the per-launch token (someone typed the address, or copied it without `#token=…`):
 * no call can succeed, so the wizard says to open the printed link instead of failing step by step.
 */
export function webBridgeTokenMissing(): boolean {
  return !window.onboarding && !/(?:^#|&)token=[A-Za-z0-9_-]+/.test(window.location.hash);
}

let cached: DesktopApi | undefined;
function desktop(): DesktopApi {
  cached ??= window.onboarding ?? httpBridge();
  return cached;
}

/** The reads the first screen needs, which take no request: the page's first module asks for them early. */
export type EarlyMethod = 'getJourney' | 'getAppInfo' | 'getOrgSettings';
const early = new Map<MethodName, Promise<Envelope<unknown>>>();

/**
 * Asks the host now, before the screens' code is in (React and the wizard load meanwhile): the first `call` of the
 * method takes this answer instead of asking again. Only for the first screen's reads: a later call asks afresh.
 */
export function callEarly(method: EarlyMethod): void {
  if (early.has(method)) return;
  const fn = desktop()[method] as (req: Request<EarlyMethod>) => Promise<Envelope<unknown>>;
  // A failure is the envelope of the call that takes it (the HTTP bridge turns a network error into one).
  early.set(
    method,
    fn({}).catch((): Envelope<unknown> => ({ ok: false, error: { code: 'UNEXPECTED' } })),
  );
}

/** Calls one contract method. Resolves with its result or throws BridgeCallError. */
export async function call<M extends MethodName>(method: M, request: Request<M>): Promise<Response<M>> {
  const asked = early.get(method) as Promise<Envelope<Response<M>>> | undefined;
  early.delete(method);
  const fn = desktop()[method] as (req: Request<M>) => Promise<Envelope<Response<M>>>;
  const envelope = await (asked ?? fn(request));
  if (!envelope.ok) throw new BridgeCallError(envelope.error);
  return envelope.result;
}

/** Subscribes to host pushes (a deep link opened while the app runs): IPC in Electron, a long poll in browser mode. */
export function onJourneyChanged(listener: () => void): () => void {
  return desktop().onJourneyChanged?.(listener) ?? (() => undefined);
}
