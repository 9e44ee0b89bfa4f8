import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { NO_CATALOGUE_NOTICE, startLocale } from './i18n/startup';
import { useWizardStore } from './store/wizard.store';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('root element missing');
// The first screen needs its catalogue, the app's facts and the journey: all are asked for at once, not one after
// the other (App does not ask again for what is already on its way). It renders in its language straight away.
const store = useWizardStore.getState();
void store.loadJourney();
const facts = Promise.all([store.loadAppInfo(), store.loadOrg()]).then(() => {
  const { appInfo, org } = useWizardStore.getState();
  return [appInfo, org] as [typeof appInfo, typeof org];
});
startLocale(facts).then(
  () =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  (err: unknown) => {
    console.error('No catalogue could be loaded', err);
    root.replaceChildren(
      ...Object.entries(NO_CATALOGUE_NOTICE).map(([lang, text]) => {
        const p = document.createElement('p');
        p.lang = lang === 'zh' ? 'zh-CN' : 'en';
        p.setAttribute('role', 'alert');
        p.textContent = text;
        return p;
      }),
    );
  },
);
