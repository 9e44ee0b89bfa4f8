import { useEffect } from 'react';
import { format, t } from './i18n';
import { useWizardStore } from './store/wizard.store';
import { Welcome } from './steps/Welcome';

export function App(): React.JSX.Element {
  const { appInfo, loadAppInfo } = useWizardStore();
  useEffect(() => {
    void loadAppInfo();
  }, [loadAppInfo]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="masthead">
        <span className="brand">{t.appTitle}</span>
      </header>
      <main id="main" tabIndex={-1}>
        <Welcome />
      </main>
      <footer>
        {appInfo && <p data-testid="app-version">{format(t.versionLabel, { version: appInfo.version })}</p>}
      </footer>
    </>
  );
}
