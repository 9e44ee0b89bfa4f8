/**
 * Browser-mode entry: `tsx electron/web/main.ts`. Serves the built renderer (out/renderer) and the host services on
 * 127.0.0.1, and prints the URL to open. Used by `npm run start:web`, `npm start` without Electron, and the e2e tests.
 * Progress and the host log go to TECHPASS_HOST_DATA_DIR (default: a per-user folder).
 */
import { join, resolve } from 'node:path';
import { defaultHostDataDir } from '../host/data-dir';
import { createHost } from '../host/host-services';
import { defaultSeedChecks, type SeedChecks } from '../host/seed-check-adapter';
import { createHostLogger } from '../host/host-log';
import { createNodeNetwork } from '../host/net/node-network';
import { loadOrgConfig } from '../host/org-config';
import { readAppInfo } from './app-info';
import { startWebHost } from './server';

async function main(): Promise<void> {
  const dataDir = defaultHostDataDir();
  const log = createHostLogger({ file: join(dataDir, 'logs', 'host.log') });
  // The web host is a development and test tool: TECHPASS_BACKEND_URL counts, like in an unpackaged Electron app.
  const env = { ...process.env, TECHPASS_BACKEND_URL: process.env.TECHPASS_BACKEND_URL ?? 'http://127.0.0.1:8787' };
  const org = await loadOrgConfig({
    platform: process.platform,
    isPackaged: false,
    env,
    bundledPath: resolve(process.env.TECHPASS_ORG_CONFIG ?? join(__dirname, '../resources/org-config.json')),
    log,
  });
  // Tests point SEED-18 at loopback only (comma-separated URLs; empty = just the backend), so no test traffic leaves
  // this machine. The backend URL is always tested as well.
  const reach = process.env.TECHPASS_SEED_REACHABILITY_URLS;
  const seedChecks: SeedChecks | undefined =
    reach === undefined
      ? undefined
      : {
          ...defaultSeedChecks,
          run: (o) => defaultSeedChecks.run({ ...o, reachabilityUrls: reach.split(',').filter(Boolean) }),
        };
  // Node's network: HTTPS_PROXY/HTTP_PROXY/NO_PROXY or the org's proxy, and Node's roots + the OS roots +
  // NODE_EXTRA_CA_CERTS + the org's extraCaCertificates.
  const network = createNodeNetwork({
    proxy: org.config.proxy,
    extraCaCertificates: org.config.extraCaCertificates,
    log,
  });
  log.info('network', network.describe?.() ?? {});
  const app = readAppInfo(resolve(__dirname, '..', '..'));
  const host = createHost({
    backendUrl: org.config.backendUrl,
    orgConfig: org.config,
    appName: app.name,
    appVersion: app.version,
    platform: process.platform,
    host: 'web',
    dataDir,
    log,
    seedChecks,
    network,
  });
  const web = await startWebHost({
    handlers: host.handlers,
    rendererDir: resolve(process.env.TECHPASS_RENDERER_DIR ?? 'out/renderer'),
    port: Number(process.env.WEB_PORT ?? 0),
    token: process.env.WEB_BRIDGE_TOKEN,
    openDeepLink: (url) => host.handleOsDeepLink(url),
    onJourneyChanged: (listener) => host.onJourneyChanged(listener),
    log,
  });
  process.stdout.write(`web host on ${web.url}\n`);
  const stop = async (): Promise<void> => {
    await web.close();
    // Log writes are asynchronous: the last lines reach the file before the process goes.
    await log.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`web host failed to start: ${String(err)}\n`);
  process.exit(1);
});
