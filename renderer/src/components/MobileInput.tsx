import { useCallback, useEffect, useRef, useState } from 'react';
import { mobileFieldProblemOf } from '../../../shared/domain/field-problems';
import type { MobileNumberFacts } from '../../../shared/domain/mobile-check';
import { call } from '../bridge';
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

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return undefined;
  }
})();

function nameOf(iso: string): string {
  return (t.countryNames as Readonly<Record<string, string>>)[iso] ?? regionNames?.of(iso) ?? iso;
}

/**
 * What the host's mobile rule (the same one it and the backend run before sending or storing) is asked about what the
 * user entered: the number as the user means it, and the chosen country (a national number's country, and the
 * example to show while a `+` code does not yet name one).
 */
export function mobileQuery(value: MobileValue): { input: string; country?: string } {
  const input = value.number.trim() ? combineMobile(value) : '';
  return value.iso ? { input, country: value.iso } : { input };
}

export interface MobileAnswer {
  /** The latest answer received; it may be for what was entered a keystroke ago until the next one arrives. */
  facts: MobileNumberFacts | undefined;
  /** What `facts` answers. */
  factsFor: MobileValue | undefined;
  /**
   * The answer for exactly what is entered now, once it has come; undefined while it is on its way. A field's error
   * is judged from this, never from `facts`: an answer for a keystroke ago would show an error that then vanishes,
   * and a line appearing under the number as the pointer goes down on the button below moves that button away.
   */
  settled: MobileNumberFacts | undefined;
  /** The answer for exactly what is entered now (waits for it when it is still on its way). */
  current(): Promise<MobileNumberFacts>;
}

/**
 * Asks the host about the number on every change. Answers can come back out of order; only the one for the latest
 * entry is kept, so a slow answer never replaces a newer one.
 */
export function useMobileCheck(value: MobileValue): MobileAnswer {
  const { input, country } = mobileQuery(value);
  const key = `${country ?? ''}|${input}`;
  const [answered, setAnswered] = useState<{ key: string; facts: MobileNumberFacts; value: MobileValue } | undefined>();
  // Read and written only in effects and callbacks: the entry asked about last, and its question while it is open.
  const latestKey = useRef(key);
  const pending = useRef<{ key: string; promise: Promise<MobileNumberFacts> } | undefined>(undefined);

  const ask = useCallback((): Promise<MobileNumberFacts> => {
    latestKey.current = key;
    if (pending.current?.key === key) return pending.current.promise;
    const promise = call('checkMobileNumber', country ? { input, country } : { input }).then((facts) => {
      if (latestKey.current === key) setAnswered({ key, facts, value });
      return facts;
    });
    // A failed question is asked again next time (the host may be back); the rejection stays with the caller.
    promise.catch(() => {
      if (pending.current?.promise === promise) pending.current = undefined;
    });
    pending.current = { key, promise };
    return promise;
  }, [key, input, country, value]);

  useEffect(() => {
    // A failure here is shown when it matters: `current()` asks again and hands the failure to the screen.
    ask().catch(() => undefined);
  }, [ask]);

  return {
    facts: answered?.facts,
    factsFor: answered?.value,
    settled: answered?.key === key ? answered.facts : undefined,
    current: () => (answered?.key === key ? Promise.resolve(answered.facts) : ask()),
  };
}

/** What is wrong with the number, naming its country and the form numbers there take; undefined when it is valid. */
export function mobileMessage({ check, example }: MobileNumberFacts): string | undefined {
  return fieldProblemText(mobileFieldProblemOf(check, example));
}

/**
 * The line under the number: the number that will be used once it is valid, else the chosen country's example.
 * It sits below the inputs (never above them), so its changing text cannot move the field being typed in.
 */
export function mobileStatus(value: MobileValue, facts: MobileNumberFacts | undefined): string {
  const check = facts?.check;
  if (check?.valid && check.e164) return format(t.register.mobileOk, { e164: check.e164 });
  const iso = check?.country ?? value.iso;
  const example = iso ? facts?.example : undefined;
  return example ? format(t.register.mobileExample, { country: nameOf(iso), example: example.national }) : '\u00a0';
}

/**
 * A number typed or pasted with its "+" code (`+86 131…`) selects its country in the list; the number itself is left
 * as the user typed it (nothing moves under their fingers).
 */
export function withPastedCountry(value: MobileValue, facts: MobileNumberFacts): MobileValue {
  const { typedCountry: country, typedCallingCode: callingCode } = facts;
  if (!callingCode) return value;
  const byIso = country ? COUNTRY_CODES.find((c) => c.iso === country) : undefined;
  const byDial = COUNTRY_CODES.find((c) => c.dial === `+${callingCode}`);
  const match = byIso ?? byDial;
  return match && match.iso !== value.iso ? { ...value, iso: match.iso } : value;
}

/** `+6591234567` → Singapore, `9123 4567` (the registered number, shown as the user would type it). */
export function mobileValueFromE164(e164: string, facts: MobileNumberFacts): MobileValue | undefined {
  const { check } = facts;
  if (!check.valid || !check.country) return undefined;
  const listed = COUNTRY_CODES.find((c) => c.iso === check.country);
  if (!listed) return { iso: '', number: e164 };
  const grouped = facts.grouped ?? e164.slice(listed.dial.length);
  return { iso: listed.iso, number: grouped };
}

/** Country-code picker and number, as one labelled group. */
export function MobileInput({
  id,
  value,
  answer,
  onChange,
  onBlur,
  error,
  hint,
  disabled,
}: {
  id: string;
  value: MobileValue;
  /** The host's answer about `value` (useMobileCheck): the screen needs it too, so it asks once. */
  answer: MobileAnswer;
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
  // Once the host has answered for a newly typed number, a `+` code in it selects its country (a change of country
  // in the list is the user's own and is left alone).
  const answeredNumber = useRef(value.number);
  useEffect(() => {
    const { facts, factsFor } = answer;
    if (!facts || !factsFor || factsFor.number !== value.number || factsFor.iso !== value.iso) return;
    if (answeredNumber.current === value.number) return;
    answeredNumber.current = value.number;
    const next = withPastedCountry(value, facts);
    if (next !== value) onChange(next);
  }, [answer, value, onChange]);
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
            onChange={(e) => onChange({ ...value, number: e.target.value })}
            onBlur={leaveGroup}
          />
        </div>
      </div>
      {/* Always at least one line tall (a no-break space when there is nothing to say), so nothing below jumps. */}
      <p id={`${id}-status`} className="hint mobile-status">
        {mobileStatus(value, answer.facts)}
      </p>
    </fieldset>
  );
}
