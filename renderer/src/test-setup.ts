import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// The web bridge's per-launch token, as the web host's printed link carries it (App shows a notice without one).
window.history.replaceState(null, '', '#token=component-tests');

afterEach(() => cleanup());

// The 2-core CI machine is shared with every other suite: give slow component tests room instead of flaking.
vi.setConfig({ testTimeout: 20_000 });
