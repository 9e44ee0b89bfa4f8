/**
 * Which catalogue to start in and how to fetch one, without Lingui or React: the page's first module (main.tsx) uses
 * this to start fetching the likeliest catalogue while the screens' code is still on its way.
 */
import { PSEUDO_LOCALE, type AnyLocale } from './types';

/** Each locale's compiled catalogue is its own chunk: the first screen loads only the one it shows. */
export const LOADERS: Record<AnyLocale, () => Promise<{ default: unknown }>> = {
  en: () => import('./compiled/en.json'),
  'zh-CN': () => import('./compiled/zh-CN.json'),
  [PSEUDO_LOCALE]: () => import('./compiled/en-XA.json'),
};

/**
 * Starts fetching a locale's catalogue without activating it (the module loader keeps it, so the `loadLocale` that
 * follows does not fetch again).
 */
export function preloadLocale(locale: AnyLocale): void {
  LOADERS[locale]().catch(() => undefined); // a failure shows when loadLocale asks again
}

/** `zh`, `zh-Hans-CN`, `zh-SG` → zh-CN; `en-GB` → en; anything else → undefined (the next candidate decides). */
export function supportedLocale(tag: string | undefined | null): AnyLocale | undefined {
  if (!tag) return undefined;
  if (tag === PSEUDO_LOCALE) return PSEUDO_LOCALE;
  const lower = tag.toLowerCase();
  // Traditional Chinese readers (Hong Kong, Taiwan, zh-Hant) are not served by a Simplified catalogue by default.
  if (lower.startsWith('zh')) return /hant|-tw|-hk|-mo/.test(lower) ? undefined : 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

/**
 * The language to start in: the user's own choice (kept by the host in its UI preferences, apart from the progress)
 * first, then the one IT fixed in the org configuration, then the operating system's (Electron) or the browser's
 * languages; English when none is supported.
 */
export function chooseLocale(candidates: readonly (string | undefined | null)[]): AnyLocale {
  for (const c of candidates) {
    const l = supportedLocale(c);
    if (l) return l;
  }
  return 'en';
}

/** A `?locale=` in the page address (the web host's tests and developers use it for the pseudo-locale, `en-XA`). */
export function localeFromAddress(): string | null {
  return new URLSearchParams(window.location.search).get('locale');
}

/** The browser's languages, in its order of preference. */
export function browserLocales(): string[] {
  return [...(navigator.languages ?? []), navigator.language];
}

/**
 * Most starts end in the address's or the browser's language: its catalogue is fetched while the host answers and
 * the screens' code loads, not after. Called by the page's first module and again by `startLocale` (a no-op then).
 */
export function preloadLikelyLocale(): void {
  preloadLocale(chooseLocale([localeFromAddress(), ...browserLocales()]));
}
