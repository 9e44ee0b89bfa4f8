import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

afterEach(() => cleanup());

// The 2-core CI machine is shared with every other suite: give slow component tests room instead of flaking.
vi.setConfig({ testTimeout: 20_000 });
