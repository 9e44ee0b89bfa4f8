import { useEffect, useState } from 'react';
import { t } from '../i18n';

/** After this long, a wait line says the connection is slow (and that the app is still working). */
export const SLOW_NOTICE_MS = 3_000;

/**
 * A visible, announced wait. The spinner only turns when the user has not asked for reduced motion (CSS). On a slow
 * link (3–10 s per round trip offshore) a request that takes a while is not a failure: after a few seconds the line
 * says so, so nobody gives up or presses again.
 */
export function Busy({ label }: { label: string }): React.JSX.Element {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), SLOW_NOTICE_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <p role="status" className="busy">
      <span className="spinner" aria-hidden="true" />
      <span>
        {label}
        {slow && ` ${t.slowConnection}`}
      </span>
    </p>
  );
}
