// First: the first screen's requests leave before React and the wizard's modules are evaluated (early.ts).
import './early';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startLocale } from './i18n/startup';
import { showStartFailure } from './start-failure';
import { useWizardStore } from './store/wizard.store';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('root element missing');
// The first screen needs its catalogue, the app's facts and the journey: early.ts asked for all of them at once before
// this module ran; the store's loads take those answers (bridge `callEarly`), and App does not ask again for what is
// already there or on its way. It renders in its language straight away.
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
  (err: unknown) => showStartFailure(root, err),
);
