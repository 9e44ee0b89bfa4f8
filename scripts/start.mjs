#!/usr/bin/env node
// npm start       backend in demo mode + the Electron app pointed at it (falls back to the browser window when the
//                 Electron binary cannot be obtained, e.g. without internet access and without ELECTRON_MIRROR)
// npm run start:web   the same journey in a browser window through the web host (electron/web)
// npm start -- --reset-demo   wipe the demo (backend database, the app's demo progress, logs) and start afresh
// npm start -- --no-build     skip the electron-vite build (the bundles in out/ are current)
//
// Environment: PORT (backend port, default any free one), TECHPASS_DATA_DIR (demo data, default ./.data/demo),
// TECHPASS_BACKEND_URL (use a backend that is already running instead of starting the demo one),
// ADMIN_API_KEY (the demo backend's admin key; default: a fresh random one per start, printed).
//
// The terminal gets a few lines only, the address to open last; the backend's and the app's logs go to files under
// the demo data dir (the path is printed once).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The backend's node options (backend/node-flags.cjs). */
const backendNodeFlags = createRequire(import.meta.url)('../backend/node-flags.cjs');
process.chdir(root);
const args = process.argv.slice(2);
const webOnly = args.includes('--web');
const resetDemo = args.includes('--reset-demo');
const skipBuild = args.includes('--no-build');
const known = new Set(['--web', '--reset-demo', '--no-build']);
const children = [];
const say = (line) => process.stdout.write(`${line}\n`);

const externalBackend = process.env.TECHPASS_BACKEND_URL;
const demoDir = resolve(process.env.TECHPASS_DATA_DIR ?? join(root, '.data', 'demo'));
const logDir = join(demoDir, 'logs');
/** The app's own progress for the demo lives beside the demo backend's data, so one reset clears both. */
const appDataDir = process.env.TECHPASS_HOST_DATA_DIR ?? join(demoDir, 'app');

let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  // Wait for the children (bounded), so a following `npm start` never meets a backend still closing its database.
  await Promise.all(
    running.map(
      (child) =>
        new Promise((done) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            done();
          }, 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function logFile(name) {
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  return openSync(join(logDir, name), 'a', 0o600);
}

/** Spawns a process (stderr to its log file) and resolves with the stdout lines up to the one matching `until`. */
function startAndWait(command, childArgs, env, until, logName) {
  return new Promise((resolvePromise, reject) => {
    const log = logFile(logName);
    const child = spawn(command, childArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', log] });
    children.push(child);
    const seen = [];
    let buffer = '';
    let matched = false;
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        seen.push(line);
        if (!matched && until.test(line)) {
          matched = true;
          resolvePromise(seen);
        }
      }
    });
    child.on('exit', (code) => {
      if (!matched)
        reject(
          new Error(
            `${logName.replace(/\.log$/, '')} exited with code ${code} before it was ready; see ${join(logDir, logName)}`,
          ),
        );
      else if (!stopping && code !== 0 && code !== null) {
        say(`${logName.replace(/\.log$/, '')} stopped (exit code ${code}); see ${join(logDir, logName)}`);
        void stopAll(code);
      }
    });
  });
}

function electronBinary() {
  // Requiring 'electron' downloads its binary on first use; without internet that fails in under a second.
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const path = probe.stdout?.trim();
  if (probe.status === 0 && path && existsSync(path)) return { path };
  const reason =
    (probe.stderr || '')
      .split('\n')
      .find((l) => /error|fail/i.test(l))
      ?.trim() ?? 'download failed';
  return { error: reason };
}

function findBrowser() {
  const candidates =
    process.platform === 'win32'
      ? [
          'C:/Program Files/Google/Chrome/Application/chrome.exe',
          'C:/Program Files (x86)/Microsoft/Edge/Application/msedge.exe',
        ]
      : process.platform === 'darwin'
        ? [
            '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
            '/Applications/Chromium.app/Contents/MacOS/Chromium',
          ]
        : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((p) => existsSync(p));
}

const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`);

/** The ready-to-run admin CLI line that invites a second persona (offshore, ODC "Others") to the running demo. */
function secondPersonaCommand(backendUrl, keyFile) {
  const email = `demo.persona+${Date.now().toString(36)}@example.com`;
  const cli = [
    'npm',
    'run',
    'admin',
    '--',
    'invite',
    '--url',
    backendUrl,
    ...(keyFile ? ['--key-file', keyFile] : []),
    '--email',
    email,
    '--business-operation',
    'offshore',
    '--odc',
    'Others',
    '--offshore-company-name',
    'Acme-Offshore',
    '--sponsoring-agency',
    'GovTech',
    '--password-delivery',
    'self_set',
    '--inviter-email',
    'demo.pm@tech.gov.sg',
  ];
  return `${keyFile ? '' : 'ADMIN_API_KEY=<the key you set> '}${cli.map(quote).join(' ')}`;
}

function resetDemoData() {
  if (externalBackend) {
    say(
      `--reset-demo only resets the demo backend; TECHPASS_BACKEND_URL points at ${externalBackend}, so nothing was wiped.`,
    );
    return;
  }
  const isDefault = demoDir === resolve(join(root, '.data', 'demo'));
  if (!isDefault && existsSync(demoDir) && !existsSync(join(demoDir, 'techpass.sqlite'))) {
    say(`--reset-demo: ${demoDir} does not look like a demo data dir (no techpass.sqlite); it was left alone.`);
    return;
  }
  rmSync(demoDir, { recursive: true, force: true });
  if (!appDataDir.startsWith(demoDir)) rmSync(appDataDir, { recursive: true, force: true });
  say(`Demo reset: wiped ${demoDir} (demo accounts, invitations, the app's demo progress and logs).`);
}

async function main() {
  const unknown = args.filter((a) => !known.has(a));
  if (unknown.length) {
    say(`Unknown option ${unknown.join(' ')}. Options: --web, --reset-demo, --no-build.`);
    process.exit(2);
  }
  if (resetDemo) resetDemoData();

  if (!skipBuild) {
    say('Building the app (electron-vite)…');
    const built = spawnSync('npx', ['electron-vite', 'build'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    });
    if (built.status !== 0) return stopAll(built.status ?? 1);
  }

  const summary = [];
  let backendUrl = externalBackend;
  let invitation;
  if (!backendUrl) {
    mkdirSync(demoDir, { recursive: true, mode: 0o700 });
    const givenKey = process.env.ADMIN_API_KEY;
    const adminKey = givenKey ?? randomBytes(18).toString('base64url');
    let keyFile;
    if (!givenKey) {
      // Demo only: a throw-away key, in a file so the printed admin line works in any shell (the CLI never takes a key
      // as an argument).
      keyFile = join(demoDir, 'admin-api-key');
      writeFileSync(keyFile, `${adminKey}\n`, { mode: 0o600 });
    }
    const lines = await startAndWait(
      process.execPath,
      [...backendNodeFlags, '--import', 'tsx', 'backend/src/main.ts'],
      { TECHPASS_DEMO: '1', PORT: process.env.PORT ?? '0', TECHPASS_DATA_DIR: demoDir, ADMIN_API_KEY: adminKey },
      /^demo invitation: /,
      'backend.log',
    );
    backendUrl = lines.map((l) => /^listening on (http:\/\/\S+)/.exec(l)?.[1]).find(Boolean);
    invitation = lines.map((l) => /^demo invitation: (\S+)/.exec(l)?.[1]).find(Boolean);
    summary.push(`Backend (demo mode): ${backendUrl}`);
    summary.push(`Demo invitation, fresh on every start: ${invitation}`);
    summary.push(
      `  (its emails and SMS appear in the demo inbox beside the wizard, and at ${backendUrl}/v1/test/outbox)`,
    );
    summary.push(
      "To reset the demo (wipe its accounts, invitations and the app's demo progress): npm start -- --reset-demo",
    );
    if (keyFile) summary.push(`Demo admin key (demo only; also in ${keyFile}): ${adminKey}`);
    summary.push('Invite a second persona to this demo (in another terminal):');
    summary.push(`  ${secondPersonaCommand(backendUrl, keyFile)}`);
  } else {
    summary.push(`Backend: ${backendUrl}`);
  }
  summary.push(`Logs: ${logDir}`);
  const appEnv = {
    TECHPASS_BACKEND_URL: backendUrl,
    ...(externalBackend ? {} : { TECHPASS_HOST_DATA_DIR: appDataDir }),
  };

  if (!webOnly) {
    const electron = electronBinary();
    if (electron.path) {
      const log = logFile('app.log');
      const app = spawn(electron.path, ['.'], { stdio: ['ignore', log, log], env: { ...process.env, ...appEnv } });
      children.push(app);
      app.on('exit', (code) => void stopAll(code ?? 0));
      for (const line of summary) say(line);
      say('The TechPass Onboarding app is open. Close it or press Ctrl+C to stop.');
      if (invitation) say(`Paste this registration link into the app: ${invitation}`);
      return;
    }
    summary.push(
      `Electron could not be started (${electron.error}): its binary downloads on first use and this network blocks it. ` +
        'Fix: set ELECTRON_MIRROR to a reachable Electron mirror (ELECTRON_MIRROR=https://<your-mirror>/electron/) and run npm start again. ' +
        'Using the web host in a browser window instead.',
    );
  }

  const lines = await startAndWait(
    process.execPath,
    ['--import', 'tsx', 'electron/web/main.ts'],
    appEnv,
    /^web host on /,
    'web-host.log',
  );
  const webUrl = lines.map((l) => /^web host on (http:\/\/\S+)/.exec(l)?.[1]).find(Boolean);
  for (const line of summary) say(line);
  const browser = findBrowser();
  const hasDisplay = process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
  if (browser && hasDisplay) {
    const winArgs = [
      `--app=${webUrl}`,
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'techpass-web-'))}`,
      '--no-first-run',
    ];
    if (process.getuid?.() === 0) winArgs.push('--no-sandbox');
    const win = spawn(browser, winArgs, { stdio: 'ignore' });
    children.push(win);
    win.on('exit', () => void stopAll(0));
    say(`Opened the wizard in an app window (${browser}). Close it or press Ctrl+C to stop. Its address:`);
    say(webUrl);
  } else {
    say('Press Ctrl+C to stop.');
    say(`Open this address in a browser to use the wizard: ${webUrl}`);
  }
}

main().catch((err) => {
  say(`npm start failed: ${err.message}`);
  void stopAll(1);
});
