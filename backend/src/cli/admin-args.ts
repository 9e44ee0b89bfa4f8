/**
 * The admin CLI's options and help: what `--help` and a bad option need, and nothing else. The built tool's entry
 * (admin-cli.ts) answers those from this module alone; the commands (admin.ts: zod schemas, the API client, Kysely)
 * are loaded only when one runs. Keep it free of imports that carry code (node: built-ins and types only): everything
 * it imports is loaded on every start.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8787';

export const EXIT_OK = 0;
export const EXIT_API = 1;
export const EXIT_USAGE = 2;

/**
 * Output is for a terminal: a control character from the backend (a name someone typed with an escape sequence)
 * could move the cursor, recolour or rewrite the screen. Each one is shown as a visible `\x1B`-style escape.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export const USAGE = `TechPass admin CLI

Usage: npm run admin -- <command> [options]

Invitations:
  invite --email <addr> --business-operation onshore|offshore --sponsoring-agency <name>
         --password-delivery sms|self_set --inviter-email <addr@agency.gov.sg>
         [--odc <name>|Others --offshore-company-name <name>] [--seed] [--first-name <n>] [--last-name <n>]
  invite-bulk --csv <file.csv> [--dry-run] [--inviter-email <addr>]
         CSV header: email,firstName,lastName,businessOperation,odc,offshoreCompanyName,sponsoringAgency,
                     seedRequested,passwordDelivery,inviterEmail   (seedRequested: yes/no/true/false)
  invitations list [--format csv]   (CSV on stdout; values that a spreadsheet would run as a formula are neutralised)
  invitation resend <id>
  invitation revoke <id>

Accounts:
  account show <username>
  account enable|disable|terminate|unlock|reset-mfa|resend-initial-password|resend-seed-email <username>
  account send-reset-link <username> --ticket <REF>   (SMS never arrives: one-time reset link by email, §5.2)
  account verify-phone <username> --ticket <REF>      (support verified the phone by other means, §5.2)

Deliveries (every message about an invitation or an account: queued, sending, retrying, sent, failed, rejected):
  deliveries --invitation <id>
  deliveries --account <username>

Audit trail (newest first; filters combine):
  audit list [--account <username|email>] [--actor <actor>] [--type <event>] [--since <iso>] [--until <iso>]
             [--limit <n>] [--before <seq>] [--json]
  audit export [same filters]            (every matching record as JSON lines, oldest page last)
  audit verify                           (recomputes the hash chain; names the first tampered record; exit 1)

Reports:
  report funnel [--since <iso|7d|30d>] [--until <iso>] [--within-hours <n>] [--json | --format table|json|csv|html]

Admin API keys (run on the backend host: they use DATABASE_URL / TECHPASS_DATA_DIR, not the API):
  keys create --name <name> --role inviter|support|it --principal <email>   (prints the new key once)
  keys list
  keys revoke <name>

Options:
  --url <url>         backend URL (default $TECHPASS_BACKEND_URL or ${DEFAULT_BACKEND_URL})
  --key-file <path>   file holding the admin API key (default: the ADMIN_API_KEY environment variable)
  --json              print machine-readable JSON
  --timeout <sec>     HTTP timeout (default 15)
  -h, --help          show this help

Exit codes: 0 ok, 1 API error or backend unreachable, 2 usage or input error.
`;

const OPTIONS = {
  url: { type: 'string' },
  'key-file': { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  // invite
  email: { type: 'string' },
  'first-name': { type: 'string' },
  'last-name': { type: 'string' },
  'business-operation': { type: 'string' },
  odc: { type: 'string' },
  'offshore-company-name': { type: 'string' },
  'sponsoring-agency': { type: 'string' },
  seed: { type: 'boolean' },
  'password-delivery': { type: 'string' },
  'inviter-email': { type: 'string' },
  // invite-bulk
  csv: { type: 'string' },
  'dry-run': { type: 'boolean' },
  // support actions
  ticket: { type: 'string' },
  // audit and reports
  account: { type: 'string' },
  actor: { type: 'string' },
  type: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  before: { type: 'string' },
  'within-hours': { type: 'string' },
  // deliveries (`account` above is shared: a username)
  invitation: { type: 'string' },
  // admin keys
  name: { type: 'string' },
  role: { type: 'string' },
  principal: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>
>['values'];

/** What a command runs with: the options and the command words, read (not yet checked for meaning). */
export interface AdminArgs {
  values: Values;
  positionals: string[];
}

/**
 * Reads the arguments: the command to run, or the exit code once `--help`, the usage (no command) or an option error
 * has been printed (0 for help, 2 otherwise; EXIT_USAGE). What the options mean is checked by the command (admin.ts).
 */
export function adminArgs(
  argv: string[],
  io: { stdout(text: string): void; stderr(text: string): void },
): AdminArgs | { exit: number } {
  let parsed: AdminArgs;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = (err as Error).message;
    const hint = /--key\b|--api-key|--token/.test(msg)
      ? ' The API key is never passed on the command line: set ADMIN_API_KEY or use --key-file <path>.'
      : ' Run with --help to see the commands and options.';
    io.stderr(terminalSafe(`${msg}.${hint}\n`));
    return { exit: EXIT_USAGE };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === 'help') {
    io.stdout(USAGE);
    return { exit: positionals.length === 0 && !values.help ? EXIT_USAGE : EXIT_OK };
  }
  return parsed;
}
