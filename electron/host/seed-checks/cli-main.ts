import { createApiClient } from '../../../shared/api/client';
import type { SeedReport } from '../../../shared/domain/seed-report';
import { createHttpHead } from '../net/http-head';
import type { HostNetwork } from '../net/types';
import { renderReport, type ReportFormat } from './render';
import { runSeedChecks, type RunSeedChecksOptions } from './run';

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

export const CLI_USAGE = `Usage: seed-check [--json | --format text|json|html] [--backend <url>]

Checks this device against the SEED onboarding prerequisites (read-only).
  --json            print the full report as JSON
  --format <f>      text (default), json or html
  --backend <url>   provisioning backend: fetch the current OS baseline and test reachability
  --reachability <url,url>
                    the hosts SEED-18 tests instead of the SEED onboarding hosts (e.g. an internal proxy check)
Exit code: 0 READY, 1 BLOCKED, 2 the check itself failed.
`;

const BASELINE_FETCH_TIMEOUT_MS = 3_000;

interface ParsedArgs {
  format: ReportFormat;
  backend?: string;
  reachability?: string[];
  help: boolean;
}

function parseArgs(argv: readonly string[]): ParsedArgs | string {
  const out: ParsedArgs = { format: 'text', help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') out.format = 'json';
    else if (a === '--seed-check' || a === '--') continue;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice('--format='.length) : argv[++i];
      if (v !== 'text' && v !== 'json' && v !== 'html')
        return `--format must be text, json or html (got ${v ?? 'nothing'})`;
      out.format = v;
    } else if (a === '--backend' || a.startsWith('--backend=')) {
      const v = a.includes('=') ? a.slice('--backend='.length) : argv[++i];
      if (!v || !/^https?:\/\//.test(v)) return `--backend needs an http(s) URL (got ${v ?? 'nothing'})`;
      out.backend = v.replace(/\/+$/, '');
    } else if (a === '--reachability' || a.startsWith('--reachability=')) {
      const v = a.includes('=') ? a.slice('--reachability='.length) : argv[++i];
      const urls = (v ?? '').split(',').filter(Boolean);
      if (!urls.length || !urls.every((u) => /^https?:\/\/[^\s,]+$/.test(u)))
        return `--reachability needs http(s) URLs separated by commas (got ${v ?? 'nothing'})`;
      out.reachability = urls;
    } else return `Unknown option ${a}`;
  }
  return out;
}

/** The CLI: shared by `npm run seed-check` and the packaged app's `--seed-check`. Returns the exit code. */
export async function runSeedCheckCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`${args}\n\n${CLI_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(CLI_USAGE);
    return 0;
  }
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
