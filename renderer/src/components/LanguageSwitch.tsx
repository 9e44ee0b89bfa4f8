import { useState } from 'react';
import { call } from '../bridge';
import { LOCALES, loadLocale, t, useLocaleStore, type Locale } from '../i18n';

/** Each language named in itself, so a reader finds theirs whatever the screen is in now. */
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };

/**
 * The language switch on every screen: one button per language, each named in its own language, the current one
 * pressed (aria-pressed), in a group labelled in both languages ("Language / 语言"). Switching re-renders the current
 * screen in place (what was typed stays) and the host keeps the choice for the next start.
 *
 * Buttons rather than a `<select>`: with two languages the other one is a single click away and always in sight, and
 * a `<select>` was the costliest element of the first screen's first layout in Chromium (11–28 ms of it on a cold
 * start; docs/benchmarks.md, "the language switch as buttons").
 */
export function LanguageSwitch(): React.JSX.Element {
  const locale = useLocaleStore((s) => s.locale);
  const [failed, setFailed] = useState(false);
  const change = (next: Locale): void => {
    if (next === locale) return;
    setFailed(false);
    // The catalogue is a chunk of the app's own files; if it cannot be read the screen stays in its language and says
    // so. The host keeping the choice is best effort: a failure there only means the next start asks the OS again.
    loadLocale(next).then(
      () => call('setLocale', { locale: next }).catch(() => undefined),
      () => setFailed(true),
    );
  };
  return (
    <div className="language-switch" role="group" aria-label={t.languageSwitch}>
      {/* Each name in its own language (WCAG 3.1.2), so its text takes that language's font stack: the Chinese name
          goes straight to the CJK fonts instead of trying every Latin family first. */}
      {LOCALES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={l === locale} onClick={() => change(l)}>
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
      {failed && (
        <p role="alert" className="field-error">
          {t.languageSwitchFailed}
        </p>
      )}
    </div>
  );
}
