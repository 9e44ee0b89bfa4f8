/**
 * The seed-check CLI's arguments and help: what `--help` and a bad argument need, and nothing else. The built tool's
 * entry (cli.ts) answers those from this module alone; the checks themselves (cli-main.ts) are loaded only for a run.
 * Keep it free of imports that carry code (types only): everything it imports is loaded on every start.
 */
import type { ReportFormat } from './render';

export const CLI_USAGE = `Usage: seed-check [--json | --format text|json|html] [--backend <url>]

Checks this device against the SEED onboarding prerequisites (read-only).
  --json            print the full report as JSON
  --format <f>      text (default), json or html
  --backend <url>   provisioning backend: fetch the current OS baseline and test reachability
  --reachability <url,url>
                    the hosts SEED-18 tests instead of the SEED onboarding hosts (e.g. an internal proxy check)
Exit code: 0 READY, 1 BLOCKED, 2 the check itself failed.
`;

export interface SeedCheckArgs {
  format: ReportFormat;
  backend?: string;
  reachability?: string[];
}

function parseArgs(argv: readonly string[]): (SeedCheckArgs & { help: boolean }) | string {
  const out: SeedCheckArgs & { help: boolean } = { format: 'text', help: false };
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

/**
 * Reads the arguments: the options of a run, or the exit code once `--help` or an argument error has been printed
 * (2 for an error, with the usage; 0 for `--help`).
 */
export function seedCheckArgs(
  argv: readonly string[],
  io: { stdout(text: string): void; stderr(text: string): void },
): SeedCheckArgs | { exit: number } {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`${args}\n\n${CLI_USAGE}`);
    return { exit: 2 };
  }
  const { help, ...run } = args;
  if (help) {
    io.stdout(CLI_USAGE);
    return { exit: 0 };
  }
  return run;
}
