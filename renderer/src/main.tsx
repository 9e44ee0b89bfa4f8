import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startLocale } from './i18n/startup';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('root element missing');
// The first screen renders in its language straight away (its catalogue is loaded first, from the app's own files).
void startLocale().finally(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
