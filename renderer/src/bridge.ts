/**
 * The renderer's only door to the host. In Electron the preload exposes `window.onboarding`; in browser mode (web
 * host, e2e tests) the same contract is reached over HTTP on loopback with the per-launch token from the URL fragment.
 * Either way, callers get the result or a thrown `BridgeCallError` with a typed code.
 */
import type { Envelope, MethodName, OnboardingApi, Request, Response } from '../../shared/contract';
import { METHOD_NAMES, type FirstScreenRead } from '../../shared/contract-names';
import type { BridgeError } from '../../shared/domain/errors';
import { whenIdle } from './idle';

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

type DesktopApi = OnboardingApi & {
  onJourneyChanged?: (listener: () => void) => () => void;
  /** Browser mode only: the first screen's reads in one request. Electron asks each over IPC, which costs little. */
  firstScreenReads?: (methods: readonly FirstScreenRead[]) => Promise<Envelope<unknown>>[];
};

const UNREACHABLE: Envelope<never> = { ok: false, error: { code: 'BACKEND_UNREACHABLE', retryable: true } };

declare global {
  interface Window {
    onboarding?: DesktopApi;
  }
}

function httpBridge(): DesktopApi {
  // The per-launch loopback token travels in the URL fragment (never sent to a server, never stored by the page).
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  const token = match?.[1] ?? '';
  const post = async (path: string, payload: unknown): Promise<unknown> => {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bridge-token': token },
      body: JSON.stringify(payload ?? {}),
    });
    return res.json();
  };
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    api[method] = (payload: unknown): Promise<Envelope<unknown>> =>
      (post(`/bridge/${method}`, payload) as Promise<Envelope<unknown>>).catch(() => UNREACHABLE);
  }
  (api as DesktopApi).firstScreenReads = (methods) => {
    const batch = (post('/bridge-batch', { methods }) as Promise<Envelope<Envelope<unknown>[]>>).catch(
      () => UNREACHABLE,
    );
    // The web host answers each read's envelope in the order asked; a refused batch is each read's failure.
    return methods.map((_, i) => batch.then((answer) => (answer.ok ? (answer.result[i] ?? UNREACHABLE) : answer)));
  };
  // The web host's push: long-poll /events; each answer with a newer version means the journey changed.
  (api as DesktopApi).onJourneyChanged = (listener) => {
    let stopped = false;
    void (async () => {
      // The first screen draws first: on a busy machine the poll's request would compete with it. Waiting loses no
      // change, because of the first answer's rule below.
      await new Promise<void>((resolve) => whenIdle(resolve, 1000));
      let version = -1;
      while (!stopped) {
        try {
          const body = (await post('/events', { since: version })) as Envelope<{ version: number }>;
          if (!body.ok) return;
          // The first answer is the host's count of journey changes since it started. 0: none, so the journey this
          // page read is current. More: one may have come after the page read it (a deep link opened while the page
          // loaded), so the listener reads it again.
          const changed = version === -1 ? body.result.version !== 0 : body.result.version !== version;
          if (changed && !stopped) listener();
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

const early = new Map<MethodName, Promise<Envelope<unknown>>>();

/**
 * Asks the host for the first screen's reads now, all at once, before the screens' code is in (React and the wizard
 * load meanwhile): the first `call` of each method takes this answer instead of asking again. Only for the first
 * screen's reads: a later call asks afresh.
 */
export function callEarly(methods: readonly FirstScreenRead[]): void {
  const todo = methods.filter((m) => !early.has(m));
  if (todo.length === 0) return;
  const api = desktop();
  const answers =
    api.firstScreenReads?.(todo) ??
    todo.map((m) => (api[m] as (req: Request<FirstScreenRead>) => Promise<Envelope<unknown>>)({}));
  // A failure is the envelope of the call that takes it (the HTTP bridge turns a network error into one).
  const failed: Envelope<never> = { ok: false, error: { code: 'UNEXPECTED' } };
  todo.forEach((m, i) =>
    early.set(
      m,
      (answers[i] ?? Promise.resolve(failed)).catch(() => failed),
    ),
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
