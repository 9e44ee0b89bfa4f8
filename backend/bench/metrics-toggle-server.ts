/**
 * The backend as main.ts starts it, with the per-request metrics switched by BENCH_HTTP_METRICS (1 = on, 0 = off),
 * so the benchmark measures the instrumentation's cost on two otherwise identical servers in one run. Prints
 * `listening on <url>` like the backend.
 */
import { buildApp } from '../src/app';
import { ManualClock, systemClock } from '../src/clock';
import { loadConfig } from '../src/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp({
    config,
    clock: config.testMode ? new ManualClock() : systemClock,
    httpMetrics: process.env.BENCH_HTTP_METRICS !== '0',
  });
  const address = await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`listening on http://${config.host}:${new URL(address).port}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
