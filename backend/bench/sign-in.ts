/**
 * Sign-in throughput against a real listening server on 127.0.0.1 (SQLite in a temp dir, argon2id at the OWASP
 * parameters the service uses in production). Bounded in time: BENCH_SECONDS (default 10) per phase.
 *
 *   npx tsx backend/bench/sign-in.ts            # prints a Markdown table (copied into RESULTS.md)
 *
 * Each row also measures bare argon2id verifications of the account's hash (same parameters, the same number of
 * verifications in flight as connections) in the same run, so the cost of everything around the hash (the attempt
 * slot reserved before it, the session insert) reads directly as the gap between the two columns.
 */
import { createApiClient } from '../../shared/api/client';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { buildApp } from '../src/app';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createInvitation } from '../src/features/invitations/service';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ADMIN = `bench-admin-key-${randomBytes(16).toString('hex')}`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'techpass-bench-'));
  // Production mode (the real argon2 cost and code paths), with no transports: nothing is sent from a benchmark.
  const config = loadConfig({
    TECHPASS_DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_API_KEY: ADMIN,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000000',
    JOB_INTERVAL_SECONDS: '0',
    DATA_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    DELIVERY: 'store-only',
  });
  const app = await buildApp({ config, clock: systemClock });
  const base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  const api = createApiClient({ baseUrl: base });
  try {
    // The service call (not the API) hands back the link's token: production keeps it only sealed in the outbox.
    const { token } = await createInvitation(
      app.techpass.ctx,
      {
        email: 'bench.user@vendor.example.com',
        businessOperation: 'onshore',
        sponsoringAgency: 'GovTech',
        seedRequested: false,
        passwordDelivery: 'self_set',
        inviterEmail: 'pm@tech.gov.sg',
      },
      'bench',
    );
    const password = 'Kettle-42-Orbit-Blue';
    const reg = await api.call('submitRegistration', {
      params: { token },
      body: {
        username: 'bench.user',
        firstName: 'Bench',
        lastName: 'User',
        mobile: '+6591234567',
        department: 'QA',
        password,
      },
    });
    if (reg.status !== 201) throw new Error(`register failed: ${JSON.stringify(reg.body)}`);

    const run = (connections: number) =>
      autocannon({
        url: `${base}/v1/sessions`,
        method: 'POST',
        connections,
        duration: SECONDS,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: 'bench.user', password }),
      });
    const { password_hash: hash } = await app.techpass.ctx.db
      .selectFrom('accounts')
      .select('password_hash')
      .where('username', '=', 'bench.user')
      .executeTakeFirstOrThrow();
    /** Bare argon2id verifications per second with `inFlight` running at once, for SECONDS. */
    const rawVerifies = async (inFlight: number): Promise<number> => {
      const end = performance.now() + SECONDS * 1000;
      let done = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (performance.now() < end) {
            if (!(await verify(hash, password))) throw new Error('bench hash does not verify');
            done += 1;
          }
        }),
      );
      return done / SECONDS;
    };
    // The two statements the attempt slot adds to every sign-in (reserve before the hash, reset after a right one).
    const { id: accountId } = await app.techpass.ctx.db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', 'bench.user')
      .executeTakeFirstOrThrow();
    const SLOT_ROUNDS = 2000;
    const slotStart = performance.now();
    for (let k = 0; k < SLOT_ROUNDS; k++) {
      await app.techpass.ctx.db
        .updateTable('accounts')
        .set((eb) => ({ failed_login_count: eb('failed_login_count', '+', 1) }))
        .where('id', '=', accountId)
        .where('locked', '=', 0)
        .where('failed_login_count', '<', 5)
        .returning('failed_login_count')
        .executeTakeFirst();
      await app.techpass.ctx.db
        .updateTable('accounts')
        .set({ failed_login_count: 0 })
        .where('id', '=', accountId)
        .where('locked', '=', 0)
        .execute();
    }
    const slotMicros = ((performance.now() - slotStart) * 1000) / SLOT_ROUNDS;
    const rows: string[] = [];
    for (const connections of [1, 4]) {
      const r = await run(connections);
      const ok = r['2xx'];
      const raw = await rawVerifies(connections);
      rows.push(
        `| ${connections} | ${SECONDS} s | ${(ok / SECONDS).toFixed(1)} | ${raw.toFixed(1)} | ${((ok / SECONDS / raw) * 100).toFixed(0)} % | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${r.errors} |`,
      );
    }
    const out = [
      `Sign-in benchmark: POST /v1/sessions (correct password → 201 with a new session), ${new Date().toISOString()}`,
      `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, SQLite (WAL) in a temp dir.`,
      `argon2id: m=${config.argon2.memoryCost} KiB, t=${config.argon2.timeCost}, p=${config.argon2.parallelism} (OWASP).`,
      '',
      `Attempt slot (reserve + reset statements, ${SLOT_ROUNDS} rounds): ${slotMicros.toFixed(0)} µs per sign-in.`,
      '',
      '| connections | duration | sign-ins/s | raw argon2id verify/s | sign-ins / raw | p50 ms | p99 ms | non-2xx | errors |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
