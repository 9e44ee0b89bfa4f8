/**
 * Builds the command-line tools into plain JavaScript, so they start as one `node` process with no TypeScript
 * loader: `seed-check` → out/cli/seed-check.cjs, the admin CLI → backend/dist/cli/admin.cjs. `npm run build` runs
 * it, and scripts/cli.cjs (what the npm scripts run) rebuilds a tool whose sources changed.
 *
 * Each tool is two bundles: its entry (arguments, help, argument errors: a few KB, so `--help` costs little more than
 * Node's own start-up) and its main part (zod schemas, the API client, Kysely, probes: over a megabyte), which the
 * entry require()s only when a command runs. The entry's `import('./…')` of the main module becomes
 * `require('./<tool>.main.cjs')`; the bundle's `.inputs.json` lists both bundles and every source either read.
 *
 *   node scripts/build-clis.mjs [--if-stale] [seed-check|admin ...]
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = {
  'seed-check': {
    entry: 'electron/host/seed-checks/cli.ts',
    main: 'electron/host/seed-checks/cli-main.ts',
    outfile: 'out/cli/seed-check.cjs',
  },
  admin: {
    entry: 'backend/src/cli/admin-cli.ts',
    main: 'backend/src/cli/admin.ts',
    outfile: 'backend/dist/cli/admin.cjs',
  },
};
// Native addons and optional drivers stay require()d from node_modules at run time.
const EXTERNAL = ['better-sqlite3', '@napi-rs/keyring', 'pg-native', 'electron', '@node-rs/argon2'];
// The entry bundle is what every start parses: past this, something heavy was imported into it by mistake.
const ENTRY_MAX_BYTES = 32 * 1024;

const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const names = args.filter((a) => !a.startsWith('--'));
for (const name of names)
  if (!(name in TARGETS)) throw new Error(`Unknown CLI "${name}": one of ${Object.keys(TARGETS).join(', ')}`);

/** The main bundle beside the entry's: out/cli/seed-check.cjs → out/cli/seed-check.main.cjs. */
const mainOutfile = (outfile) => outfile.replace(/\.cjs$/, '.main.cjs');

/**
 * Fresh when both bundles are newer than every input the last build read (esbuild's metafiles list them), in the
 * `.inputs.json` that scripts/cli.cjs reads too: { outputs: [paths], inputs: [paths] }, relative to the root.
 */
function fresh(outfile) {
  const meta = resolve(root, `${outfile}.inputs.json`);
  if (!existsSync(meta)) return false;
  const { outputs, inputs } = JSON.parse(readFileSync(meta, 'utf8'));
  if (!Array.isArray(outputs) || !Array.isArray(inputs)) return false;
  if (!outputs.every((f) => existsSync(resolve(root, f)))) return false;
  const built = Math.min(...outputs.map((f) => statSync(resolve(root, f)).mtimeMs));
  return inputs.every((f) => existsSync(resolve(root, f)) && statSync(resolve(root, f)).mtimeMs <= built);
}

const COMMON = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: EXTERNAL,
  metafile: true,
  legalComments: 'none',
  // Less to parse at start-up; identifiers stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

/** In the entry bundle, the import of the main module stays a require() of the main bundle. */
function mainAsExternal(mainSource, mainBundle) {
  const withoutExt = resolve(root, mainSource).replace(/\.ts$/, '');
  return {
    name: 'main-bundle-external',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (a) => {
        const target = resolve(a.resolveDir, a.path).replace(/\.ts$/, '');
        return target === withoutExt ? { path: `./${basename(mainBundle)}`, external: true } : undefined;
      });
    },
  };
}

for (const name of names.length ? names : Object.keys(TARGETS)) {
  const { entry, main, outfile } = TARGETS[name];
  if (ifStale && fresh(outfile)) continue;
  const { build } = await import('esbuild');
  const mainOut = mainOutfile(outfile);
  const built = await Promise.all([
    build({ ...COMMON, entryPoints: [main], outfile: mainOut }),
    build({
      ...COMMON,
      entryPoints: [entry],
      outfile,
      plugins: [mainAsExternal(main, mainOut)],
      // import() as require(): the main bundle is CommonJS, loaded without the ES module loader.
      supported: { 'dynamic-import': false },
    }),
  ]);
  const entryBytes = Object.values(built[1].metafile.outputs)[0]?.bytes ?? 0;
  if (entryBytes > ENTRY_MAX_BYTES)
    throw new Error(
      `${outfile} is ${entryBytes} bytes (at most ${ENTRY_MAX_BYTES}): the entry of ${name} must not import the heavy part (${main}) other than by import().`,
    );
  const inputs = new Set(
    built.flatMap((r) => Object.keys(r.metafile.inputs)).filter((f) => !f.startsWith('node_modules/')),
  );
  writeFileSync(
    resolve(root, `${outfile}.inputs.json`),
    JSON.stringify({ outputs: [outfile, mainOut], inputs: [...inputs, 'package.json'] }),
  );
}
