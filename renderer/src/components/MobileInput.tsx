import { t } from '../i18n';

export interface MobileValue {
  /** ISO 3166 alpha-2 of the chosen country code. */
  iso: string;
  number: string;
}

export function dialFor(iso: string): string {
  return t.countries.find((c) => c.iso === iso)?.dial ?? '';
}

/**
 * "+65" + "9123 4567" → "+6591234567"; a national trunk 0 is dropped ("+44" + "07700…" → "+447700…"). With no
 * country chosen, a number typed with its own "+" code is taken as it is.
 */
export function combineMobile(value: MobileValue): string {
  if (!value.iso && value.number.trim().startsWith('+')) return `+${value.number.replace(/[^\d]/g, '')}`;
  const digits = value.number.replace(/[^\d]/g, '').replace(/^0+/, '');
  return `${dialFor(value.iso)}${digits}`;
}

/** Country-code picker and number, as one labelled group. */
export function MobileInput({
  id,
  value,
  onChange,
  onBlur,
  error,
  hint,
  disabled,
}: {
  id: string;
  value: MobileValue;
  onChange: (v: MobileValue) => void;
  onBlur?: () => void;
  error?: string | undefined;
  hint?: string | undefined;
  disabled?: boolean;
}): React.JSX.Element {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={error ? 'field field-invalid mobile' : 'field mobile'}>
      <legend>{t.register.mobileLegend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <div className="mobile-row">
        <div>
          <label htmlFor={`${id}-country`}>{t.register.country}</label>
          <select
            id={`${id}-country`}
            value={value.iso}
            disabled={disabled}
            onChange={(e) => onChange({ ...value, iso: e.target.value })}
            onBlur={onBlur}
          >
            {!value.iso && <option value="">{t.register.chooseCountry}</option>}
            {t.countries.map((c) => (
              <option key={c.iso} value={c.iso}>
                {`${c.name} (${c.dial})`}
              </option>
            ))}
          </select>
        </div>
        <div className="mobile-number">
          <label htmlFor={id}>{t.register.mobileNumber}</label>
          <input
            id={id}
            type="tel"
            inputMode="tel"
            autoComplete="tel-national"
            required
            disabled={disabled}
            value={value.number}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => onChange({ ...value, number: e.target.value })}
            onBlur={onBlur}
          />
        </div>
      </div>
    </fieldset>
  );
}
