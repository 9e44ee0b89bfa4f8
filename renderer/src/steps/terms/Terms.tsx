import { useCallback, useEffect, useRef, useState } from 'react';
import type { TermsDocument } from '../../../../shared/contract';
import { call } from '../../bridge';
import { BusySlot } from '../../components/BusySlot';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StepHeading } from '../../components/StepHeading';
import { SupportLink } from '../../components/SupportLink';
import { useAction } from '../../components/useAction';
import { format, isLocale, t } from '../../i18n';
import { legalTranslations, type LegalTranslation } from '../../i18n/legal';
import { useForLocale } from '../../i18n/useForLocale';
import { useWizardStore } from '../../store/wizard.store';

/** Step 8: each document readable in full, each accepted on its own, its version shown; declining is explained. */
export function Terms(): React.JSX.Element {
  const setJourney = useWizardStore((s) => s.setJourney);
  const [docs, setDocs] = useState<TermsDocument[] | undefined>();
  const [declined, setDeclined] = useState<string | undefined>();
  const load = useAction();
  const accept = useAction();
  const { run } = load;
  // After an acceptance its button is gone: keyboard focus moves on to the next document still to accept.
  const moveFocus = useRef(false);
  const accepting = accept.busy;
  useEffect(() => {
    // Wait until the buttons are enabled again: a disabled button cannot take focus.
    if (!moveFocus.current || accepting) return;
    moveFocus.current = false;
    const next = document.querySelector<HTMLElement>('[data-accept]') ?? document.querySelector<HTMLElement>('main h1');
    next?.focus();
  }, [docs, accepting]);

  // The legal texts in the screen's language, when a translation of the version the server publishes exists.
  const { locale, value: translations } = useForLocale(legalTranslations);
  const [englishShown, setEnglishShown] = useState<ReadonlySet<string>>(new Set());
  const translationOf = (doc: TermsDocument): LegalTranslation | undefined => {
    const tr = translations?.[doc.id];
    return tr && tr.version === doc.version && !englishShown.has(doc.id) ? tr : undefined;
  };
  const toggleEnglish = (id: string): void =>
    setEnglishShown((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const fetchDocs = useCallback(() => void run(async () => setDocs(await call('getTerms', {}))), [run]);
  useEffect(() => fetchDocs(), [fetchDocs]);

  const onAccept = (doc: TermsDocument) =>
    void accept.run(async () => {
      // The acceptance records the language the text was shown in (the English version binds either way).
      const language = translationOf(doc) && isLocale(locale) ? locale : 'en';
      const journey = await call('acceptTerm', { id: doc.id, version: doc.version, language });
      moveFocus.current = true;
      setDocs((ds) => ds?.map((d) => (d.id === doc.id ? { ...d, accepted: true } : d)));
      setDeclined(undefined);
      setJourney(journey);
    });

  const declinedDoc = docs?.find((d) => d.id === declined);
  return (
    <>
      <StepHeading>{t.terms.title}</StepHeading>
      <p>{t.terms.intro}</p>
      {load.error && <ErrorAlert error={load.error} onRetry={fetchDocs} />}
      {declinedDoc && (
        <div role="alert" className="alert alert-warning">
          <p className="alert-title">
            {format(t.terms.declinedTitle, { title: (translationOf(declinedDoc) ?? declinedDoc).title })}
          </p>
          <p>{t.terms.declinedBody}</p>
          <SupportLink code="E-TERMS-DECLINED" />
        </div>
      )}
      {accept.error && <ErrorAlert error={accept.error} />}
      {/* One place for both waits (loading the documents, saving an acceptance): no gap twice its height. */}
      <BusySlot busy={load.busy || accept.busy} label={accept.busy ? t.terms.accepting : t.terms.loadingDocs} />
      {docs?.map((doc) => {
        const translated = translationOf(doc);
        const shown = translated ?? doc;
        // A translation exists for this version (shown or not): offer the other one a click away.
        const hasTranslation = translations?.[doc.id]?.version === doc.version;
        return (
          <section key={doc.id} aria-labelledby={`terms-${doc.id}`} className="terms-doc panel">
            {/* An untranslated text is the server's (English) content, not the app's words. */}
            <h2
              id={`terms-${doc.id}`}
              lang={translated ? locale : 'en'}
              data-i18n-external={translated ? undefined : true}
            >
              {shown.title}
            </h2>
            <p className="hint">{format(t.terms.version, { version: doc.version })}</p>
            {translations && (
              <div className="terms-language">
                {translated && <p className="hint">{t.terms.translationNote}</p>}
                {!hasTranslation && <p className="hint">{t.terms.englishOnly}</p>}
                {hasTranslation && (
                  <button type="button" className="btn btn-link" onClick={() => toggleEnglish(doc.id)}>
                    {translated ? t.terms.showEnglish : t.terms.showTranslation}
                  </button>
                )}
              </div>
            )}
            <div
              className="terms-body"
              role="region"
              tabIndex={0}
              lang={translated ? locale : 'en'}
              data-i18n-external={translated ? undefined : true}
              aria-label={format(t.terms.documentLabel, { title: shown.title })}
            >
              {shown.body.split(/\n{2,}/).map((para, i) => (
                <p key={i}>{para}</p>
              ))}
            </div>
            {doc.accepted ? (
              <p className="accepted">
                <span aria-hidden="true">✓ </span>
                {t.terms.accepted}
              </p>
            ) : (
              <div className="actions">
                <button
                  type="button"
                  className="btn btn-primary"
                  data-accept
                  disabled={accept.busy}
                  onClick={() => onAccept(doc)}
                >
                  {format(t.terms.accept, { title: shown.title })}
                </button>
                <button
                  type="button"
                  className="btn btn-secondary"
                  aria-label={`${t.terms.decline} ${shown.title}`}
                  onClick={() => setDeclined(doc.id)}
                >
                  {t.terms.decline}
                </button>
              </div>
            )}
          </section>
        );
      })}
    </>
  );
}
