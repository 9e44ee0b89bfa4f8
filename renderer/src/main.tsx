import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { NO_CATALOGUE_NOTICE, startLocale } from './i18n/startup';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('root element missing');
// The first screen renders in its language straight away (its catalogue is loaded first, from the app's own files).
startLocale().then(
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
