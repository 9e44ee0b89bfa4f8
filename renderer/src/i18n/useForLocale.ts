import { useEffect, useState } from 'react';
import { useLocaleStore, type AnyLocale } from '.';

/**
 * Something a screen loads per language on demand (legal texts, SEED texts: their own chunks), for the language the
 * screen is in now; undefined while it loads and for a language that has none.
 */
export function useForLocale<T>(load: (locale: AnyLocale) => Promise<T | undefined>): { locale: AnyLocale; value: T | undefined } {
  const locale = useLocaleStore((s) => s.locale);
  const [value, setValue] = useState<T | undefined>();
  useEffect(() => {
    let current = true;
    setValue(undefined);
    void load(locale).then(
      (v) => current && setValue(() => v),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [locale, load]);
  return { locale, value };
}
