import { buildApp } from './app';
import { systemClock, ManualClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { seedDemoInvitation } from './demo';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.storeOnlyChannels.length > 0) {
    // Said in plain text before anything else, so an operator cannot miss that these messages never leave.
    process.stderr.write(
      `warning: DELIVERY=store-only: ${config.storeOnlyChannels.join(' and ')} messages are stored in the outbox and NOT sent. Configure ${config.storeOnlyChannels.map((c) => (c === 'email' ? 'SMTP_HOST' : 'SMS_GATEWAY_URL')).join(' and ')} to deliver them.\n`,
    );
  }
  const clock = config.testMode ? new ManualClock() : systemClock;
  const app = await buildApp({ config, clock });
  const address = await app.listen({ port: config.port, host: config.host });
  const url = new URL(address);
  const base = `http://${config.host}:${url.port}`;
  const { ctx } = app.techpass;
  if (!config.publicUrl) ctx.publicUrl = base;
  // The one line on stdout that scripts and tests wait for.
  process.stdout.write(`listening on ${base}\n`);
  if (config.demo) {
    // Demo mode: a fresh invitation on every start (see demo.ts); its messages appear in the demo inbox.
    const inv = await seedDemoInvitation(ctx);
    process.stdout.write(`demo invitation: ${ctx.publicUrl}/register/${inv.token}\n`);
  }
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
