import { useCallback, useEffect, useRef, useState } from 'react';
import type { BridgeError } from '../../../shared/domain/errors';
import { toBridgeError } from '../store/wizard.store';

export interface Action {
  busy: boolean;
  error?: BridgeError;
  /** Runs one bridge interaction: shows progress, catches the typed error. Resolves true on success. */
  run(fn: () => Promise<void>): Promise<boolean>;
  clear(): void;
}

/** Busy and error state for one screen's bridge calls. A second submit while one is running is ignored. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | undefined>();
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (fn: () => Promise<void>) => {
      if (running.current) return false;
      running.current = true;
      setBusy(true);
      setError(undefined);
      try {
        await fn();
        return true;
      } catch (err) {
        const e = toBridgeError(err);
        if (mounted.current) setError(e);
        return false;
      } finally {
        running.current = false;
        if (mounted.current) setBusy(false);
      }
    },
    [],
  );
  const clear = useCallback(() => setError(undefined), []);
  return { busy, error, run, clear };
}
