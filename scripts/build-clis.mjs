/**
 * Builds the command-line tools into plain JavaScript, so they start as one `node` process with no TypeScript
 * loader: `seed-check` → out/cli/seed-check.cjs, the admin CLI → backend/dist/cli/admin.cjs. `npm run build` runs
 * it, and scripts/cli.cjs (what the npm scripts run) rebuilds a tool whose sources changed.
 *
 *   node scripts/build-clis.mjs [--if-stale] [seed-check|admin ...]
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = {
  'seed-check': { entry: 'electron/host/seed-checks/cli.ts', outfile: 'out/cli/seed-check.cjs' },
  admin: { entry: 'backend/src/cli/admin.ts', outfile: 'backend/dist/cli/admin.cjs' },
};
// Native addons and optional drivers stay require()d from node_modules at run time.
const EXTERNAL = ['better-sqlite3', '@napi-rs/keyring', 'pg-native', 'electron', '@node-rs/argon2'];

const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const names = args.filter((a) => !a.startsWith('--'));
for (const name of names)
  if (!(name in TARGETS)) throw new Error(`Unknown CLI "${name}": one of ${Object.keys(TARGETS).join(', ')}`);

/** Fresh when the output is newer than every input the last build read (esbuild's metafile lists them). */
function fresh(outfile) {
  const out = resolve(root, outfile);
  const meta = `${out}.inputs.json`;
  if (!existsSync(out) || !existsSync(meta)) return false;
  const built = statSync(out).mtimeMs;
  const inputs = JSON.parse(readFileSync(meta, 'utf8'));
  return inputs.every((f) => existsSync(resolve(root, f)) && statSync(resolve(root, f)).mtimeMs <= built);
}

for (const name of names.length ? names : Object.keys(TARGETS)) {
  const { entry, outfile } = TARGETS[name];
  if (ifStale && fresh(outfile)) continue;
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
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
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  writeFileSync(resolve(root, `${outfile}.inputs.json`), JSON.stringify([...inputs, 'package.json']));
}
