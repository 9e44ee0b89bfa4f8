import { useEffect, useRef, type ReactNode } from 'react';
import { t } from '../i18n';
import { useWizardStore } from '../store/wizard.store';

/**
 * No OS keychain: what it means for the user in plain words, once per run (on the first screen it applies to),
 * under the heading; the technical reason is for IT, behind a disclosure.
 */
function KeychainNotice(): React.JSX.Element | null {
  // Plain values, not the journey object: a new journey with the same keychain state must not re-render the heading.
  const unavailable = useWizardStore((s) => s.journey !== undefined && !s.journey.keychain.available);
  const problem = useWizardStore((s) => s.journey?.keychain.problem);
  const step = useWizardStore((s) => s.journey?.step);
  const shownOn = useWizardStore((s) => s.keychainNoticeStep);
  const note = useWizardStore((s) => s.noteKeychainNoticeShown);
  useEffect(() => {
    if (unavailable && step) note(step);
  }, [unavailable, step, note]);
  if (!unavailable || (shownOn !== undefined && shownOn !== step)) return null;
  return (
    <div className="alert alert-warning keychain-notice">
      <p>{t.keychain.body}</p>
      {problem && (
        <details>
          <summary>{t.keychain.details}</summary>
          <p>{t.keychain.problems[problem]}</p>
        </details>
      )}
    </div>
  );
}

/**
 * Each screen's h1. Focusable by script only: App moves focus here when the step changes, and a view that replaces
 * another within the same step (a locked-account screen, the code prompt) asks for it with `focusOnMount`, so
 * keyboard and screen-reader users always start at the top of what is new.
 */
export function StepHeading({
  children,
  focusOnMount,
}: {
  children: ReactNode;
  focusOnMount?: boolean;
}): React.JSX.Element {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  return (
    <>
      <h1 ref={ref} tabIndex={-1} className="step-heading">
        {children}
      </h1>
      <KeychainNotice />
    </>
  );
}
