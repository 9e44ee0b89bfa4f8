import {
  checkMobileNumber,
  countryName,
  countryOfInternational,
  exampleMobile,
  groupedNational,
  mobileFieldProblem,
  type MobileNumberCheck,
} from '../../../shared/domain/phone';
import { fieldProblemText, format, t } from '../i18n';

export interface MobileValue {
  /** ISO 3166 alpha-2 of the chosen country code. */
  iso: string;
  number: string;
}

/** The country codes the picker offers, most used first (their names are in the catalogue). */
export const COUNTRY_CODES: readonly { iso: keyof typeof t.countryNames; dial: string }[] = [
  { iso: 'SG', dial: '+65' },
  { iso: 'MY', dial: '+60' },
  { iso: 'IN', dial: '+91' },
  { iso: 'CN', dial: '+86' },
  { iso: 'PH', dial: '+63' },
  { iso: 'VN', dial: '+84' },
  { iso: 'ID', dial: '+62' },
  { iso: 'TH', dial: '+66' },
  { iso: 'LK', dial: '+94' },
  { iso: 'BD', dial: '+880' },
  { iso: 'HK', dial: '+852' },
  { iso: 'TW', dial: '+886' },
  { iso: 'JP', dial: '+81' },
  { iso: 'KR', dial: '+82' },
  { iso: 'AU', dial: '+61' },
  { iso: 'NZ', dial: '+64' },
  { iso: 'GB', dial: '+44' },
  { iso: 'IE', dial: '+353' },
  { iso: 'DE', dial: '+49' },
  { iso: 'FR', dial: '+33' },
  { iso: 'PL', dial: '+48' },
  { iso: 'US', dial: '+1' },
];

export function dialFor(iso: string): string {
  return COUNTRY_CODES.find((c) => c.iso === iso)?.dial ?? '';
}

/**
 * "+65" + "9123 4567" → "+6591234567"; a national trunk 0 is dropped ("+44" + "07700…" → "+447700…"). A number typed
 * or pasted with its own "+" code is taken as it is, whatever the country list shows.
 */
export function combineMobile(value: MobileValue): string {
  if (value.number.trim().startsWith('+')) return `+${value.number.replace(/[^\d]/g, '')}`;
  const digits = value.number.replace(/[^\d]/g, '').replace(/^0+/, '');
  return `${dialFor(value.iso)}${digits}`;
}

function nameOf(iso: string): string {
  return (t.countryNames as Readonly<Record<string, string>>)[iso] ?? countryName(iso);
}

/** The shared mobile rule (the same one the host and the backend run) on what the user entered. */
export function checkMobileValue(value: MobileValue): MobileNumberCheck {
  const typed = value.number.trim();
  if (!typed) return checkMobileNumber('');
  if (!typed.startsWith('+') && !value.iso) return checkMobileNumber(typed);
  return checkMobileNumber(combineMobile(value), typed.startsWith('+') ? undefined : value.iso);
}

/** What is wrong with the number, naming its country and the form numbers there take; undefined when it is valid. */
export function mobileMessage(check: MobileNumberCheck): string | undefined {
  return fieldProblemText(mobileFieldProblem(check));
}

/**
 * The line under the number: the number that will be used once it is valid, else the chosen country's example.
 * It sits below the inputs (never above them), so its changing text cannot move the field being typed in.
 */
export function mobileStatus(value: MobileValue): string {
  const check = checkMobileValue(value);
  if (check.valid && check.e164) return format(t.register.mobileOk, { e164: check.e164 });
  const iso = check.country ?? value.iso;
  const example = iso ? exampleMobile(iso) : undefined;
  return example ? format(t.register.mobileExample, { country: nameOf(iso), example: example.national }) : '\u00a0';
}

/**
 * A number typed or pasted with its "+" code (`+86 131…`) selects its country in the list; the number itself is left
 * as the user typed it (nothing moves under their fingers).
 */
export function withPastedCountry(value: MobileValue): MobileValue {
  const { country, callingCode } = countryOfInternational(value.number);
  if (!callingCode) return value;
  const byIso = country ? COUNTRY_CODES.find((c) => c.iso === country) : undefined;
  const byDial = COUNTRY_CODES.find((c) => c.dial === `+${callingCode}`);
  const match = byIso ?? byDial;
  return match && match.iso !== value.iso ? { ...value, iso: match.iso } : value;
}

/** `+6591234567` → Singapore, `9123 4567` (the registered number, shown as the user would type it). */
export function mobileValueFromE164(e164: string): MobileValue | undefined {
  const check = checkMobileNumber(e164);
  if (!check.valid || !check.country) return undefined;
  const listed = COUNTRY_CODES.find((c) => c.iso === check.country);
  if (!listed) return { iso: '', number: e164 };
  const grouped = groupedNational(e164) ?? e164.slice(listed.dial.length);
  return { iso: listed.iso, number: grouped };
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
  // Leaving the country list for the number is not leaving the field: only focus going outside the group counts
  // (an error shown on that inner move appeared above the number and moved it as soon as the number was typed).
  const leaveGroup = (e: React.FocusEvent<HTMLElement>) => {
    const next = e.relatedTarget;
    if (next instanceof Node && e.currentTarget.closest('fieldset')?.contains(next)) return;
    onBlur?.();
  };
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
            onBlur={leaveGroup}
          >
            {!value.iso && <option value="">{t.register.chooseCountry}</option>}
            {COUNTRY_CODES.map((c) => (
              <option key={c.iso} value={c.iso}>
                {format(t.countryOption, { name: t.countryNames[c.iso], dial: c.dial })}
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
            onChange={(e) => onChange(withPastedCountry({ ...value, number: e.target.value }))}
            onBlur={leaveGroup}
          />
        </div>
      </div>
      {/* Always at least one line tall (a no-break space when there is nothing to say), so nothing below jumps. */}
      <p id={`${id}-status`} className="hint mobile-status">
        {mobileStatus(value)}
      </p>
    </fieldset>
  );
}
