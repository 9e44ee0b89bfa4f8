import { useId, useState } from 'react';
import { call } from '../bridge';
import { LOCALES, loadLocale, t, useLocaleStore, type Locale } from '../i18n';

/** Each language named in itself, so a reader finds theirs whatever the screen is in now. */
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };

/**
 * The language switch on every screen. Its label names both languages ("English / 中文"); switching re-renders the
 * current screen in place (what was typed stays) and the host keeps the choice for the next start.
 */
export function LanguageSwitch(): React.JSX.Element {
  const locale = useLocaleStore((s) => s.locale);
  const id = useId();
  const [failed, setFailed] = useState(false);
  const change = (next: Locale): void => {
    setFailed(false);
    // The catalogue is a chunk of the app's own files; if it cannot be read the screen stays in its language and says
    // so. The host keeping the choice is best effort: a failure there only means the next start asks the OS again.
    loadLocale(next).then(
      () => call('setLocale', { locale: next }).catch(() => undefined),
      () => setFailed(true),
    );
  };
  return (
    <div className="language-switch">
      <label htmlFor={id}>
        {/* Each name in its own language (WCAG 3.1.2), so its text takes that language's font stack: the Chinese
            name goes straight to the CJK fonts instead of trying every Latin family first. */}
        <span aria-hidden="true">
          {LOCALES.map((l, i) => (
            <span key={l}>
              {i > 0 && ' / '}
              <span lang={l}>{LANGUAGE_NAMES[l]}</span>
            </span>
          ))}
        </span>
        <span className="visually-hidden">{t.languageSwitch}</span>
      </label>
      <select id={id} value={locale} onChange={(e) => change(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
      {failed && (
        <p role="alert" className="field-error">
          {t.languageSwitchFailed}
        </p>
      )}
    </div>
  );
}
