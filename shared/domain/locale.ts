/**
 * The languages the product speaks. The wizard sends the user's choice with the registration (the account keeps it,
 * and every later email and SMS uses it) and the language a legal text was shown in with its acceptance.
 * Adding a language starts here: the backend's message catalogues and the renderer's are keyed by these tags.
 */
import { z } from 'zod';

export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export const Locale = z.enum(SUPPORTED_LOCALES);
export type Locale = z.infer<typeof Locale>;

/** What an account or acceptance recorded before languages existed, and what anyone who has not chosen gets. */
export const DEFAULT_LOCALE: Locale = 'en';

/** A stored tag as a supported locale; a tag this version no longer ships (or none) falls back to the default. */
export function supportedLocaleOr(value: string | null | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  const parsed = Locale.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}
