import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const json: [string, Record<string, unknown>][] =
  process.env.CI || process.env.VITEST_JSON ? [['json', { outputFile: 'reports/vitest.json' }]] : [];

export default defineConfig({
  test: {
    reporters: ['default', ...json],
    // Vitest's default in run mode is one worker fewer than the cores: one worker on a 2-core CI machine. Most files
    // wait on PostgreSQL, SQLite or a child process more than they compute, so two workers there cut the unit run from
    // about 260 s to 157 s (three gave 136 s, with less headroom for the timing-sensitive files). VITEST_MAX_WORKERS
    // still overrides it.
    maxWorkers: Math.max(2, availableParallelism() - 1),
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
