/** A visible, announced wait. The spinner only turns when the user has not asked for reduced motion (CSS). */
export function Busy({ label }: { label: string }): React.JSX.Element {
  return (
    <p role="status" className="busy">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
