import { createApiClient } from '../../../shared/api/client';
import type { SeedReport } from '../../../shared/domain/seed-report';
import { createHttpHead } from '../net/http-head';
import type { HostNetwork } from '../net/types';
import { renderReport } from './render';
import { runSeedChecks, type RunSeedChecksOptions } from './run';
import { seedCheckArgs, type SeedCheckArgs } from './cli-args';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Injectable for tests; defaults to runSeedChecks. */
  run?: (options: RunSeedChecksOptions) => Promise<SeedReport>;
  /** Extra options (tests inject runners here). */
  options?: RunSeedChecksOptions;
  /** The host's network seam (Electron: net.fetch); defaults to Node's (proxy from the environment, OS + extra CAs). */
  network?: HostNetwork;
}

const BASELINE_FETCH_TIMEOUT_MS = 3_000;

/** The CLI: shared by `npm run seed-check` and the packaged app's `--seed-check`. Returns the exit code. */
export async function runSeedCheckCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = seedCheckArgs(argv, io);
  return 'exit' in args ? args.exit : runSeedCheck(args, io);
}

/** A run with arguments already read (by seedCheckArgs: the built tool's entry reads them before loading this). */
export async function runSeedCheck(args: SeedCheckArgs, io: CliIo): Promise<number> {
  const options: RunSeedChecksOptions = { ...io.options };
  if (args.reachability) options.reachabilityUrls = args.reachability;
  let network = io.network;
  if (args.backend && !network) {
    // The network stack (undici, half the tool's code) is loaded only when a check goes to the network: `--help` and
    // the device-only report start without it.
    const { createNodeNetwork } = await import('../net/node-network');
    network = createNodeNetwork();
  }
  const net = (): HostNetwork => {
    if (!network) throw new Error('no network for the backend checks');
    return network;
  };
  if (args.backend) {
    const base = args.backend;
    options.backendUrl ??= base;
    options.httpHead ??= createHttpHead(net(), { jsonUrls: [base] });
    options.fetchBaseline ??= async () => {
      const api = createApiClient<Response>({
        baseUrl: base,
        fetch: (url, init) => net().fetch(url, init as RequestInit),
      });
      const res = await api.send('getOsBaseline', { signal: AbortSignal.timeout(BASELINE_FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as unknown;
    };
  }
  if (io.network) options.httpHead ??= createHttpHead(io.network);
  let report: SeedReport;
  try {
    report = await (io.run ?? runSeedChecks)(options);
  } catch (err) {
    io.stderr(
      `The SEED device check could not run: ${(err as Error).message || String(err)}\nRun it again; if it keeps failing, send this message to the TechPass-SEED service desk (https://go.gov.sg/seed-techpass-support).\n`,
    );
    return 2;
  }
  io.stdout(renderReport(report, args.format));
  return report.verdict === 'READY' ? 0 : 1;
}
