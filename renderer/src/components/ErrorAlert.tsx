import { useEffect, useRef } from 'react';
import type { BridgeError } from '../../../shared/domain/errors';
import { call } from '../bridge';
import { format, t } from '../i18n';
import { useWizardStore } from '../store/wizard.store';
import { SupportLink } from './SupportLink';

/** Codes after which the only way on is a fresh sign-in. */
const SESSION_CODES: readonly string[] = ['NOT_SIGNED_IN', 'SESSION_EXPIRED', 'UNAUTHORIZED'];

/** Ends what is left of the session; the host's journey then starts from the sign-in step. */
function SignInAgain(): React.JSX.Element {
  const setJourney = useWizardStore((s) => s.setJourney);
  const loadJourney = useWizardStore((s) => s.loadJourney);
  return (
    <button
      type="button"
      className="btn btn-primary"
      onClick={() => void call('signOut', {}).then(setJourney, () => loadJourney())}
    >
      {t.signInAgain}
    </button>
  );
}

type Words = { what: string; next: string };

/** The catalogue's words for an error code: what happened and what to do next (domain.md §7). */
export function describeError(error: BridgeError, overrides?: Partial<Record<string, Words>>): Words {
  return (
    overrides?.[error.code] ??
    (t.errors.codes as Partial<Record<string, Words>>)[error.code] ??
    t.errors.codes.UNEXPECTED
  );
}

/** Announces a failure (role=alert), says what to do next, and always offers the pre-filled support link. */
export function ErrorAlert({
  error,
  onRetry,
  retryLabel,
  focusOnShow,
  words,
}: {
  error: BridgeError;
  onRetry?: () => void;
  retryLabel?: string;
  /** Take focus when it appears (a submit the server refused), so keyboard and screen-reader users land on it. */
  focusOnShow?: boolean;
  /** This screen's own words for some codes (an authenticator code cannot be "sent again", an SMS code can). */
  words?: Partial<Record<string, Words>>;
}): React.JSX.Element {
  const { what, next } = describeError(error, words);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusOnShow) ref.current?.focus();
  }, [focusOnShow, error]);
  const retryAfter = error.params?.retryAfterSeconds;
  const reason = error.params?.reason;
  return (
    <div role="alert" className="alert alert-danger" ref={ref} tabIndex={focusOnShow ? -1 : undefined}>
      <p className="alert-title">{what}</p>
      <p>
        <strong>{t.errors.whatNext}</strong> {next}
      </p>
      {typeof retryAfter === 'number' && <p>{format(t.errors.retryAfter, { seconds: retryAfter })}</p>}
      {reason && <p>{t.errors.reasons[reason]}</p>}
      {typeof error.params?.issuer === 'string' && <p>{format(t.errors.issuer, { issuer: error.params.issuer })}</p>}
      {SESSION_CODES.includes(error.code) && <SignInAgain />}
      {onRetry && (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          {retryLabel ?? t.tryAgain}
        </button>
      )}
      <SupportLink code={error.code} />
    </div>
  );
}
