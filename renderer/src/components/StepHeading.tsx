import { useEffect, useRef, type ReactNode } from 'react';

/**
 * Each screen's h1. Focusable by script only: App moves focus here when the step changes, and a view that replaces
 * another within the same step (a locked-account screen, the code prompt) asks for it with `focusOnMount`, so
 * keyboard and screen-reader users always start at the top of what is new.
 */
export function StepHeading({ children, focusOnMount }: { children: ReactNode; focusOnMount?: boolean }): React.JSX.Element {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  return (
    <h1 ref={ref} tabIndex={-1} className="step-heading">
      {children}
    </h1>
  );
}
