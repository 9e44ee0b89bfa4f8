/**
 * The shape of a mobile-number check, with no phone library attached: the desktop contract carries it to the wizard,
 * which asks the host instead of loading libphonenumber's metadata itself (`phone.ts` holds the rule).
 */
import { z } from 'zod';

export const MobileProblem = z.enum(['empty', 'no-country', 'too-short', 'too-long', 'invalid']);
export type MobileProblem = z.infer<typeof MobileProblem>;

export const MobileNumberCheck = z.object({
  valid: z.boolean(),
  /** `+6591234567`, when valid. */
  e164: z.string().optional(),
  /** ISO 3166 alpha-2 of the number (or of the chosen country when the number is not valid). */
  country: z.string().optional(),
  /** `65`, `86`, `1`, … of the number or of the chosen country. */
  callingCode: z.string().optional(),
  isChina: z.boolean(),
  problem: MobileProblem.optional(),
  /** Digits the user entered after the country code (for "you entered 10"). */
  nationalDigits: z.number().int().nonnegative().optional(),
});
export type MobileNumberCheck = z.infer<typeof MobileNumberCheck>;

/** A country's example mobile: `8123 4567` (grouped, without its code), `+65 8123 4567`, 8 digits. */
export const MobileExample = z.object({
  national: z.string(),
  international: z.string(),
  digits: z.number().int().positive(),
});
export type MobileExample = z.infer<typeof MobileExample>;

/** Everything the wizard shows about a number being typed, answered by the host from the one rule. */
export const MobileNumberFacts = z.object({
  check: MobileNumberCheck,
  /** The example mobile of the number's country, else of the chosen one. */
  example: MobileExample.optional(),
  /** A valid number grouped as people write it, without its country code (`9123 4567`). */
  grouped: z.string().optional(),
  /** The country a number typed with its `+` code belongs to, as far as the digits tell so far. */
  typedCountry: z.string().optional(),
  typedCallingCode: z.string().optional(),
});
export type MobileNumberFacts = z.infer<typeof MobileNumberFacts>;
