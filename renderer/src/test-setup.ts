import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import enCatalogue from './i18n/compiled/en.json';
import { activateCatalogue } from './i18n';
import type { CompiledCatalogueFile } from './i18n/types';

// Components read the active catalogue synchronously; the app loads it before its first render, the tests here.
activateCatalogue(enCatalogue as unknown as CompiledCatalogueFile, 'en');

// The web bridge's per-launch token, as the web host's printed link carries it (App shows a notice without one).
window.history.replaceState(null, '', '#token=component-tests');

afterEach(() => cleanup());

// The 2-core CI machine is shared with every other suite: give slow component tests room instead of flaking.
vi.setConfig({ testTimeout: 20_000 });
// Steps are lazy chunks, transformed on first import: on a loaded runner the first `findBy…` of a step can pass
// testing-library's default 1 s wait (seen in App.test.tsx at load ≈14). A wait that succeeds returns at once.
configure({ asyncUtilTimeout: 5_000 });
