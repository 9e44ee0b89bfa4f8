/**
 * Browser-mode entry: `tsx electron/web/main.ts`. Serves the built renderer (out/renderer) and the host services on
 * 127.0.0.1, and prints the URL to open. Used by `npm run start:web`, `npm start` without Electron, and the e2e tests.
 */
import { resolve } from 'node:path';
import { createHostServices } from '../host/host-services';
import { startWebHost } from './server';
import pkg from '../../package.json';

async function main(): Promise<void> {
  const backendUrl = process.env.TECHPASS_BACKEND_URL ?? 'http://127.0.0.1:8787';
  const handlers = createHostServices({
    backendUrl,
    appName: pkg.productName,
    appVersion: pkg.version,
    platform: process.platform,
    host: 'web',
  });
  const host = await startWebHost({
    handlers,
    rendererDir: resolve(process.env.TECHPASS_RENDERER_DIR ?? 'out/renderer'),
    port: Number(process.env.WEB_PORT ?? 0),
    token: process.env.WEB_BRIDGE_TOKEN,
  });
  process.stdout.write(`web host on ${host.url}\n`);
  const stop = async (): Promise<void> => {
    await host.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`web host failed to start: ${String(err)}\n`);
  process.exit(1);
});
