/**
 * The one mobile-number rule (domain.md §3.4): the wizard checks as the user types, the host before it sends, and
 * the backend before it stores, all with this function, so a number the wizard accepts is one the server accepts.
 * Full ("max") metadata: the smaller "min" set only checks lengths, and let through a +86 number one digit short
 * (a valid fixed-line length) that the server then refused.
 */
import { AsYouType, getExampleNumber, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import maxMetadata from 'libphonenumber-js/max/metadata';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { fieldProblem, type FieldProblem } from './field-problems';

export type MobileProblem = 'empty' | 'no-country' | 'too-short' | 'too-long' | 'invalid';

export interface MobileNumberCheck {
  valid: boolean;
  /** `+6591234567`, when valid. */
  e164?: string;
  /** ISO 3166 alpha-2 of the number (or of the chosen country when the number is not valid). */
  country?: string;
  /** `65`, `86`, `1`, … of the number or of the chosen country. */
  callingCode?: string;
  isChina: boolean;
  problem?: MobileProblem;
  /** Digits the user entered after the country code (for "you entered 10"). */
  nationalDigits?: number;
}

function asCountry(iso: string | undefined): CountryCode | undefined {
  if (!iso || !/^[A-Za-z]{2}$/.test(iso)) return undefined;
  return iso.toUpperCase() as CountryCode;
}

/**
 * The country a number typed or pasted with its `+` code belongs to (`+86 131…` → CN), as far as the digits tell;
 * undefined while they do not (for example `+1` alone, shared by the US and Canada).
 */
export function countryOfInternational(input: string): { country?: string; callingCode?: string } {
  const v = input.trim();
  if (!v.startsWith('+')) return {};
  const typed = new AsYouType();
  typed.input(v);
  const callingCode = typed.getCallingCode();
  // `+1 202…` fits both the US and Canada until the whole number is in: the code's main country stands for it.
  const country = typed.getCountry() ?? (callingCode ? maxMetadata.country_calling_codes[callingCode]?.[0] : undefined);
  return { ...(country ? { country } : {}), ...(callingCode ? { callingCode } : {}) };
}

/**
 * Checks a mobile number: `+…` as it is, or a national number with `defaultCountry`. Valid means a real number of
 * that country by libphonenumber's full rules (length and number ranges).
 */
export function checkMobileNumber(input: string, defaultCountry?: string): MobileNumberCheck {
  const raw = input.trim();
  const country = asCountry(defaultCountry);
  if (!raw.replace(/[^\d]/g, '')) return { valid: false, isChina: false, problem: 'empty' };
  if (!raw.startsWith('+') && !country) return { valid: false, isChina: false, problem: 'no-country' };
  const parsed = parsePhoneNumberFromString(raw, country ? { defaultCountry: country } : undefined);
  const international = countryOfInternational(raw);
  const callingCode = parsed?.countryCallingCode ?? international.callingCode;
  const facts = {
    ...(callingCode ? { callingCode } : {}),
    isChina: callingCode === '86',
    ...(parsed ? { nationalDigits: parsed.nationalNumber.length } : {}),
  };
  if (parsed?.isValid()) {
    return { valid: true, e164: parsed.number, ...(parsed.country ? { country: parsed.country } : {}), ...facts };
  }
  const length = validatePhoneNumberLength(raw, country ? { defaultCountry: country } : undefined);
  const problem: MobileProblem = length === 'TOO_SHORT' ? 'too-short' : length === 'TOO_LONG' ? 'too-long' : 'invalid';
  const guess = raw.startsWith('+') ? (international.country ?? parsed?.country) : country;
  return { valid: false, ...(guess ? { country: guess } : {}), ...facts, problem };
}

/** libphonenumber's example mobile for a country, grouped as people write it, without the country code: `8123 4567`. */
export function exampleMobile(iso: string | undefined): { national: string; international: string; digits: number } | undefined {
  const country = asCountry(iso);
  if (!country) return undefined;
  const example = getExampleNumber(country, mobileExamples);
  if (!example) return undefined;
  const international = example.formatInternational();
  const national = international.replace(/^\+\d+\s*/, '');
  return { national, international, digits: example.nationalNumber.length };
}

/** `+6591234567` → `9123 4567`: a valid number grouped as people write it, without its country code. */
export function groupedNational(e164: string): string | undefined {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.isValid() ? parsed.formatInternational().replace(/^\+\d+\s*/, '') : undefined;
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return undefined;
  }
})();

/** `CN` → `China`. */
export function countryName(iso: string): string {
  return regionNames?.of(iso.toUpperCase()) ?? iso.toUpperCase();
}

/**
 * The problem of a number that failed `checkMobileNumber`, with what its wording needs: the number's country (ISO
 * code; the reader words its name), its calling code, the form numbers there take and, when the count differs, how
 * many digits were entered.
 */
export function mobileFieldProblem(check: MobileNumberCheck): FieldProblem | undefined {
  if (check.valid) return undefined;
  if (check.problem === 'empty') return fieldProblem('mobile.required');
  if (check.problem === 'no-country') return fieldProblem('mobile.no_country');
  const example = exampleMobile(check.country);
  if (!check.country || !example) return fieldProblem('mobile.invalid');
  const code =
    check.problem === 'too-short'
      ? 'mobile.too_short_for_country'
      : check.problem === 'too-long'
        ? 'mobile.too_long_for_country'
        : 'mobile.invalid_for_country';
  return fieldProblem(code, {
    country: check.country,
    callingCode: check.callingCode ?? '',
    example: example.national,
    digits: example.digits,
    ...(check.nationalDigits !== undefined && check.nationalDigits !== example.digits ? { entered: check.nationalDigits } : {}),
  });
}
