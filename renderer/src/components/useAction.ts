import { useCallback, useEffect, useRef, useState } from 'react';
import type { BridgeError } from '../../../shared/domain/errors';
import { toBridgeError } from '../store/wizard.store';

/** Failures of the connection, not answers: what the user typed must stay (a retry sends the same). */
const CONNECTION_CODES: readonly string[] = [
  'TIMEOUT',
  'OFFLINE',
  'BACKEND_UNREACHABLE',
  'DNS_NOT_FOUND',
  'PROXY_AUTH_REQUIRED',
  'TLS_INTERCEPTED',
  'TLS_UNTRUSTED',
  'CAPTIVE_PORTAL',
];

export function isConnectionProblem(error: BridgeError | undefined): boolean {
  return error !== undefined && CONNECTION_CODES.includes(error.code);
}

export interface Action {
  busy: boolean;
  error?: BridgeError;
  // Function properties, not methods: screens take them out (`const { run } = action`); none uses `this`.
  /** The error of the last run (also right after it, before the next render). */
  lastError: () => BridgeError | undefined;
  /** Runs one bridge interaction: shows progress, catches the typed error. Resolves true on success. */
  run: (fn: () => Promise<void>) => Promise<boolean>;
  clear: () => void;
}

/** Busy and error state for one screen's bridge calls. A second submit while one is running is ignored. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | undefined>();
  const running = useRef(false);
  const last = useRef<BridgeError | undefined>(undefined);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async (fn: () => Promise<void>) => {
    if (running.current) return false;
    running.current = true;
    last.current = undefined;
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (err) {
      const e = toBridgeError(err);
      last.current = e;
      if (mounted.current) setError(e);
      return false;
    } finally {
      running.current = false;
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(undefined), []);
  const lastError = useCallback(() => last.current, []);
  return { busy, error, lastError, run, clear };
}

/** A failure as an Error, for handing on to `run` (a bridge failure already is one, with its typed code). */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
