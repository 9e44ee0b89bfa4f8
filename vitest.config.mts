import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const json: [string, Record<string, unknown>][] =
  process.env.CI || process.env.VITEST_JSON ? [['json', { outputFile: 'reports/vitest.json' }]] : [];

export default defineConfig({
  test: {
    reporters: ['default', ...json],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'shared/**/*.test.ts',
            'electron/**/*.test.ts',
            'backend/**/*.test.ts',
            'tests/unit/**/*.test.ts',
            'tests/packaging/**/*.test.ts',
          ],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['renderer/src/test-setup.ts'],
        },
      },
    ],
  },
});
