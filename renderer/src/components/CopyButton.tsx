import { useState } from 'react';

/** Copies a value to the clipboard and says so (politely announced). */
export function CopyButton({ value, label, done }: { value: string; label: string; done: string }): React.JSX.Element {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {label}
      </button>
      <span role="status" className="copy-status">
        {copied ? done : ''}
      </span>
    </>
  );
}
