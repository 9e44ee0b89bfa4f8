/**
 * Bulk-invitation throughput through the admin CLI (`invite-bulk --csv`) against a real listening server (SQLite in a
 * temp dir, test mode so nothing leaves the machine).
 *
 *   BULK_ROWS=10000 npx tsx backend/bench/bulk-invite.ts     # prints rows, seconds, rows/s
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { ManualClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { main as cli } from '../src/cli/admin';

const ROWS = Number(process.env.BULK_ROWS ?? 10_000);
const ADMIN = 'bench-admin-key-0123456789abcdef0123';

async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'techpass-bulk-bench-'));
  const config = loadConfig({
    TECHPASS_TEST_MODE: '1',
    TECHPASS_DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_API_KEY: ADMIN,
    LOG_LEVEL: 'silent',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const app = await buildApp({ config, clock: new ManualClock() });
  const base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  try {
    const header =
      'email,firstName,lastName,businessOperation,odc,offshoreCompanyName,sponsoringAgency,seedRequested,passwordDelivery,inviterEmail';
    const lines = Array.from(
      { length: ROWS },
      (_, i) => `bench.${i}@vendor.example.com,Bench,User,onshore,,,GovTech,no,sms,pm.lim@tech.gov.sg`,
    );
    const file = join(dataDir, 'bulk.csv');
    writeFileSync(file, `${header}\n${lines.join('\n')}\n`);
    let stderr = '';
    const t0 = performance.now();
    const code = await cli(['invite-bulk', '--csv', file, '--timeout', '600'], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      env: { TECHPASS_BACKEND_URL: base, ADMIN_API_KEY: ADMIN },
    });
    const seconds = (performance.now() - t0) / 1000;
    const created = await app.techpass.ctx.db
      .selectFrom('invitations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    process.stdout.write(
      `rows ${ROWS}, exit ${code}, invitations ${Number(created.n)}, ${seconds.toFixed(2)} s, ${(Number(created.n) / seconds).toFixed(0)} rows/s${stderr ? `\n${stderr.slice(0, 400)}` : ''}\n`,
    );
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void run();
