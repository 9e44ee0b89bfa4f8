import { buildApp } from './app';
import { systemClock, ManualClock } from './clock';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  const clock = config.testMode ? new ManualClock() : systemClock;
  const app = await buildApp({ config, clock });
  const address = await app.listen({ port: config.port, host: config.host });
  const url = new URL(address);
  // The one line on stdout that scripts and tests wait for.
  process.stdout.write(`listening on http://${config.host}:${url.port}\n`);
  const stop = async (): Promise<void> => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(1);
});
