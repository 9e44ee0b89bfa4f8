/**
 * Admin CLI for a PM/RO or IT: talks to a running backend's admin HTTP API.
 *
 *   npm run admin -- <command> [options]          (= tsx backend/src/cli/admin-cli.ts)
 *
 * The API key comes from $ADMIN_API_KEY or --key-file <path>; there is deliberately no option to pass the key on the
 * command line (it would end up in shell history and `ps`). The backend URL comes from --url, $TECHPASS_BACKEND_URL,
 * or http://127.0.0.1:8787.
 *
 * Exit codes: 0 success, 1 the API refused or could not be reached, 2 usage or input error (nothing was sent).
 *
 * `keys create|list|revoke` manage the named admin API keys. They run on the backend host against its database
 * (DATABASE_URL, or the SQLite file in TECHPASS_DATA_DIR), not over HTTP: no key can mint another key.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  AdminAccountAction,
  AdminSupportAction,
  BulkInvitationResult,
  CreateInvitationBody,
  InvitationSummary,
} from '../../../shared/api/provisioning';
import { createApiClient, parseAnswer, UnexpectedAnswerError, type CallArgs } from '../../../shared/api/client';
import type { OperationId, SuccessBody } from '../../../shared/api/routes';
import { parseApiErrorAnswer } from '../../../shared/api/errors';
import type { FieldProblem } from '../../../shared/domain/field-problems';
import { englishFieldProblem } from '../field-problem-english';
import { issueFields } from '../http/errors';
import { invitationProblems } from '../../../shared/domain/invitation-rules';
import { migrate, openDatabase, type Database } from '../db/connect';
import { NamedStatementsSwitch } from '../db/pg-named-statements';
import { formatSgt } from '../delivery/templates';
import { ADMIN_ROLES, AdminKeyError, createAdminKey, listAdminKeys, revokeAdminKey } from '../features/admin/keys';
import { formatCsv, parseCsv, CsvError } from './csv';
import { funnelAsCsv, funnelAsHtml, funnelAsTable } from '../observability/funnel-format';
import {
  adminArgs,
  DEFAULT_BACKEND_URL,
  EXIT_API,
  EXIT_OK,
  EXIT_USAGE,
  terminalSafe,
  type AdminArgs,
  type Values,
} from './admin-args';

export { DEFAULT_BACKEND_URL, EXIT_API, EXIT_OK, EXIT_USAGE, terminalSafe, USAGE } from './admin-args';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  fetchImpl?: typeof fetch;
  readTextFile?: (path: string) => Promise<string>;
  /** The backend's database, for `keys …` (default: from DATABASE_URL / TECHPASS_DATA_DIR in `env`). */
  openDatabase?: () => Database;
  now?: () => Date;
}

/** Rows per bulk request: the API accepts at most 500. */
export const BULK_CHUNK = 500;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_IN_FIELD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// The action names are the API's own (one list in shared/api/provisioning).
const ACCOUNT_ACTIONS = AdminAccountAction.options;
const SUPPORT_ACTIONS = AdminSupportAction.options;

class UsageError extends Error {}

/** Thrown by `api()` after it has printed the error; carries the exit code. */
class ApiFailure extends Error {
  constructor(readonly exitCode: number) {
    super('api failure');
  }
}

interface Ctx {
  io: CliIo;
  values: Values;
  json: boolean;
  url: string;
  key: string;
  timeoutMs: number;
}

/** Runs the CLI; returns the exit code. Never calls process.exit, so tests can drive it. */
export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  const parsed = adminArgs(argv, rawIo);
  return 'exit' in parsed ? parsed.exit : runAdminCommand(parsed, rawIo);
}

/** A command with arguments already read (by adminArgs: the built tool's entry reads them before loading this). */
export async function runAdminCommand({ values, positionals }: AdminArgs, rawIo: CliIo): Promise<number> {
  const io: CliIo = {
    ...rawIo,
    stdout: (t) => rawIo.stdout(terminalSafe(t)),
    stderr: (t) => rawIo.stderr(terminalSafe(t)),
  };
  const json = values.json === true;
  try {
    const ctx = await context(io, values, json);
    return await dispatch(ctx, positionals);
  } catch (err) {
    if (err instanceof ApiFailure) return err.exitCode;
    if (err instanceof UsageError) {
      if (json) io.stderr(`${JSON.stringify({ error: { code: 'USAGE', message: err.message } })}\n`);
      else io.stderr(`${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

async function context(io: CliIo, values: Values, json: boolean): Promise<Ctx> {
  const rawUrl = values.url ?? io.env.TECHPASS_BACKEND_URL ?? DEFAULT_BACKEND_URL;
  let url: string;
  try {
    const u = new URL(rawUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    url = u.toString().replace(/\/+$/, '');
  } catch {
    throw new UsageError(`"${rawUrl}" is not a valid backend URL. Use for example --url http://127.0.0.1:8787.`);
  }
  let key: string;
  if (values['key-file']) {
    const read = io.readTextFile ?? ((p: string) => readFile(p, 'utf8'));
    try {
      key = (await read(values['key-file'])).trim();
    } catch (err) {
      throw new UsageError(
        `Cannot read the key file ${values['key-file']}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check the path and its permissions.`,
      );
    }
    if (!key) throw new UsageError(`The key file ${values['key-file']} is empty. Put the admin API key in it.`);
  } else {
    key = (io.env.ADMIN_API_KEY ?? '').trim();
  }
  let timeoutMs = 15_000;
  if (values.timeout !== undefined) {
    const n = Number(values.timeout);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError('--timeout must be a positive number of seconds.');
    timeoutMs = n * 1000;
  }
  return { io, values, json, url, key, timeoutMs };
}

function requireKey(ctx: Ctx): void {
  if (!ctx.key)
    throw new UsageError('No admin API key. Set the ADMIN_API_KEY environment variable or pass --key-file <path>.');
}

async function dispatch(ctx: Ctx, pos: string[]): Promise<number> {
  const [cmd, sub, arg, ...rest] = pos;
  const noExtra = (extra: (string | undefined)[]) => {
    const left = extra.filter((x) => x !== undefined);
    if (left.length) throw new UsageError(`Unexpected argument: ${left.join(' ')}. Run with --help.`);
  };
  switch (cmd) {
    case 'invite':
      noExtra([sub, arg, ...rest]);
      return invite(ctx);
    case 'invite-bulk':
      noExtra([sub, arg, ...rest]);
      return inviteBulk(ctx);
    case 'keys':
      return keysCommand(ctx, sub, arg, rest);
    case 'audit':
      if (sub !== 'list' && sub !== 'export' && sub !== 'verify')
        throw new UsageError('Use: audit list|export|verify (see --help for the filters).');
      noExtra([arg, ...rest]);
      return sub === 'verify' ? auditVerify(ctx) : auditList(ctx, sub === 'export');
    case 'report':
      if (sub !== 'funnel')
        throw new UsageError('Use: report funnel [--since <iso|30d>] [--format table|json|csv|html]');
      noExtra([arg, ...rest]);
      return funnelReportCommand(ctx);
    case 'invitations':
      if (sub !== 'list') throw new UsageError('Use: invitations list [--format csv]');
      noExtra([arg, ...rest]);
      return listInvitations(ctx);
    case 'invitation': {
      if (sub !== 'resend' && sub !== 'revoke')
        throw new UsageError('Use: invitation resend <id>  or  invitation revoke <id>');
      if (!arg) throw new UsageError(`Give the invitation id: invitation ${sub} <id> (see "invitations list").`);
      noExtra(rest);
      return invitationAction(ctx, sub, arg);
    }
    case 'deliveries':
      noExtra([sub, arg, ...rest]);
      return listDeliveries(ctx);
    case 'account': {
      if (!sub)
        throw new UsageError(
          'Use: account show|enable|disable|terminate|unlock|reset-mfa|resend-initial-password|resend-seed-email|send-reset-link|verify-phone <username>',
        );
      if (!arg) throw new UsageError(`Give the username: account ${sub} <username>.`);
      noExtra(rest);
      if (sub === 'show') return showAccount(ctx, arg);
      if ((ACCOUNT_ACTIONS as readonly string[]).includes(sub))
        return accountAction(ctx, sub as AdminAccountAction, arg);
      if ((SUPPORT_ACTIONS as readonly string[]).includes(sub))
        return supportAction(ctx, sub as AdminSupportAction, arg);
      throw new UsageError(`Unknown account action "${sub}". Run with --help to see the actions.`);
    }
    default:
      throw new UsageError(`Unknown command "${cmd}". Run with --help to see the commands.`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

interface ApiAnswer<K extends OperationId> {
  status: number;
  body: SuccessBody<K>;
  /** The query of the next page of a paged list (from the Link header, rel="next"). */
  next?: URLSearchParams | undefined;
}

/** One call of the admin API through the API's client (shared/api/client.ts), with the CLI's key and timeout. */
async function api<K extends OperationId>(ctx: Ctx, id: K, ...args: CallArgs<K>): Promise<ApiAnswer<K>> {
  requireKey(ctx);
  const fetchImpl = ctx.io.fetchImpl ?? fetch;
  const client = createApiClient<Response>({
    baseUrl: ctx.url,
    fetch: (url, init) => fetchImpl(url, init as RequestInit),
  });
  const input = { ...(args[0] ?? {}), token: ctx.key, signal: AbortSignal.timeout(ctx.timeoutMs) };
  let res: Response;
  try {
    res = await client.send<K>(id, ...([input] as CallArgs<K>));
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${ctx.timeoutMs / 1000} s`
        : (e.cause?.code ?? e.cause?.message ?? e.message ?? 'network error');
    fail(
      ctx,
      'BACKEND_UNREACHABLE',
      `Could not reach the backend at ${ctx.url} (${why}). Check --url or TECHPASS_BACKEND_URL and that the backend is running.`,
    );
  }
  const text = await res.text();
  if (!res.ok) {
    const errBody = parseApiErrorAnswer(text);
    if (errBody) {
      const { code, message, fields } = errBody.error;
      const hint = res.status === 401 ? ' Check ADMIN_API_KEY or the --key-file contents.' : '';
      fail(ctx, code, `${message}${hint}`, fields, res.status);
    }
    fail(
      ctx,
      `HTTP_${res.status}`,
      `The backend answered HTTP ${res.status} without an error body. Check --url points at the TechPass backend.`,
      undefined,
      res.status,
    );
  }
  let body: SuccessBody<K>;
  try {
    body = parseAnswer(id, res.status, res.headers, text).body;
  } catch (err) {
    if (!(err instanceof UnexpectedAnswerError)) throw err;
    // A mismatch is reported as an API error (wrong server or version).
    fail(
      ctx,
      'UNEXPECTED_RESPONSE',
      `The backend's answer is not in the expected form (${err.message}). Check that --url points at a TechPass backend of the same version.`,
    );
  }
  const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers?.get?.('link') ?? '')?.[1];
  return { status: res.status, body, ...(next ? { next: new URL(next, 'http://next.invalid').searchParams } : {}) };
}

function fail(
  ctx: Ctx,
  code: string,
  message: string,
  fields?: Readonly<Record<string, FieldProblem>>,
  status?: number,
): never {
  if (ctx.json) {
    ctx.io.stderr(
      `${JSON.stringify({ error: { code, message, ...(fields ? { fields } : {}) }, ...(status ? { status } : {}) })}\n`,
    );
  } else {
    ctx.io.stderr(`Error ${code}${status ? ` (HTTP ${status})` : ''}: ${message}\n`);
    // The CLI words each field's code itself, so its English does not depend on the server's version.
    for (const [k, v] of Object.entries(fields ?? {})) ctx.io.stderr(`  ${k}: ${englishFieldProblem(v)}\n`);
  }
  throw new ApiFailure(EXIT_API);
}

function out(ctx: Ctx, human: string, machine: unknown): void {
  ctx.io.stdout(ctx.json ? `${JSON.stringify(machine, null, 2)}\n` : `${human}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Invitations

/** zod issues → "field: message" lines. */
function issueLines(error: z.ZodError): string[] {
  return Object.entries(issueFields(error.issues, '(row)')).map(
    ([field, problem]) => `${field}: ${englishFieldProblem(problem)}`,
  );
}

function invitationFromOptions(v: Values): Record<string, unknown> {
  const missing = (
    ['email', 'business-operation', 'sponsoring-agency', 'password-delivery', 'inviter-email'] as const
  ).filter((k) => !v[k]);
  if (missing.length)
    throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}. Run with --help for the invite options.`);
  const offshore = v['business-operation'] === 'offshore';
  return {
    email: v.email,
    ...(v['first-name'] ? { firstName: v['first-name'] } : {}),
    ...(v['last-name'] ? { lastName: v['last-name'] } : {}),
    businessOperation: v['business-operation'],
    ...(v.odc ? { odc: v.odc } : {}),
    ...(v['offshore-company-name'] ? { offshoreCompanyName: v['offshore-company-name'] } : {}),
    sponsoringAgency: v['sponsoring-agency'],
    // SEED is mandatory for offshore users (domain.md §1.4).
    seedRequested: offshore ? true : v.seed === true,
    passwordDelivery: v['password-delivery'],
    inviterEmail: v['inviter-email'],
  };
}

function validateInvitation(
  raw: Record<string, unknown>,
): { ok: true; body: z.output<typeof CreateInvitationBody> } | { ok: false; problems: string[] } {
  const r = CreateInvitationBody.safeParse(raw);
  if (!r.success) return { ok: false, problems: issueLines(r.error) };
  // The API's own cross-field rules (shared/domain/invitation-rules): the CLI refuses, before sending, what the API
  // would refuse.
  const problems = invitationProblems(r.data);
  return problems
    ? {
        ok: false,
        problems: Object.entries(problems).map(([field, problem]) => `${field}: ${englishFieldProblem(problem)}`),
      }
    : { ok: true, body: r.data };
}

async function invite(ctx: Ctx): Promise<number> {
  const raw = invitationFromOptions(ctx.values);
  const v = validateInvitation(raw);
  if (!v.ok) throw new UsageError(`The invitation is not valid; nothing was sent:\n  ${v.problems.join('\n  ')}`);
  const { body: created } = await api(ctx, 'createInvitation', { body: v.body });
  const seedNote =
    v.body.businessOperation === 'offshore' && ctx.values.seed !== true
      ? ' SEED was requested because it is mandatory for offshore users.'
      : '';
  out(
    ctx,
    `Invitation sent to ${v.body.email} (id ${created.id}). The registration link expires ${formatSgt(created.expiresAt)}.${seedNote}`,
    created,
  );
  return EXIT_OK;
}

/** CSV header → API field. Headers are matched case-insensitively, ignoring spaces, dashes and underscores. */
const CSV_COLUMNS: Record<string, keyof z.input<typeof CreateInvitationBody>> = {
  email: 'email',
  firstname: 'firstName',
  lastname: 'lastName',
  businessoperation: 'businessOperation',
  odc: 'odc',
  offshorecompanyname: 'offshoreCompanyName',
  sponsoringagency: 'sponsoringAgency',
  seedrequested: 'seedRequested',
  seed: 'seedRequested',
  passworddelivery: 'passwordDelivery',
  inviteremail: 'inviterEmail',
};

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

export interface CsvRowError {
  row: number;
  problems: string[];
}

/** Reads and validates the bulk CSV. Row numbers are the file's line numbers (the header is row 1). */
export function invitationsFromCsv(
  text: string,
  defaults: { inviterEmail?: string | undefined } = {},
): { rows: { row: number; body: z.output<typeof CreateInvitationBody> }[]; errors: CsvRowError[] } {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return { rows: [], errors: [{ row: err.line, problems: [err.message] }] };
    throw err;
  }
  const [header, ...data] = records;
  if (!header)
    return {
      rows: [],
      errors: [{ row: 1, problems: ['The file is empty. Add a header row and one row per invitee.'] }],
    };
  const columns = header.fields.map(
    (h) =>
      CSV_COLUMNS[
        h
          .trim()
          .toLowerCase()
          .replace(/[\s_-]/g, '')
      ],
  );
  const errors: CsvRowError[] = [];
  const unknown = header.fields.filter((_, i) => columns[i] === undefined);
  if (unknown.length) {
    errors.push({
      row: header.line,
      problems: [
        `Unknown column(s): ${unknown.join(', ')}. Use: ${Object.values(CSV_COLUMNS)
          .filter((v, i, a) => a.indexOf(v) === i)
          .join(', ')}.`,
      ],
    });
  }
  const needed = [
    'email',
    'businessOperation',
    'sponsoringAgency',
    'passwordDelivery',
    ...(defaults.inviterEmail ? [] : ['inviterEmail']),
  ];
  const absent = needed.filter((n) => !columns.includes(n as never));
  if (absent.length) errors.push({ row: header.line, problems: [`Missing column(s): ${absent.join(', ')}.`] });
  if (errors.length) return { rows: [], errors };
  if (data.length === 0)
    return {
      rows: [],
      errors: [{ row: header.line, problems: ['The file has a header but no invitees. Add one row per invitee.'] }],
    };

  const rows: { row: number; body: z.output<typeof CreateInvitationBody> }[] = [];
  for (const rec of data) {
    const raw: Record<string, unknown> = {};
    const problems: string[] = [];
    if (rec.fields.length !== header.fields.length) {
      problems.push(
        `Has ${rec.fields.length} fields but the header has ${header.fields.length}. Check for a missing or extra comma, or quote fields that contain commas.`,
      );
    }
    rec.fields.forEach((value, i) => {
      const col = columns[i];
      const v = value.trim();
      if (!col) return;
      if (CONTROL_IN_FIELD.test(v)) {
        problems.push(`${col}: Contains control characters (such as terminal escape codes). Use plain text.`);
        return;
      }
      if (col === 'seedRequested') {
        const lower = v.toLowerCase();
        if (YES.has(lower)) raw.seedRequested = true;
        else if (NO.has(lower)) raw.seedRequested = false;
        else problems.push(`seedRequested: Write yes or no (got "${v}").`);
      } else if (v !== '') {
        raw[col] = col === 'businessOperation' || col === 'passwordDelivery' ? v.toLowerCase() : v;
      }
    });
    if (raw.seedRequested === undefined) raw.seedRequested = false;
    if (raw.businessOperation === 'offshore') raw.seedRequested = true;
    if (raw.inviterEmail === undefined && defaults.inviterEmail) raw.inviterEmail = defaults.inviterEmail;
    if (problems.length === 0) {
      const v = validateInvitation(raw);
      if (v.ok) rows.push({ row: rec.line, body: v.body });
      else problems.push(...v.problems);
    }
    if (problems.length) errors.push({ row: rec.line, problems });
  }
  // The same email twice would supersede the first invitation; almost certainly a mistake in the file.
  const seen = new Map<string, number>();
  for (const r of rows) {
    const first = seen.get(r.body.email);
    if (first !== undefined)
      errors.push({
        row: r.row,
        problems: [`email: ${r.body.email} already appears on row ${first}. Invite each person once.`],
      });
    else seen.set(r.body.email, r.row);
  }
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors };
}

async function inviteBulk(ctx: Ctx): Promise<number> {
  const file = ctx.values.csv;
  if (!file)
    throw new UsageError(
      'Give the CSV file: invite-bulk --csv <file.csv> [--dry-run]. See backend/src/cli/examples/invitations.csv.',
    );
  let text: string;
  try {
    text = await (ctx.io.readTextFile ?? ((p: string) => readFile(p, 'utf8')))(file);
  } catch (err) {
    throw new UsageError(
      `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check the path.`,
    );
  }
  const { rows, errors } = invitationsFromCsv(text, { inviterEmail: ctx.values['inviter-email'] });
  if (errors.length) {
    if (ctx.json)
      ctx.io.stderr(
        `${JSON.stringify({ error: { code: 'CSV_INVALID', message: `${errors.length} row(s) are not valid; nothing was sent.`, rows: errors } })}\n`,
      );
    else {
      ctx.io.stderr(`${file}: ${errors.length} row(s) are not valid; nothing was sent. Fix them and run again:\n`);
      for (const e of errors) for (const p of e.problems) ctx.io.stderr(`  row ${e.row}: ${p}\n`);
    }
    return EXIT_USAGE;
  }
  const dryRun = ctx.values['dry-run'] === true;
  // The API takes 500 rows per request; each request is atomic. Each chunk carries an Idempotency-Key derived from
  // its rows, so running the same file again after an interruption replays the chunks already done (nothing is sent
  // twice) and sends only the rest.
  const result: z.output<typeof BulkInvitationResult> = { dryRun, results: [] };
  for (let start = 0; start < rows.length; start += BULK_CHUNK) {
    const chunk = rows.slice(start, start + BULK_CHUNK).map((r) => r.body);
    const headers: Record<string, string> = dryRun
      ? {}
      : { 'idempotency-key': `bulk-${createHash('sha256').update(JSON.stringify(chunk)).digest('base64url')}` };
    const { body: part } = await api(ctx, 'createInvitationsInBulk', {
      body: chunk,
      query: { dryRun: dryRun ? 'true' : 'false' },
      headers,
    });
    result.results.push(...part.results.map((r) => ({ ...r, index: r.index + start })));
  }
  const failures = result.results.filter((r) => !r.ok);
  const withRows = result.results.map((r) => ({ ...r, row: rows[r.index]?.row }));
  if (ctx.json) {
    out(ctx, '', { dryRun: result.dryRun, results: withRows });
  } else {
    const lines = withRows.map((r) =>
      r.ok
        ? `  row ${r.row}: ${r.email}: ${dryRun ? 'valid' : `invited (id ${r.id})`}`
        : `  row ${r.row}: ${r.email}: ${r.error?.code}: ${r.error?.message}${Object.entries(r.error?.fields ?? {})
            .map(([k, v]) => `\n      ${k}: ${englishFieldProblem(v)}`)
            .join('')}`,
    );
    const head = dryRun
      ? `Dry run: ${result.results.length - failures.length} of ${result.results.length} invitation(s) would be sent; nothing was sent.`
      : `${result.results.length - failures.length} of ${result.results.length} invitation(s) sent.`;
    ctx.io.stdout(`${head}\n${lines.join('\n')}\n`);
    if (failures.length)
      ctx.io.stderr(
        `${failures.length} row(s) failed; see above.${dryRun ? '' : ' Fix them and re-run with only those rows.'}\n`,
      );
  }
  return failures.length ? EXIT_API : EXIT_OK;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function listInvitations(ctx: Ctx): Promise<number> {
  // The backend pages the list (newest first); follow the pages to the end.
  const list: z.infer<typeof InvitationSummary>[] = [];
  for (let query: URLSearchParams | undefined = new URLSearchParams(); query;) {
    const after: string | undefined = query.get('after') ?? undefined;
    const limit: string | undefined = query.get('limit') ?? undefined;
    const res: ApiAnswer<'listInvitations'> = await api(ctx, 'listInvitations', {
      query: { ...(after ? { after } : {}), ...(limit ? { limit } : {}) },
    });
    list.push(...res.body);
    query = res.next;
  }
  const format = ctx.values.format;
  if (format !== undefined && format !== 'csv')
    throw new UsageError(`Unknown --format "${format}". Use --format csv (or --json).`);
  if (format === 'csv') {
    const header = [
      'id',
      'email',
      'status',
      'businessOperation',
      'odc',
      'seedRequested',
      'passwordDelivery',
      'inviterEmail',
      'createdAt',
      'expiresAt',
    ];
    const rows = list.map((i) => [
      i.id,
      i.email,
      i.status,
      i.businessOperation,
      i.odc ?? '',
      i.seedRequested ? 'yes' : 'no',
      i.passwordDelivery,
      i.inviterEmail,
      i.createdAt,
      i.expiresAt,
    ]);
    ctx.io.stdout(formatCsv([header, ...rows]));
  } else if (ctx.json) out(ctx, '', list);
  else if (list.length === 0) ctx.io.stdout('No invitations yet.\n');
  else {
    const rows = [['ID', 'EMAIL', 'STATUS', 'OPERATION', 'ODC', 'SEED', 'PASSWORD', 'EXPIRES (SGT)']];
    for (const i of list) {
      rows.push([
        i.id,
        i.email,
        i.status,
        i.businessOperation,
        i.odc ?? '-',
        i.seedRequested ? 'yes' : 'no',
        i.passwordDelivery,
        formatSgt(i.expiresAt).replace(/ SGT$/, ''),
      ]);
    }
    ctx.io.stdout(`${table(rows)}\n`);
  }
  return EXIT_OK;
}

/** --since: an ISO time, or a number of days back ("30d") from now. */
function sinceOption(raw: string | undefined, now: Date): string | undefined {
  if (raw === undefined) return undefined;
  const days = /^(\d{1,4})d$/.exec(raw);
  if (days) return new Date(now.getTime() - Number(days[1]) * 86_400_000).toISOString();
  if (Number.isNaN(Date.parse(raw)) || !/^\d{4}-\d{2}-\d{2}/.test(raw))
    throw new UsageError(
      `--since "${raw}" is neither an ISO time (2026-01-31T00:00:00Z) nor a number of days ("30d").`,
    );
  return new Date(raw).toISOString();
}

function isoOption(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (Number.isNaN(Date.parse(raw)) || !/^\d{4}-\d{2}-\d{2}/.test(raw))
    throw new UsageError(`--${name} "${raw}" is not an ISO time (for example 2026-01-31T00:00:00Z).`);
  return new Date(raw).toISOString();
}

function positiveIntOption(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1)
    throw new UsageError(`--${name} must be a whole number of at least 1 (it is "${raw}").`);
  return raw;
}

function auditQuery(ctx: Ctx): URLSearchParams {
  const v = ctx.values;
  const q = new URLSearchParams();
  const set = (k: string, x: string | undefined) => x !== undefined && q.set(k, x);
  set('account', v.account);
  set('actor', v.actor);
  set('type', v.type);
  set('since', sinceOption(v.since, new Date()));
  set('until', isoOption('until', v.until));
  set('limit', positiveIntOption('limit', v.limit));
  set('before', positiveIntOption('before', v.before));
  return q;
}

async function auditList(ctx: Ctx, exportAll: boolean): Promise<number> {
  const q = auditQuery(ctx);
  if (exportAll && !q.has('limit')) q.set('limit', '500');
  const page = (query: URLSearchParams) => api(ctx, 'listAuditRecords', { query: Object.fromEntries(query) });
  if (exportAll) {
    // JSON lines, one record a line, following the pages to the end.
    for (let query: URLSearchParams | undefined = q; query;) {
      const res: ApiAnswer<'listAuditRecords'> = await page(query);
      for (const r of res.body) ctx.io.stdout(`${JSON.stringify(r)}\n`);
      query = res.next;
    }
    return EXIT_OK;
  }
  const res = await page(q);
  const records = res.body;
  const nextBefore = res.next?.get('before') ?? null;
  if (ctx.json) {
    out(ctx, '', { records, ...(nextBefore ? { nextBefore: Number(nextBefore) } : {}) });
    return EXIT_OK;
  }
  if (records.length === 0) {
    ctx.io.stdout('No audit records match.\n');
    return EXIT_OK;
  }
  const rows = [['SEQ', 'AT (UTC)', 'TYPE', 'OUTCOME', 'ACTOR', 'SUBJECT']];
  for (const r of records)
    rows.push([
      String(r.seq),
      r.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      r.type,
      r.outcome,
      `${r.actorType}:${r.actor}`,
      r.subject,
    ]);
  ctx.io.stdout(`${table(rows)}\n`);
  if (nextBefore) ctx.io.stdout(`More records: add --before ${nextBefore}\n`);
  return EXIT_OK;
}

async function auditVerify(ctx: Ctx): Promise<number> {
  const { body: v } = await api(ctx, 'verifyAuditTrail');
  if (ctx.json) out(ctx, '', v);
  else if (v.ok)
    ctx.io.stdout(`Audit trail intact: ${v.records} records, the chain head matches record ${v.headSeq}.\n`);
  else {
    ctx.io.stderr(
      `Audit trail TAMPERED: record ${v.firstBad.seq}${v.firstBad.id ? ` (id ${v.firstBad.id})` : ''}: ${v.firstBad.reason}. ` +
        'Records from there on cannot be trusted. Keep the database as it is and compare it with a backup.\n',
    );
  }
  return v.ok ? EXIT_OK : EXIT_API;
}

async function funnelReportCommand(ctx: Ctx): Promise<number> {
  const v = ctx.values;
  const format = v.format ?? (ctx.json ? 'json' : 'table');
  if (!['table', 'json', 'csv', 'html'].includes(format))
    throw new UsageError(`Unknown --format "${format}". Use table, json, csv or html.`);
  const q = new URLSearchParams();
  const since = sinceOption(v.since, new Date());
  const until = isoOption('until', v.until);
  const within = positiveIntOption('within-hours', v['within-hours']);
  if (since) q.set('since', since);
  if (until) q.set('until', until);
  if (within) q.set('withinHours', within);
  const { body: report } = await api(ctx, 'getFunnelReport', { query: Object.fromEntries(q) });
  if (format === 'json') ctx.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'csv') ctx.io.stdout(funnelAsCsv(report));
  else if (format === 'html') ctx.io.stdout(funnelAsHtml(report));
  else ctx.io.stdout(funnelAsTable(report));
  return EXIT_OK;
}

async function invitationAction(ctx: Ctx, action: 'resend' | 'revoke', id: string): Promise<number> {
  const res =
    action === 'resend'
      ? await api(ctx, 'resendInvitation', { params: { id } })
      : await api(ctx, 'revokeInvitation', { params: { id } });
  const body = (res.body ?? {}) as { expiresAt?: string; status?: string };
  const human =
    action === 'resend'
      ? `Invitation ${id} resent with a new link${body.expiresAt ? ` (expires ${formatSgt(body.expiresAt)})` : ''}. The old link no longer works.`
      : `Invitation ${id} revoked. Its link no longer works.`;
  out(ctx, human, res.body ?? { ok: true });
  return EXIT_OK;
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts

async function listDeliveries(ctx: Ctx): Promise<number> {
  const { invitation, account } = ctx.values;
  if ((invitation === undefined) === (account === undefined))
    throw new UsageError('Use: deliveries --invitation <id>  or  deliveries --account <username> (one of the two).');
  const { body: list } =
    invitation !== undefined
      ? await api(ctx, 'listInvitationDeliveries', { params: { id: invitation } })
      : await api(ctx, 'listAccountDeliveries', { params: { username: account ?? '' } });
  const human = list.length
    ? list
        .map((d) =>
          [
            `${formatSgt(d.createdAt)}  ${d.template}  ${d.channel} to ${d.to}`,
            `  ${d.state.toUpperCase()} after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` +
              (d.sentAt
                ? `, sent ${formatSgt(d.sentAt)}`
                : d.lastAttemptAt
                  ? `, last tried ${formatSgt(d.lastAttemptAt)}`
                  : '') +
              (d.nextAttemptAt && d.state === 'retrying' ? `, next try ${formatSgt(d.nextAttemptAt)}` : ''),
            ...(d.lastError && d.state !== 'sent' ? [`  Last error: ${d.lastError}`] : []),
          ].join('\n'),
        )
        .join('\n')
    : 'No messages were queued for it.';
  out(ctx, human, list);
  return EXIT_OK;
}

async function showAccount(ctx: Ctx, username: string): Promise<number> {
  const { body: a } = await api(ctx, 'getAccount', { params: { username } });
  const human = [
    `Username:   ${a.username}`,
    `TechPass ID: ${a.loginId}`,
    `State:      ${a.state}`,
    `Flags:      ${a.flags.length ? a.flags.join(', ') : '-'}`,
    `Created:    ${formatSgt(a.createdAt)}`,
    `SEED:       ${a.seed.state}${a.seed.emailExpiresAt ? ` (email valid until ${formatSgt(a.seed.emailExpiresAt)})` : ''}`,
  ].join('\n');
  out(ctx, human, a);
  return EXIT_OK;
}

const ACTION_DONE: Record<string, string> = {
  enable: 'enabled; the user has 5 days to sign in',
  disable: 'disabled',
  terminate: 'terminated; it will be deleted after 5 days',
  unlock: 'unlocked',
  'reset-mfa': 'MFA reset; the user sets up the Authenticator app again at the next sign-in',
  'resend-initial-password': 'sent a new initial password by SMS (the old one no longer works)',
  'resend-seed-email': 'sent a new SEED onboarding email, valid for 30 days',
  'send-reset-link': 'sent a one-time password-reset link to the organisational email',
  'verify-phone': 'phone marked as verified',
};

async function accountAction(ctx: Ctx, action: AdminAccountAction, username: string): Promise<number> {
  const res = await api(ctx, 'runAccountAction', { params: { username, action } });
  out(ctx, `Account ${username}: ${ACTION_DONE[action] ?? action}.`, res.body ?? { ok: true });
  return EXIT_OK;
}

async function supportAction(ctx: Ctx, action: AdminSupportAction, username: string): Promise<number> {
  const ticket = ctx.values.ticket?.trim();
  if (!ticket)
    throw new UsageError(
      `Give the support ticket reference: account ${action} <username> --ticket <REF>. It is recorded in the audit log.`,
    );
  if (ticket.length > 100) throw new UsageError('The ticket reference is too long (100 characters at most).');
  const res = await api(ctx, action === 'send-reset-link' ? 'sendResetLink' : 'verifyPhoneForUser', {
    params: { username },
    body: { ticket },
  });
  out(ctx, `Account ${username}: ${ACTION_DONE[action]} (ticket ${ticket}).`, res.body ?? { ok: true });
  return EXIT_OK;
}

// ---------------------------------------------------------------------------------------------------------------
// Admin API keys (local: the backend's database)

function openBackendDatabase(io: CliIo): Database {
  if (io.openDatabase) return io.openDatabase();
  const url = io.env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new UsageError('DATABASE_URL must be a postgres:// URL (or unset for the SQLite file in TECHPASS_DATA_DIR).');
  const named = NamedStatementsSwitch.safeParse(io.env.DATABASE_NAMED_STATEMENTS);
  if (!named.success) throw new UsageError('DATABASE_NAMED_STATEMENTS must be 1 or 0 (or unset: on).');
  return openDatabase({
    databaseUrl: url || undefined,
    dataDir: resolve(io.env.TECHPASS_DATA_DIR ?? './.data'),
    pgNamedStatements: named.data,
  });
}

/** Who runs the command, for the audit log (the OS account; keys commands run on the backend host). */
function operator(io: CliIo): string {
  let user = io.env.USER ?? io.env.USERNAME;
  try {
    user ??= userInfo().username;
  } catch {
    user ??= 'unknown';
  }
  return `cli operator ${user}`;
}

async function keysCommand(
  ctx: Ctx,
  sub: string | undefined,
  arg: string | undefined,
  rest: string[],
): Promise<number> {
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke')
    throw new UsageError(
      'Use: keys create --name <name> --role inviter|support|it --principal <email>  |  keys list  |  keys revoke <name>',
    );
  if (sub === 'revoke' && !arg) throw new UsageError('Give the key name: keys revoke <name> (see "keys list").');
  const extra = [...(sub === 'revoke' ? [] : [arg]), ...rest].filter((x) => x !== undefined);
  if (extra.length) throw new UsageError(`Unexpected argument: ${extra.join(' ')}. Run with --help.`);
  if (sub === 'create') {
    const missing = (['name', 'role', 'principal'] as const).filter((k) => !ctx.values[k]);
    if (missing.length)
      throw new UsageError(
        `Missing ${missing.map((m) => `--${m}`).join(', ')}. Use: keys create --name <name> --role ${ADMIN_ROLES.join('|')} --principal <email>`,
      );
  }
  const now = ctx.io.now?.() ?? new Date();
  const database = openBackendDatabase(ctx.io);
  try {
    await migrate(database.db);
    if (sub === 'list') {
      const keys = await listAdminKeys(database.db);
      if (ctx.json) out(ctx, '', keys);
      else if (keys.length === 0)
        ctx.io.stdout(
          'No admin API keys yet. Create one: keys create --name <name> --role inviter|support|it --principal <email>\n',
        );
      else {
        const rows = [['NAME', 'ROLE', 'PRINCIPAL', 'CREATED (SGT)', 'LAST USED (SGT)', 'STATUS']];
        for (const k of keys) {
          rows.push([
            k.name,
            k.role,
            k.principal,
            formatSgt(k.createdAt).replace(/ SGT$/, ''),
            k.lastUsedAt ? formatSgt(k.lastUsedAt).replace(/ SGT$/, '') : '-',
            k.revokedAt ? `revoked ${formatSgt(k.revokedAt)}` : 'active',
          ]);
        }
        ctx.io.stdout(`${table(rows)}\n`);
      }
      return EXIT_OK;
    }
    if (sub === 'revoke') {
      const k = await revokeAdminKey(database.db, now, arg as string, operator(ctx.io));
      out(ctx, `Key ${k.name} (${k.role}, ${k.principal}) revoked. It no longer works.`, {
        ...k,
        revokedAt: now.toISOString(),
      });
      return EXIT_OK;
    }
    const { key, view } = await createAdminKey(database.db, now, {
      name: ctx.values.name as string,
      role: ctx.values.role as (typeof ADMIN_ROLES)[number],
      principal: ctx.values.principal as string,
      createdBy: operator(ctx.io),
    });
    out(
      ctx,
      [
        `Key ${view.name} created: role ${view.role}, principal ${view.principal}.`,
        '',
        `  ${key}`,
        '',
        'This is the only time the key is shown (only its hash is stored). Give it to its holder over a secure channel;',
        'they send it as Authorization: Bearer <key>, or put it in a file for --key-file.',
      ].join('\n'),
      { key, ...view },
    );
    return EXIT_OK;
  } catch (err) {
    if (err instanceof AdminKeyError) {
      const lines = Object.entries(err.fields ?? {})
        .map(([k, v]) => `\n  ${k}: ${v}`)
        .join('');
      throw new UsageError(`${err.message}${lines}`);
    }
    throw err;
  } finally {
    await database.close();
  }
}
