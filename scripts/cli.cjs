/**
 * Runs a built command-line tool in this very process: `node scripts/cli.cjs seed-check|admin [args…]`.
 * It rebuilds the tool first when a source file is newer than the build (or there is no build yet), then
 * require()s the built JavaScript, so a run costs one Node start-up and no TypeScript loader.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher: it require()s the built tool in this process */
const { existsSync, readFileSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { execFileSync } = require('node:child_process');

// V8's compile cache (Node 22.1+; a no-op where absent): the built tools are one file of about 1.2–1.5 MB each, and
// compiling it was a quarter of a `--help` run. Cached in the OS temp folder (NODE_COMPILE_CACHE overrides).
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

function stale() {
  const inputsFile = `${outfile}.inputs.json`;
  if (!existsSync(outfile) || !existsSync(inputsFile)) return true;
  const built = statSync(outfile).mtimeMs;
  return JSON.parse(readFileSync(inputsFile, 'utf8')).some((f) => {
    try {
      return statSync(join(root, f)).mtimeMs > built;
    } catch {
      return true;
    }
  });
}

if (stale()) execFileSync(process.execPath, [join(root, 'scripts/build-clis.mjs'), name], { stdio: 'inherit' });
if (tool.cwd) process.chdir(join(root, tool.cwd));
// The tool reads its arguments from process.argv.slice(2) and may check argv[1] to know it is the entry point.
process.argv.splice(1, 2, outfile);
require(outfile);
