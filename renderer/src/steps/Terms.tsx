import { useCallback, useEffect, useRef, useState } from 'react';
import type { TermsDocument } from '../../../shared/contract';
import { call } from '../bridge';
import { BusySlot } from '../components/BusySlot';
import { ErrorAlert } from '../components/ErrorAlert';
import { StepHeading } from '../components/StepHeading';
import { SupportLink } from '../components/SupportLink';
import { useAction } from '../components/useAction';
import { format, t } from '../i18n';
import { useWizardStore } from '../store/wizard.store';

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

  const fetchDocs = useCallback(() => void run(async () => setDocs(await call('getTerms', {}))), [run]);
  useEffect(() => fetchDocs(), [fetchDocs]);

  const onAccept = (doc: TermsDocument) =>
    void accept.run(async () => {
      const journey = await call('acceptTerm', { id: doc.id, version: doc.version });
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
          <p className="alert-title">{format(t.terms.declinedTitle, { title: declinedDoc.title })}</p>
          <p>{t.terms.declinedBody}</p>
          <SupportLink code="E-TERMS-DECLINED" />
        </div>
      )}
      {accept.error && <ErrorAlert error={accept.error} />}
      {/* One place for both waits (loading the documents, saving an acceptance): no gap twice its height. */}
      <BusySlot busy={load.busy || accept.busy} label={accept.busy ? t.terms.accepting : t.terms.loadingDocs} />
      {docs?.map((doc) => (
        <section key={doc.id} aria-labelledby={`terms-${doc.id}`} className="terms-doc panel">
          <h2 id={`terms-${doc.id}`}>{doc.title}</h2>
          <p className="hint">{format(t.terms.version, { version: doc.version })}</p>
          <div
            className="terms-body"
            role="region"
            tabIndex={0}
            aria-label={format(t.terms.documentLabel, { title: doc.title })}
          >
            {doc.body.split(/\n{2,}/).map((para, i) => (
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
                {format(t.terms.accept, { title: doc.title })}
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                aria-label={`${t.terms.decline} ${doc.title}`}
                onClick={() => setDeclined(doc.id)}
              >
                {t.terms.decline}
              </button>
            </div>
          )}
        </section>
      ))}
    </>
  );
}
