import { useEffect, useState } from 'react';
import { useLocaleStore, type AnyLocale } from '.';

/**
 * Something a screen loads per language on demand (legal texts, SEED texts: their own chunks), for the language the
 * screen is in now; undefined while it loads and for a language that has none.
 */
export function useForLocale<T>(load: (locale: AnyLocale) => Promise<T | undefined>): {
  locale: AnyLocale;
  value: T | undefined;
} {
  const locale = useLocaleStore((s) => s.locale);
  // Kept with the locale it was loaded for, so a switch shows nothing stale while the next language loads.
  const [loaded, setLoaded] = useState<{ locale: AnyLocale; value: T | undefined } | undefined>();
  useEffect(() => {
    let current = true;
    void load(locale).then(
      (value) => current && setLoaded({ locale, value }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [locale, load]);
  return { locale, value: loaded?.locale === locale ? loaded.value : undefined };
}
