import type { InputHTMLAttributes } from 'react';
import { t } from '../i18n';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** Announce the error as soon as it appears (for checks made while the user types). */
  liveError?: boolean;
}

/** A labelled input with its hint and its error next to it, wired for screen readers. */
export function Field({ id, label, hint, error, liveError, required, ...input }: FieldProps): React.JSX.Element {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {required && <span className="visually-hidden"> {t.required}</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {liveError ? (
        <div aria-live="polite">
          {error && (
            <p id={`${id}-error`} className="field-error">
              {error}
            </p>
          )}
        </div>
      ) : (
        error && (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        )
      )}
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        required={required}
        {...input}
      />
    </div>
  );
}

/** The 6-digit code box used by every code step: numeric keyboard, one-time-code autofill. */
export function CodeField({
  id,
  label,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}): React.JSX.Element {
  return (
    <Field
      id={id}
      label={label}
      error={error}
      required
      value={value}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      className="code-input"
      onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
    />
  );
}
