import { createApiClient } from '../../shared/api/client';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const PRODUCTION_KEYS = { DATA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 5).toString('base64')}` };

/** The node options `npm run backend` and `npm start` give the backend process. */
const BACKEND_NODE_FLAGS = createRequire(__filename)(join(root, 'backend/node-flags.cjs')) as string[];

/**
 * Starts `tsx backend/src/main.ts` and collects stdout lines until `count` lines arrived. With `nodeFlags`, started as
 * `npm start` and `npm run backend` start it: `node <flags> --import tsx backend/src/main.ts` (the tsx CLI would run
 * the backend in a second process, which does not see the flags the same way).
 */
function start(env: Record<string, string>, count: number, nodeFlags?: readonly string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-main-'));
  const main = join(root, 'backend/src/main.ts');
  const child = spawn(
    process.execPath,
    nodeFlags ? [...nodeFlags, '--import', 'tsx', main] : [join(root, 'node_modules/tsx/dist/cli.mjs'), main],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        TECHPASS_DATA_DIR: dataDir,
        PORT: '0',
        ARGON2_MEMORY_KIB: '64',
        ARGON2_TIME_COST: '1',
        DATA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const ready = new Promise<string[]>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(l);
      if (lines.length === count) resolve(lines);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { ready, stop, lines, stderr: () => stderr };
}

describe('npm run backend (main.ts)', { timeout: 60_000 }, () => {
  it('prints only `listening on http://HOST:PORT` on stdout, migrates an empty data dir, logs JSON to stderr', async () => {
    const p = start({ ...PRODUCTION_KEYS, DELIVERY: 'store-only' }, 1);
    try {
      const [line] = await p.ready;
      expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const base = line!.slice('listening on '.length);
      const api = createApiClient({ baseUrl: base });
      expect((await api.call('health')).body).toMatchObject({ name: 'techpass-provisioning', mode: 'production' });
      expect((await api.raw('GET', '/v1/test/outbox')).status).toBe(404);
      await new Promise((r) => setTimeout(r, 100)); // let the request log flush
      expect(p.stderr()).toContain('"reqId"');
      expect(p.lines).toHaveLength(1);
      // DELIVERY=store-only is said in one plain line on stderr, before the JSON logs.
      expect(p.stderr().split('\n')[0]).toMatch(
        /^warning: DELIVERY=store-only: email and sms messages are stored in the outbox and NOT sent\. Configure SMTP_HOST and SMS_GATEWAY_URL/,
      );
    } finally {
      await p.stop();
    }
  });

  it('production refuses to start without real email and SMS transports, naming what to set', async () => {
    const p = start(PRODUCTION_KEYS, 1);
    await expect(p.ready).rejects.toThrow(
      /SMTP_HOST: required in production[\s\S]*SMS_GATEWAY_URL: required in production[\s\S]*DELIVERY=store-only/,
    );
    await p.stop();
  });

  it('demo mode seeds one invitation, prints its link, and serves the demo inbox', async () => {
    const p = start({ TECHPASS_DEMO: '1' }, 2);
    try {
      const [line, demo] = await p.ready;
      const base = line!.slice('listening on '.length);
      expect(demo).toMatch(new RegExp(`^demo invitation: ${base}/register/[A-Za-z0-9_-]{43}$`));
      const token = demo!.split('/').pop();
      const api = createApiClient({ baseUrl: base });
      expect((await api.call('getRegistration', { params: { token: token ?? '' } })).status).toBe(200);
      const inbox = await api.call('getOutbox');
      expect(inbox.status === 200 && inbox.body.map((m) => m.template)).toEqual(['N-REG-LINK']);
      const health = await api.call('health');
      expect(health.status === 200 && health.body.mode).toBe('demo');
    } finally {
      await p.stop();
    }
  });

  it("runs the lifecycle job's thread when started with the backend's own node options", async () => {
    // The thread inherits the process's options, and Node refuses V8's heap options in a thread's execArgv: a flag
    // added to backend/node-flags.cjs that the runner does not leave out would fail every job run, in production only.
    expect(BACKEND_NODE_FLAGS.length).toBeGreaterThan(0);
    // backend/package.json's "start" (npm start -w backend) gives the same options.
    const backendPackage = createRequire(__filename)(join(root, 'backend/package.json')) as {
      scripts: { start: string };
    };
    expect(backendPackage.scripts.start).toBe(`node ${BACKEND_NODE_FLAGS.join(' ')} --import tsx src/main.ts`);
    const p = start({ TECHPASS_TEST_MODE: '1' }, 1, BACKEND_NODE_FLAGS);
    try {
      const [line] = await p.ready;
      const api = createApiClient({ baseUrl: line!.slice('listening on '.length) });
      for (let run = 0; run < 2; run++) {
        const report = await api.call('runJobs');
        expect(report.status).toBe(200);
        expect(report.body).toMatchObject({ reminders: expect.any(Array), transitions: expect.any(Array) });
      }
      expect(p.stderr()).not.toMatch(/lifecycle job's thread|ERR_WORKER_INVALID_EXEC_ARGV/);
    } finally {
      await p.stop();
    }
  });

  it('fails fast with a clear message for a bad configuration', async () => {
    const p = start({ DATABASE_URL: 'mysql://nope' }, 1);
    await expect(p.ready).rejects.toThrow(/DATABASE_URL must be a postgres/);
    await p.stop();
  });
});
