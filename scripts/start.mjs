#!/usr/bin/env node
// npm start       backend in demo mode + the Electron app pointed at it (falls back to the browser window when the
//                 Electron binary cannot be obtained, e.g. without internet access and without ELECTRON_MIRROR)
// npm run start:web   the same journey in a browser window through the web host (electron/web)
//
// Environment: PORT (backend port, default any free one), TECHPASS_DATA_DIR (demo data, default ./.data/demo),
// TECHPASS_BACKEND_URL (use a backend that is already running instead of starting the demo one).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const webOnly = process.argv.includes('--web');
const children = [];
const say = (line) => process.stdout.write(`${line}\n`);

function stopAll(code = 0) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** Spawns a process and resolves with the first stdout line matching `pattern`. */
function startAndWait(command, args, env, pattern, label) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let buffer = '';
    let matched = false;
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        say(`[${label}] ${line}`);
        const m = pattern.exec(line);
        if (m && !matched) {
          matched = true;
          resolve(m);
        }
      }
    });
    child.on('exit', (code) => {
      if (!matched) reject(new Error(`${label} exited with code ${code} before it was ready`));
      else if (code !== 0 && code !== null) stopAll(code);
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
  const reason = (probe.stderr || '').split('\n').find((l) => /error|fail/i.test(l))?.trim() ?? 'download failed';
  return { error: reason };
}

function findBrowser() {
  const candidates =
    process.platform === 'win32'
      ? ['C:/Program Files/Google/Chrome/Application/chrome.exe', 'C:/Program Files (x86)/Microsoft/Edge/Application/msedge.exe']
      : process.platform === 'darwin'
        ? ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium']
        : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((p) => existsSync(p));
}

async function main() {
  say('Building the app (electron-vite)…');
  const built = spawnSync('npx', ['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) stopAll(built.status ?? 1);

  let backendUrl = process.env.TECHPASS_BACKEND_URL;
  if (!backendUrl) {
    const [, url] = await startAndWait(
      process.execPath,
      ['--import', 'tsx', 'backend/src/main.ts'],
      {
        TECHPASS_DEMO: '1',
        PORT: process.env.PORT ?? '0',
        TECHPASS_DATA_DIR: process.env.TECHPASS_DATA_DIR ?? join(root, '.data', 'demo'),
        ADMIN_API_KEY: process.env.ADMIN_API_KEY ?? 'demo-admin-key',
      },
      /^listening on (http:\/\/\S+)/,
      'backend',
    );
    backendUrl = url;
  }
  say(`Backend: ${backendUrl}`);

  if (!webOnly) {
    const electron = electronBinary();
    if (electron.path) {
      const app = spawn(electron.path, ['.'], { stdio: 'inherit', env: { ...process.env, TECHPASS_BACKEND_URL: backendUrl } });
      children.push(app);
      app.on('exit', (code) => stopAll(code ?? 0));
      return;
    }
    say(
      `Electron could not be started (${electron.error}): its binary downloads on first use and this network blocks it. ` +
        'Fix: set ELECTRON_MIRROR to a reachable Electron mirror (ELECTRON_MIRROR=https://<your-mirror>/electron/) and run npm start again. ' +
        'Falling back to the web host in a browser window.',
    );
  }

  const [, webUrl] = await startAndWait(
    process.execPath,
    ['--import', 'tsx', 'electron/web/main.ts'],
    { TECHPASS_BACKEND_URL: backendUrl },
    /^web host on (http:\/\/\S+)/,
    'web',
  );
  const browser = findBrowser();
  const hasDisplay = process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
  if (browser && hasDisplay) {
    const args = [`--app=${webUrl}`, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'techpass-web-'))}`, '--no-first-run'];
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    const win = spawn(browser, args, { stdio: 'ignore' });
    children.push(win);
    say(`Opened the wizard in an app window (${browser}). Close it or press Ctrl+C to stop.`);
    win.on('exit', () => stopAll(0));
  } else {
    say(`Open this address in a browser to use the wizard: ${webUrl}`);
    say('Press Ctrl+C to stop.');
  }
}

main().catch((err) => {
  say(`npm start failed: ${err.message}`);
  stopAll(1);
});
