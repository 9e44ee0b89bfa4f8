import { createApiClient } from '../../shared/api/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` as a new user meets it, twice in a row on one data dir with a registration in between: the web host
 * (no Electron binary here) and no display, so the script prints the address instead of opening a window.
 */
const ROOT = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'techpass-start-twice-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  lines: string[];
  webUrl: string;
}

const START_TIMEOUT_MS = 60_000;

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    TECHPASS_DATA_DIR: dataDir,
    ARGON2_MEMORY_KIB: '64',
    ARGON2_TIME_COST: '1',
  };
  for (const k of [
    'DISPLAY',
    'WAYLAND_DISPLAY',
    'TECHPASS_BACKEND_URL',
    'ADMIN_API_KEY',
    'TECHPASS_HOST_DATA_DIR',
    'PORT',
  ])
    delete e[k];
  return e;
}

/** Runs scripts/start.mjs and resolves once it printed the address to open (and nothing more for a moment). */
function start(...extra: string[]): Promise<Started> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--web', '--no-build', ...extra], {
    cwd: ROOT,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += String(c)));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`npm start printed no address in ${START_TIMEOUT_MS / 1000} s:\n${lines.join('\n')}\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`npm start exited with code ${code}:\n${lines.join('\n')}\n${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const m = /^Open this address in a browser to use the wizard: (http:\/\/\S+)$/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        const webUrl = m[1];
        // The address must stay the last line: nothing else may follow it.
        setTimeout(() => done({ child, lines: [...lines], webUrl }), 1_500);
      }
    });
  });
}

async function stop(s: Started): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  return exited;
}

function after(lines: string[], pattern: RegExp): string {
  const hit = lines.map((l) => pattern.exec(l)?.[1]).find(Boolean);
  if (!hit) throw new Error(`no line matches ${pattern}:\n${lines.join('\n')}`);
  return hit;
}

/** Splits the printed command line as a POSIX shell would (it only uses plain words and double quotes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g))
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string));
  return words;
}

function run(command: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += String(c)));
    child.stderr?.on('data', (c: Buffer) => (out += String(c)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${command} ${args.join(' ')} took over 60 s: ${out}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

async function registrationOpen(link: string): Promise<number> {
  const { origin, pathname } = new URL(link);
  const token = pathname.split('/').pop();
  return (await createApiClient({ baseUrl: origin }).raw('GET', `/v1/registrations/${token}`)).status;
}

describe('npm start (scripts/start.mjs)', { timeout: 240_000 }, () => {
  it('works every time: a fresh usable invitation after the last one was used, the address last, logs in files, a working admin line, and --reset-demo', async () => {
    // ---- first start
    const first = await start();
    try {
      expect(first.lines.at(-1)).toMatch(
        /^Open this address in a browser to use the wizard: http:\/\/127\.0\.0\.1:\d+\/#token=/,
      );
      // The backend's JSON log goes to a file whose path is printed once; the terminal shows no log lines.
      expect(first.lines.filter((l) => l.startsWith('Logs: '))).toEqual([`Logs: ${join(dataDir, 'logs')}`]);
      expect(first.lines.some((l) => l.includes('"level"') || l.includes('"reqId"'))).toBe(false);
      expect(first.lines.some((l) => l.includes('npm start -- --reset-demo'))).toBe(true);
      const backend = after(first.lines, /^Backend \(demo mode\): (http:\/\/\S+)$/);
      const link = after(first.lines, /^Demo invitation, fresh on every start: (http:\/\/\S+)$/);
      expect(await registrationOpen(link)).toBe(200);

      // The demo admin key is printed (demo only) with a ready line that invites a second persona to this backend.
      expect(first.lines.some((l) => /^Demo admin key \(demo only; also in .+\): \S{16,}$/.test(l))).toBe(true);
      const adminLine = after(first.lines, /^ {2}(npm run admin -- invite .+)$/);
      const [cmd, ...cliArgs] = shellWords(adminLine);
      expect(cmd).toBe('npm');
      const admin = await run('npm', cliArgs);
      expect(admin.out).toMatch(/Invitation sent to demo\.persona\+\w+@example\.com/);
      expect(admin.code).toBe(0);
      const outbox = (await createApiClient({ baseUrl: backend }).raw('GET', '/v1/test/outbox')).body as {
        template: string;
        to: string;
      }[];
      expect(outbox.filter((m) => m.template === 'N-REG-LINK').map((m) => m.to)).toEqual([
        'demo.vendor@example.com',
        expect.stringMatching(/^demo\.persona\+\w+@example\.com$/),
      ]);

      // Someone registers with the demo invitation.
      const token = new URL(link).pathname.split('/').pop();
      const reg = await createApiClient({ baseUrl: backend }).raw('POST', `/v1/registrations/${token}`, {
        body: { username: 'demo.first', firstName: 'Dee', lastName: 'Mo', mobile: '+6591234567', department: 'Demo' },
      });
      expect(reg.status).toBe(201);
      expect(await registrationOpen(link)).toBe(409);
    } finally {
      expect(await stop(first)).toBe(0);
    }

    // ---- second start on the same data dir: still a URL, and a usable invitation
    const second = await start();
    try {
      expect(second.lines.at(-1)).toMatch(
        /^Open this address in a browser to use the wizard: http:\/\/127\.0\.0\.1:\d+\/#token=/,
      );
      const backend = after(second.lines, /^Backend \(demo mode\): (http:\/\/\S+)$/);
      const link = after(second.lines, /^Demo invitation, fresh on every start: (http:\/\/\S+)$/);
      expect(await registrationOpen(link)).toBe(200);
      const outbox = (await createApiClient({ baseUrl: backend }).raw('GET', '/v1/test/outbox')).body as {
        template: string;
        to: string;
      }[];
      // The registered address is not invited again (that would be "already has an account"): the next one is.
      expect(outbox.filter((m) => m.template === 'N-REG-LINK').at(-1)?.to).toBe('demo.vendor+2@example.com');
      expect(outbox.some((m) => m.template === 'N-DUP-REG')).toBe(false);
    } finally {
      expect(await stop(second)).toBe(0);
    }

    // ---- --reset-demo: the demo starts empty again
    const third = await start('--reset-demo');
    try {
      expect(third.lines.some((l) => l.startsWith(`Demo reset: wiped ${dataDir}`))).toBe(true);
      const backend = after(third.lines, /^Backend \(demo mode\): (http:\/\/\S+)$/);
      const outbox = (await createApiClient({ baseUrl: backend }).raw('GET', '/v1/test/outbox')).body as {
        template: string;
        to: string;
      }[];
      expect(outbox.map((m) => `${m.template} ${m.to}`)).toEqual(['N-REG-LINK demo.vendor@example.com']);
      expect(
        await registrationOpen(after(third.lines, /^Demo invitation, fresh on every start: (http:\/\/\S+)$/)),
      ).toBe(200);
    } finally {
      expect(await stop(third)).toBe(0);
    }
  });
});
