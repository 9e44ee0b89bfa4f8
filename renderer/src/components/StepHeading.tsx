import type { ReactNode } from 'react';

/** Each screen's h1. Focusable by script only, so App can move focus to it when the step changes. */
export function StepHeading({ children }: { children: ReactNode }): React.JSX.Element {
  return (
    <h1 tabIndex={-1} className="step-heading">
      {children}
    </h1>
  );
}
