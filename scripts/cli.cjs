/**
 * Runs a built command-line tool in this very process: `node scripts/cli.cjs seed-check|admin [args…]`.
 * It rebuilds the tool first when a source file is newer than the build (or there is no build yet), then
 * require()s the built JavaScript, so a run costs one Node start-up and no TypeScript loader. The built entry is
 * small (arguments and help); it loads the tool's main bundle itself, only when a command runs.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher: it require()s the built tool in this process */
const { readFileSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { execFileSync } = require('node:child_process');

// V8's compile cache (Node 22.1+; a no-op where absent): a tool's main bundle is about 1.2–1.5 MB, and compiling it
// was a quarter of a run. Cached in the OS temp folder (NODE_COMPILE_CACHE overrides).
require('node:module').enableCompileCache?.();

const root = resolve(__dirname, '..');
// The admin CLI runs in the backend's folder, as `npm run … -w backend` did: ./.data and relative paths there.
const TOOLS = {
  'seed-check': { outfile: 'out/cli/seed-check.cjs', cwd: undefined },
  admin: { outfile: 'backend/dist/cli/admin.cjs', cwd: 'backend' },
};

const name = process.argv[2];
const tool = TOOLS[name];
if (!tool) {
  process.stderr.write(`Usage: node scripts/cli.cjs ${Object.keys(TOOLS).join('|')} [arguments]\n`);
  process.exit(2);
}
const outfile = join(root, tool.outfile);

/**
 * Stale when the build is missing or a source is newer than it: `<outfile>.inputs.json` (scripts/build-clis.mjs)
 * lists the tool's bundles (its entry and its main part) and every source either was built from. About 40 stat()
 * calls: a fraction of a millisecond.
 */
function stale() {
  let meta;
  try {
    meta = JSON.parse(readFileSync(`${outfile}.inputs.json`, 'utf8'));
  } catch {
    return true;
  }
  if (!Array.isArray(meta.outputs) || !Array.isArray(meta.inputs) || !meta.outputs.length) return true;
  let built = Infinity;
  for (const f of meta.outputs) {
    const s = statSync(join(root, f), { throwIfNoEntry: false });
    if (!s) return true;
    built = Math.min(built, s.mtimeMs);
  }
  return meta.inputs.some((f) => !(statSync(join(root, f), { throwIfNoEntry: false })?.mtimeMs <= built));
}

if (stale()) execFileSync(process.execPath, [join(root, 'scripts/build-clis.mjs'), name], { stdio: 'inherit' });
if (tool.cwd) process.chdir(join(root, tool.cwd));
// The tool reads its arguments from process.argv.slice(2) and may check argv[1] to know it is the entry point.
process.argv.splice(1, 2, outfile);
require(outfile);
