/**
 * The one mobile-number rule (domain.md §3.4): the wizard checks as the user types, the host before it sends, and
 * the backend before it stores, all with this function, so a number the wizard accepts is one the server accepts.
 * Full ("max") metadata: the smaller "min" set only checks lengths, and let through a +86 number one digit short
 * (a valid fixed-line length) that the server then refused.
 */
import {
  AsYouType,
  getExampleNumber,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';
import maxMetadata from 'libphonenumber-js/max/metadata';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { mobileFieldProblemOf, type FieldProblem } from './field-problems';

import type { MobileExample, MobileNumberCheck, MobileNumberFacts, MobileProblem } from './mobile-check';

export type { MobileExample, MobileNumberCheck, MobileNumberFacts, MobileProblem };

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
export function exampleMobile(iso: string | undefined): MobileExample | undefined {
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

/**
 * What the wizard shows while the user types, in one answer: the check of `input` (with `country` chosen for a
 * national number), the example of the number's country (else the chosen one), the grouped form of a valid number,
 * and the country its `+` code points to. The wizard words all of it itself.
 */
export function mobileNumberFacts(input: string, country?: string): MobileNumberFacts {
  const check = checkMobileNumber(input, country);
  const example = exampleMobile(check.country ?? country);
  const grouped = check.valid && check.e164 ? groupedNational(check.e164) : undefined;
  const typed = countryOfInternational(input);
  return {
    check,
    ...(example ? { example } : {}),
    ...(grouped ? { grouped } : {}),
    ...(typed.country ? { typedCountry: typed.country } : {}),
    ...(typed.callingCode ? { typedCallingCode: typed.callingCode } : {}),
  };
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

/** The problem of a number that failed `checkMobileNumber` (worded from its country's example mobile). */
export function mobileFieldProblem(check: MobileNumberCheck): FieldProblem | undefined {
  return mobileFieldProblemOf(check, exampleMobile(check.country));
}
