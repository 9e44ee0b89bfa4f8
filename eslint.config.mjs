// ESLint flat config. The layering rules (architecture.md) are enforced here; tests/unit/layering.test.ts proves
// each one fails on a planted forbidden import.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Modules that open sockets: only electron/host/net may use them in the host. */
const NETWORK_MODULES = '^(node:)?(http|https|http2|net|tls|dgram|dns)(/.*)?$|^undici$';
const NODE_BUILTINS =
  '^(node:.*|fs|path|os|crypto|http|https|net|child_process|url|util|stream|events|worker_threads)$';

/** One no-restricted-imports rule from a list of [regex, message]. */
const forbid = (...rules) => ({
  'no-restricted-imports': ['error', { patterns: rules.map(([regex, message]) => ({ regex, message })) }],
});

const outOf = (...folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

const BACKEND = [
  ['^electron$', 'backend/ never imports electron.'],
  [outOf('electron', 'renderer', 'tests', 'scripts'), 'backend/ imports shared/ only.'],
];
const FEATURE_ROUTES = [
  '(^|/)features/[\\w-]+/routes$|^\\./routes$|^\\.\\./[\\w-]+/routes$',
  "A feature's routes.ts is imported only by backend/src/http/routes.ts: call the feature's service instead.",
];

export const layering = [
  {
    files: ['shared/**/*.ts'],
    rules: forbid(
      ['^(electron|react|react-dom|zustand)$', 'shared/ is pure TypeScript: no electron, no DOM frameworks.'],
      [NODE_BUILTINS, 'shared/ must not use node:* modules.'],
      [outOf('electron', 'renderer', 'backend', 'tests', 'scripts'), 'shared/ imports nothing outside shared/.'],
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: forbid(
      ['^electron$', 'The renderer never imports electron; it talks to the host through src/bridge.ts.'],
      [NODE_BUILTINS, 'The renderer never touches Node.'],
      [outOf('electron', 'backend', 'tests', 'scripts'), 'renderer/ imports shared/ only.'],
    ),
  },
  {
    files: ['backend/**/*.ts'],
    rules: forbid(...BACKEND),
  },
  {
    // A feature's routes.ts (its HTTP handlers) is a leaf: only http/routes.ts combines them. Everything else calls
    // the feature's service.
    files: ['backend/src/**/*.ts'],
    ignores: ['backend/src/http/routes.ts'],
    rules: forbid(...BACKEND, FEATURE_ROUTES),
  },
  {
    // The data access every feature shares sits below the features: it imports no feature, HTTP, job or CLI code.
    files: ['backend/src/db/**/*.ts'],
    rules: forbid(...BACKEND, FEATURE_ROUTES, [
      `^\\.\\./(features|http|jobs|cli)(/|$)`,
      'backend/src/db is the data access every feature shares: it imports no feature, HTTP, job or CLI code.',
    ]),
  },
  {
    files: ['electron/host/**/*.ts', 'electron/web/**/*.ts'],
    rules: forbid(
      ['^electron$', 'electron/host and electron/web never import electron (only main/ and preload/ do).'],
      [
        outOf('renderer', 'backend', 'tests', 'scripts'),
        'electron/host and electron/web never import renderer/ or backend/.',
      ],
    ),
  },
  {
    // One way to the network: the seam in electron/host/net (injected fetch; Electron's net.fetch or undici).
    files: ['electron/host/**/*.ts'],
    ignores: ['electron/host/net/**', 'electron/host/test-support/**', '**/*.test.ts'],
    rules: {
      ...forbid(
        ['^electron$', 'electron/host and electron/web never import electron (only main/ and preload/ do).'],
        [
          outOf('renderer', 'backend', 'tests', 'scripts'),
          'electron/host and electron/web never import renderer/ or backend/.',
        ],
        [NETWORK_MODULES, 'electron/host reaches the network only through the injected fetch of electron/host/net.'],
      ),
      'no-restricted-globals': [
        'error',
        {
          name: 'fetch',
          message: 'electron/host reaches the network only through the injected fetch of electron/host/net.',
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: forbid([
      outOf('renderer', 'backend', 'tests', 'scripts'),
      'electron/main and preload never import renderer/ or backend/.',
    ]),
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'out/**',
      '**/dist/**',
      'release/**',
      'reports/**',
      'test-results/**',
      'playwright-report/**',
      '.data/**',
      'docs/**',
    ],
  },
  js.configs.recommended,
  // Type-aware rules (floating and misused promises, unsafe any, unbound methods…): each file is checked with the
  // types of the tsconfig project that includes it.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Off, measured: on, it reports 170 functions, 45 outside test files, and each of those but one bench helper
      // implements an async contract: route handlers and Fastify hooks (Fastify treats a handler or hook by whether it returns a
      // promise; a hook without one is waited on for its `done` callback), desktop-bridge handlers, SEED probes, the
      // outbox store and Kysely's migration provider and plugin. They stay `async` although they await nothing, so a
      // throw inside them becomes a rejection, which is what their callers handle; rewriting them to
      // `Promise.resolve(...)` would turn such a throw into a synchronous one and read no clearer. A forgotten `await`
      // is caught by no-floating-promises and no-misused-promises, which stay on.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  // Plain JavaScript (scripts, configs) belongs to no tsconfig project: the rules without types only.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  // The Rules of React (hooks order, effect dependencies, pure renders) for the wizard's components.
  { files: ['renderer/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended },
  ...layering,
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'tests/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Tests read answers as untyped JSON (the backend harness's path-based `b.call`/`b.admin`, fetch's res.json()) and
    // assert on their shape; every file that ships keeps the unsafe-any rules. Measured with the rules on: about 790
    // reports in 44 test files, nine in ten of them in backend/test on `b.call(...)` bodies. Those calls are raw on
    // purpose where a test sends what the table would refuse or reads an error body; the typed way is the route
    // table's client, `b.api.call(operationId, ...)` with `bodyWithStatus` (harness.ts), converted file by file.
    files: ['**/*.test.ts', '**/*.test.tsx', 'tests/**/*.ts', 'backend/test/**/*.ts', '**/test-support/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Test files that read every answer typed: the unsafe-any rules stay on, so they stay typed.
    files: ['backend/test/initial-password.test.ts', 'shared/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
    },
  },
);
