#!/usr/bin/env node
// npm test: typecheck, lint, build, unit + integration tests (vitest), end-to-end tests (Playwright on Chromium
// through the web host), then one closing line `N passed, N failed, N skipped` summed over every runner.
//
// On Linux without a session bus it re-runs itself inside scripts/with-keyring.sh (a private D-Bus with a fresh,
// unlocked gnome-keyring) so the keychain tests always meet a real Secret Service. It starts a throw-away
// PostgreSQL cluster for the backend's PostgreSQL suite unless TEST_DATABASE_URL is given. A missing tool is a
// clear failure naming the package to install, never a skipped test.
//
// Options: --only=typecheck,lint,build,unit,e2e   run a subset (the summary still counts what ran)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
const wants = (step) => !only || only.has(step);

const say = (line) => process.stdout.write(`${line}\n`);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

// 1. A real Secret Service for the keychain tests.
if (process.platform === 'linux' && !process.env.TECHPASS_KEYRING_WRAPPED && !process.env.GNOME_KEYRING_CONTROL) {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !has(c));
  if (missing.length) {
    say(
      `npm test: ${missing.join(', ')} not found. Install: sudo apt-get install dbus gnome-keyring (or: bash scripts/install-system-deps.sh)`,
    );
    say('0 passed, 1 failed, 0 skipped');
    process.exit(1);
  }
  const child = spawn('sh', [join(root, 'scripts/with-keyring.sh'), process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, TECHPASS_KEYRING_WRAPPED: '1' },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function main() {
  rmSync('reports', { recursive: true, force: true });
  mkdirSync('reports', { recursive: true });
  const env = { ...process.env, CI: process.env.CI ?? '', VITEST_JSON: '1', FORCE_COLOR: '0' };
  const results = { passed: 0, failed: 0, skipped: 0 };
  const check = (name, ok) => {
    if (ok) results.passed += 1;
    else {
      results.failed += 1;
      say(`npm test: ${name} FAILED`);
    }
  };

  // Tools the suites need: fail clearly, naming the package.
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (wants('e2e') && !existsSync(chromium)) {
    say(`npm test: Chromium not found at ${chromium}. Install: sudo apt-get install chromium (or set CHROMIUM_PATH)`);
    check('chromium present', false);
  }

  // 2. PostgreSQL for the backend's repository/integration suite.
  let pg = null;
  if (wants('unit') && !env.TEST_DATABASE_URL) {
    const out = spawnSync('sh', ['scripts/start-pg.sh'], { encoding: 'utf8' });
    if (out.status !== 0) {
      say(`npm test: could not start PostgreSQL: ${(out.stderr || out.stdout).trim()}`);
      check('postgresql started', false);
    } else {
      pg = Object.fromEntries(
        out.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(/=(.*)/s).slice(0, 2)),
      );
      env.TEST_DATABASE_URL = pg.DATABASE_URL;
      say(`npm test: PostgreSQL ready at ${pg.DATABASE_URL.replace(/:[^:@/]+@/, ':***@')}`);
    }
  }
  const stopPg = () => pg && spawnSync('sh', ['scripts/stop-pg.sh', pg.PGDATA], { stdio: 'ignore' });
  process.on('exit', stopPg);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

  const npx = (args) => run('npx', args, env);
  const t0 = Date.now();
  // The static checks and the build read the tree and write nothing the others read, so they run side by side, in
  // two lanes of one process each (a 2-core runner): about 50 s less than one after the other. Each step's output is
  // printed whole when it ends, so the log reads as if they had run in turn.
  const lane = async (steps) => {
    for (const [name, args] of steps) check(name, await runCaptured('npx', args, env));
  };
  await Promise.all([
    lane([
      ...(wants('typecheck') ? [['typecheck', ['tsc', '-b']]] : []),
      ...(wants('build') ? [['build', ['electron-vite', 'build']]] : []),
    ]),
    lane([
      ...(wants('lint') ? [['lint', ['eslint', '--max-warnings', '0', '.']]] : []),
      // The formatter's verdict on the whole tree (.prettierignore says what it leaves alone, and why).
      ...(wants('lint') ? [['format', ['prettier', '--check', '.']]] : []),
    ]),
  ]);
  if (wants('unit')) {
    const ok = await npx(['vitest', 'run']);
    const counted = addVitest(results);
    if (!ok && !counted) check('vitest (no report)', false);
  }
  if (wants('e2e')) {
    const ok = await npx(['playwright', 'test', '--project=web']);
    const counted = addPlaywright(results);
    if (!ok && !counted) check('playwright (no report)', false);
  }
  say(`npm test: finished in ${Math.round((Date.now() - t0) / 1000)} s`);
  say(`${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  process.exitCode = results.failed > 0 || results.passed === 0 ? 1 : 0;
}

function run(cmd, args, env) {
  say(`\n$ ${cmd} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env });
    child.on('exit', (code) => resolve(code === 0));
    child.on('error', () => resolve(false));
  });
}

/** Like run, with the output held back and printed in one piece when the command ends (for steps run side by side). */
function runCaptured(cmd, args, env) {
  return new Promise((resolve) => {
    const chunks = [];
    const started = Date.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    let ended = false;
    const done = (ok) => {
      if (ended) return;
      ended = true;
      say(`\n$ ${cmd} ${args.join(' ')}   (${Math.round((Date.now() - started) / 1000)} s)`);
      process.stdout.write(Buffer.concat(chunks));
      resolve(ok);
    };
    child.on('close', (code) => done(code === 0));
    child.on('error', () => done(false));
  });
}

function addVitest(results) {
  if (!existsSync('reports/vitest.json')) return false;
  const v = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
  results.passed += v.numPassedTests;
  results.failed += v.numFailedTests;
  // A test file that failed to load has no test results of its own: count it as one failure.
  results.failed += (v.testResults ?? []).filter(
    (r) => r.status === 'failed' && r.assertionResults.length === 0,
  ).length;
  results.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  return true;
}

function addPlaywright(results) {
  if (!existsSync('reports/playwright.json')) return false;
  const report = JSON.parse(readFileSync('reports/playwright.json', 'utf8'));
  const s = report.stats;
  results.passed += s.expected + s.flaky;
  if (s.flaky) say(`npm test: ${s.flaky} end-to-end test(s) passed only on their retry (flaky): see the list above`);
  results.failed += s.unexpected + (report.errors?.length ?? 0);
  results.skipped += s.skipped;
  return true;
}
