import { useEffect } from 'react';
import { format, t } from '../i18n';
import { useWizardStore } from '../store/wizard.store';

export function BackendStatusPanel(): React.JSX.Element {
  const { backend, backendLoading, refreshBackend } = useWizardStore();
  useEffect(() => {
    void refreshBackend();
  }, [refreshBackend]);
  return (
    <section aria-labelledby="backend-heading" className="panel">
      <h2 id="backend-heading">{t.backend.heading}</h2>
      <div role="status" aria-live="polite">
        {backendLoading && !backend && <p>{t.backend.checking}</p>}
        {backend?.reachable && (
          <p data-testid="backend-status">
            {format(t.backend.connected, { name: backend.name ?? '', version: backend.version ?? '' })} —{' '}
            <strong>{backend.mode ? t.backend.mode[backend.mode] : ''}</strong>
          </p>
        )}
      </div>
      {backend && !backend.reachable && (
        <div role="alert" className="error">
          <p>{t.backend.unreachable}</p>
          {backend.error && <p>{backend.error.message}</p>}
          <button type="button" onClick={() => void refreshBackend()}>
            {t.backend.retry}
          </button>
        </div>
      )}
    </section>
  );
}

export function Welcome(): React.JSX.Element {
  return (
    <>
      <h1>{t.welcome.title}</h1>
      <p>{t.welcome.intro}</p>
      <p>{t.welcome.duration}</p>
      <h2>{t.welcome.haveReady}</h2>
      <ul>
        <li>{t.welcome.readyPhone}</li>
        <li>{t.welcome.readyMailbox}</li>
      </ul>
      <BackendStatusPanel />
    </>
  );
}
