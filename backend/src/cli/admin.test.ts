import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_API, EXIT_OK, EXIT_USAGE, invitationsFromCsv, main, type CliIo } from './admin';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Reply = { status: number; body?: unknown };

const KEY = 'test-admin-key-0123456789';
const requests: Recorded[] = [];
let respond: (r: Recorded) => Reply = () => ({
  status: 404,
  body: { error: { code: 'NOT_FOUND', message: 'nothing here' } },
});
let baseUrl = '';
let closeServer: () => Promise<void>;

beforeAll(async () => {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      const reply =
        rec.headers.authorization === `Bearer ${KEY}`
          ? respond(rec)
          : {
              status: 401,
              body: { error: { code: 'UNAUTHORIZED', message: 'The admin API key is missing or wrong.' } },
            };
      if (reply.body === undefined) res.writeHead(reply.status).end();
      else
        res
          .writeHead(reply.status, { 'content-type': 'application/json' })
          .end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
});
afterAll(async () => {
  await closeServer();
});
beforeEach(() => {
  requests.length = 0;
});

async function run(
  args: string[],
  opts: { env?: Record<string, string | undefined>; files?: Record<string, string> } = {},
) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { TECHPASS_BACKEND_URL: baseUrl, ADMIN_API_KEY: KEY, ...opts.env },
    readTextFile: async (p) => {
      const f = opts.files?.[p];
      if (f === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return f;
    },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const INVITE = [
  'invite',
  '--email',
  'Jane.Tan@Accenture.com',
  '--business-operation',
  'onshore',
  '--sponsoring-agency',
  'GovTech',
  '--password-delivery',
  'self_set',
  '--inviter-email',
  'pm@tech.gov.sg',
];
const created = { id: 'inv-1', status: 'sent', expiresAt: '2026-12-05T02:00:00.000Z' };

describe('invite', () => {
  it('POSTs the validated, normalised body with the bearer key and prints the link expiry', async () => {
    respond = () => ({ status: 201, body: created });
    const r = await run([...INVITE, '--seed', '--first-name', 'Jane']);
    expect(r.code).toBe(EXIT_OK);
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect([req.method, req.url]).toEqual(['POST', '/v1/admin/invitations']);
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      email: 'jane.tan@accenture.com',
      firstName: 'Jane',
      businessOperation: 'onshore',
      sponsoringAgency: 'GovTech',
      seedRequested: true,
      passwordDelivery: 'self_set',
      inviterEmail: 'pm@tech.gov.sg',
    });
    expect(r.stdout).toContain(
      'Invitation sent to jane.tan@accenture.com (id inv-1). The registration link expires Sat 5 Dec 2026, 10:00 SGT.',
    );
  });

  it('forces SEED for offshore users and says so', async () => {
    respond = () => ({ status: 201, body: created });
    const r = await run([
      'invite',
      '--email',
      'p@infosys.com',
      '--business-operation',
      'offshore',
      '--odc',
      'Others',
      '--offshore-company-name',
      'Infosys',
      '--sponsoring-agency',
      'GovTech',
      '--password-delivery',
      'sms',
      '--inviter-email',
      'pm@tech.gov.sg',
    ]);
    expect(r.code).toBe(EXIT_OK);
    expect(JSON.parse(requests[0]!.body)).toMatchObject({
      seedRequested: true,
      odc: 'Others',
      offshoreCompanyName: 'Infosys',
    });
    expect(r.stdout).toMatch(/mandatory for offshore/);
  });

  it('--json prints the API response', async () => {
    respond = () => ({ status: 201, body: created });
    const r = await run([...INVITE, '--json']);
    expect(JSON.parse(r.stdout)).toEqual(created);
  });

  it.each([
    [
      ['invite', '--email', 'jane@acme.com'],
      /Missing --business-operation, --sponsoring-agency, --password-delivery, --inviter-email/,
    ],
    [[...INVITE.slice(0, 2), 'jane@gmail.com', ...INVITE.slice(3)], /email: Use an organisational email address/],
    [[...INVITE.slice(0, -1), 'pm@accenture.com'], /inviterEmail: The inviter must use a government/],
    [[...INVITE.slice(0, 4), 'abroad', ...INVITE.slice(5)], /businessOperation/],
    [
      [
        'invite',
        '--email',
        'p@infosys.com',
        '--business-operation',
        'offshore',
        '--sponsoring-agency',
        'G',
        '--password-delivery',
        'sms',
        '--inviter-email',
        'pm@tech.gov.sg',
      ],
      /odc: Offshore users need an ODC/,
    ],
    [
      [
        'invite',
        '--email',
        'p@infosys.com',
        '--business-operation',
        'offshore',
        '--odc',
        'Others',
        '--sponsoring-agency',
        'G',
        '--password-delivery',
        'sms',
        '--inviter-email',
        'pm@tech.gov.sg',
      ],
      /offshoreCompanyName: Enter the offshore company name/,
    ],
    [[...INVITE, '--odc', 'X'], /apply to offshore users only/],
  ])('usage error %#: nothing is sent', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(message);
    expect(requests).toHaveLength(0);
  });
});

describe('arguments, key and URL', () => {
  it('refuses a key on the command line with a hint', async () => {
    const r = await run([...INVITE, '--key', 'secret']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/Unknown option '--key'.*set ADMIN_API_KEY or use --key-file/);
    expect(requests).toHaveLength(0);
  });
  it('keys commands refuse a bad DATABASE_NAMED_STATEMENTS before opening the database', async () => {
    const r = await run(['keys', 'list'], {
      env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', DATABASE_NAMED_STATEMENTS: 'maybe' },
    });
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/DATABASE_NAMED_STATEMENTS must be 1 or 0/);
  });
  it('reads the key from --key-file (trimmed), overriding the environment', async () => {
    respond = () => ({ status: 200, body: [] });
    const r = await run(['invitations', 'list', '--key-file', '/keys/admin'], {
      env: { ADMIN_API_KEY: 'wrong' },
      files: { '/keys/admin': `${KEY}\n` },
    });
    expect(r.code).toBe(EXIT_OK);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(r.stdout).toBe('No invitations yet.\n');
  });
  it('explains a missing or unreadable key', async () => {
    expect((await run(['invitations', 'list'], { env: { ADMIN_API_KEY: undefined } })).stderr).toMatch(
      /No admin API key\. Set the ADMIN_API_KEY/,
    );
    const r = await run(['invitations', 'list', '--key-file', '/nope']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/Cannot read the key file \/nope: ENOENT/);
  });
  it('a wrong key is an API error (exit 1) with a hint', async () => {
    const r = await run(['invitations', 'list'], { env: { ADMIN_API_KEY: 'wrong' } });
    expect(r.code).toBe(EXIT_API);
    expect(r.stderr).toMatch(
      /^Error UNAUTHORIZED \(HTTP 401\): The admin API key is missing or wrong\. Check ADMIN_API_KEY/,
    );
  });
  it('uses --url over the environment, and reports an unreachable backend', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await run(['invitations', 'list', '--url', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(EXIT_API);
    expect(r.stderr).toContain(`Could not reach the backend at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(requests).toHaveLength(0);
    expect((await run(['invitations', 'list', '--url', 'ftp://x'])).code).toBe(EXIT_USAGE);
  });
  it.each([
    [[], EXIT_USAGE, /Usage: npm run admin/],
    [['--help'], EXIT_OK, /Exit codes: 0 ok/],
    [['frobnicate'], EXIT_USAGE, /Unknown command "frobnicate"/],
    [['account', 'explode', 'jane'], EXIT_USAGE, /Unknown account action "explode"/],
    [['account', 'disable'], EXIT_USAGE, /Give the username/],
    [['invitation', 'resend'], EXIT_USAGE, /Give the invitation id/],
    [['invitations', 'list', 'extra'], EXIT_USAGE, /Unexpected argument: extra/],
    [['invitations', 'list', '--timeout', '0'], EXIT_USAGE, /--timeout must be/],
  ])('%j → exit %d', async (args, code, text) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    expect(r.stdout + r.stderr).toMatch(text);
    expect(requests).toHaveLength(0);
  });
  it('usage errors in --json mode are JSON', async () => {
    const r = await run(['account', 'disable', '--json']);
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'USAGE', message: 'Give the username: account disable <username>.' },
    });
  });
});

describe('API error mapping', () => {
  it.each([
    [409, 'CONFLICT', 'This invitation is registered and cannot be resent.'],
    [404, 'NOT_FOUND', 'The invitation was not found.'],
    [400, 'VALIDATION_FAILED', 'Some fields are not valid.'],
  ])('HTTP %d %s → exit 1 with code and message', async (status, code, message) => {
    respond = () => ({
      status,
      body: {
        error: {
          code,
          message,
          ...(status === 400
            ? { fields: { email: { code: 'email.personal_not_allowed', message: 'the server’s own words' } } }
            : {}),
        },
      },
    });
    const r = await run(['invitation', 'resend', 'inv-9']);
    expect(r.code).toBe(EXIT_API);
    expect(r.stderr).toContain(`Error ${code} (HTTP ${status}): ${message}`);
    // The CLI words the code itself (its English table), whatever the server wrote.
    if (status === 400)
      expect(r.stderr).toContain(
        '  email: Use an organisational email address, not a personal one (such as Gmail or Yahoo).',
      );
    const j = await run(['invitation', 'resend', 'inv-9', '--json']);
    expect(JSON.parse(j.stderr)).toMatchObject({ error: { code, message }, status });
  });
  it('a non-JSON error body (wrong server)', async () => {
    respond = () => ({ status: 502, body: '<html>bad gateway</html>' });
    const r = await run(['account', 'show', 'jane']);
    expect(r.code).toBe(EXIT_API);
    expect(r.stderr).toMatch(/Error HTTP_502 \(HTTP 502\): The backend answered HTTP 502 without an error body/);
  });
  it('a success body in the wrong shape', async () => {
    respond = () => ({ status: 200, body: { hello: 'world' } });
    const r = await run(['account', 'show', 'jane']);
    expect(r.code).toBe(EXIT_API);
    expect(r.stderr).toMatch(/UNEXPECTED_RESPONSE/);
  });
});

describe('invitations and accounts', () => {
  it('lists invitations as a table', async () => {
    respond = () => ({
      status: 200,
      body: [
        {
          id: 'inv-1',
          email: 'jane@acme.com',
          status: 'sent',
          businessOperation: 'onshore',
          odc: null,
          seedRequested: false,
          passwordDelivery: 'sms',
          inviterEmail: 'pm@tech.gov.sg',
          createdAt: '2026-12-01T00:00:00Z',
          expiresAt: '2026-12-06T00:00:00Z',
        },
        {
          id: 'inv-22',
          email: 'p@infosys.com',
          status: 'registered',
          businessOperation: 'offshore',
          odc: 'Others',
          seedRequested: true,
          passwordDelivery: 'self_set',
          inviterEmail: 'pm@tech.gov.sg',
          createdAt: '2026-12-01T00:00:00Z',
          expiresAt: '2026-12-06T00:00:00Z',
        },
      ],
    });
    const r = await run(['invitations', 'list']);
    expect(r.code).toBe(EXIT_OK);
    expect([requests[0]!.method, requests[0]!.url]).toEqual(['GET', '/v1/admin/invitations']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+EMAIL\s+STATUS\s+OPERATION\s+ODC\s+SEED\s+PASSWORD\s+EXPIRES \(SGT\)$/);
    expect(lines[1]).toMatch(/^inv-1\s+jane@acme\.com\s+sent\s+onshore\s+-\s+no\s+sms\s+Sun 6 Dec 2026, 08:00$/);
    expect(lines[2]).toMatch(/^inv-22\s+p@infosys\.com\s+registered\s+offshore\s+Others\s+yes\s+self_set/);
  });

  const ACCOUNT_SUMMARY = {
    username: 'jane.tan',
    loginId: 'jane.tan@techpass.gov.sg',
    state: 'ACTIVE',
    flags: [],
    createdAt: '2026-12-01T00:00:00Z',
    seed: { state: 'NOT_REQUIRED' },
  };
  const CREATED_INVITATION = { id: 'inv 1', status: 'sent', expiresAt: '2026-12-06T00:00:00Z' };
  const INVITATION_SUMMARY = {
    id: 'inv-1',
    email: 'jane@acme.com',
    status: 'revoked',
    businessOperation: 'onshore',
    odc: null,
    seedRequested: false,
    passwordDelivery: 'sms',
    inviterEmail: 'pm.lee@tech.gov.sg',
    createdAt: '2026-12-01T00:00:00Z',
    expiresAt: '2026-12-06T00:00:00Z',
  };
  it.each([
    [['invitation', 'resend', 'inv 1'], 'POST', '/v1/admin/invitations/inv%201/resend', /resent with a new link/],
    [['invitation', 'revoke', 'inv-1'], 'DELETE', '/v1/admin/invitations/inv-1', /revoked/],
    [['account', 'enable', 'jane.tan'], 'POST', '/v1/admin/accounts/jane.tan/enable', /enabled; the user has 5 days/],
    [['account', 'disable', 'jane.tan'], 'POST', '/v1/admin/accounts/jane.tan/disable', /disabled/],
    [['account', 'terminate', 'jane.tan'], 'POST', '/v1/admin/accounts/jane.tan/terminate', /terminated/],
    [['account', 'unlock', 'jane.tan'], 'POST', '/v1/admin/accounts/jane.tan/unlock', /unlocked/],
    [['account', 'reset-mfa', 'jane.tan'], 'POST', '/v1/admin/accounts/jane.tan/reset-mfa', /MFA reset/],
    [
      ['account', 'resend-initial-password', 'jane.tan'],
      'POST',
      '/v1/admin/accounts/jane.tan/resend-initial-password',
      /new initial password/,
    ],
    [
      ['account', 'resend-seed-email', 'jane.tan'],
      'POST',
      '/v1/admin/accounts/jane.tan/resend-seed-email',
      /SEED onboarding email/,
    ],
  ])('%j → %s %s with no body', async (args, method, url, text) => {
    // Each answer in the form the route table gives for its route.
    const answer = url.endsWith('/resend')
      ? CREATED_INVITATION
      : method === 'DELETE'
        ? INVITATION_SUMMARY
        : ACCOUNT_SUMMARY;
    respond = () => ({ status: 200, body: answer });
    const r = await run(args);
    expect(r.code).toBe(EXIT_OK);
    expect(requests).toHaveLength(1);
    expect([requests[0]!.method, requests[0]!.url]).toEqual([method, url]);
    expect(requests[0]!.body).toBe('');
    expect(requests[0]!.headers['content-type']).toBeUndefined();
    expect(r.stdout).toMatch(text);
  });

  it.each(['send-reset-link', 'verify-phone'])('account %s sends { ticket } and requires --ticket', async (action) => {
    respond = () => ({ status: 200, body: ACCOUNT_SUMMARY });
    const missing = await run(['account', action, 'jane.tan']);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/--ticket <REF>/);
    expect(requests).toHaveLength(0);
    const r = await run(['account', action, 'jane.tan', '--ticket', 'SR-2026-0042']);
    expect(r.code).toBe(EXIT_OK);
    expect([requests[0]!.method, requests[0]!.url]).toEqual(['POST', `/v1/admin/accounts/jane.tan/${action}`]);
    expect(JSON.parse(requests[0]!.body)).toEqual({ ticket: 'SR-2026-0042' });
    expect(r.stdout).toMatch(/\(ticket SR-2026-0042\)/);
  });

  it('account show prints the summary', async () => {
    respond = () => ({
      status: 200,
      body: {
        username: 'jane.tan',
        loginId: 'jane.tan@techpass.gov.sg',
        state: 'ACTIVE',
        flags: ['MFA_REGISTERED'],
        createdAt: '2026-12-01T00:00:00Z',
        seed: { state: 'PROVISIONED', emailExpiresAt: '2026-12-31T00:00:00Z' },
      },
    });
    const r = await run(['account', 'show', 'jane.tan']);
    expect(r.code).toBe(EXIT_OK);
    expect(requests[0]!.url).toBe('/v1/admin/accounts/jane.tan');
    expect(r.stdout).toContain('TechPass ID: jane.tan@techpass.gov.sg');
    expect(r.stdout).toContain('SEED:       PROVISIONED (email valid until Thu 31 Dec 2026, 08:00 SGT)');
  });
});

describe('invite-bulk', () => {
  const sample = readFileSync(join(__dirname, 'examples', 'invitations.csv'), 'utf8');
  const bulkOk = (r: Recorded): Reply => {
    const items = JSON.parse(r.body) as { email: string }[];
    const dryRun = r.url.endsWith('dryRun=true');
    return {
      status: dryRun ? 200 : 201,
      body: {
        dryRun,
        results: items.map((it, index) => ({
          index,
          email: it.email,
          ok: true,
          ...(dryRun ? {} : { id: `inv-${index}` }),
        })),
      },
    };
  };

  it('the example CSV is valid', () => {
    const { rows, errors } = invitationsFromCsv(sample);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    expect(rows[3]!.body).toMatchObject({
      email: 'li.na@acme-dev.cn',
      odc: 'Others',
      offshoreCompanyName: 'Acme Dev Co., Ltd',
      seedRequested: true,
      passwordDelivery: 'sms',
    });
  });

  it('--dry-run validates locally, then POSTs ?dryRun=true', async () => {
    respond = bulkOk;
    const r = await run(['invite-bulk', '--csv', 'in.csv', '--dry-run'], { files: { 'in.csv': sample } });
    expect(r.code).toBe(EXIT_OK);
    expect([requests[0]!.method, requests[0]!.url]).toEqual(['POST', '/v1/admin/invitations/bulk?dryRun=true']);
    expect(JSON.parse(requests[0]!.body)).toHaveLength(4);
    expect(r.stdout).toMatch(/^Dry run: 4 of 4 invitation\(s\) would be sent; nothing was sent\./);
    expect(r.stdout).toContain('row 5: li.na@acme-dev.cn: valid');
  });

  it('without --dry-run POSTs ?dryRun=false and lists the ids by CSV row', async () => {
    respond = bulkOk;
    const r = await run(['invite-bulk', '--csv', 'in.csv', '--json'], { files: { 'in.csv': sample } });
    expect(r.code).toBe(EXIT_OK);
    expect(requests[0]!.url).toBe('/v1/admin/invitations/bulk?dryRun=false');
    const j = JSON.parse(r.stdout) as { results: { row: number; id: string }[] };
    expect(j.results.map((x) => [x.row, x.id])).toEqual([
      [2, 'inv-0'],
      [3, 'inv-1'],
      [4, 'inv-2'],
      [5, 'inv-3'],
    ]);
  });

  it('reports every bad row by its line number and sends nothing', async () => {
    const bad = [
      'email,firstName,lastName,businessOperation,odc,offshoreCompanyName,sponsoringAgency,seedRequested,passwordDelivery,inviterEmail',
      'ok@acme.com,Ok,Person,onshore,,,GovTech,no,sms,pm@tech.gov.sg',
      'someone@gmail.com,Some,One,onshore,,,GovTech,no,sms,pm@tech.gov.sg',
      '',
      'x@acme.com,X,Y,offshore,,,GovTech,yes,sms,pm@tech.gov.sg',
      'z@acme.com,Z,Z,onshore,,,GovTech,maybe,sms,pm@tech.gov.sg',
      'short@acme.com,onshore',
      'OK@acme.com,Ok,Again,onshore,,,GovTech,no,self_set,pm@tech.gov.sg',
    ].join('\n');
    const r = await run(['invite-bulk', '--csv', 'bad.csv'], { files: { 'bad.csv': bad } });
    expect(r.code).toBe(EXIT_USAGE);
    expect(requests).toHaveLength(0);
    expect(r.stderr).toMatch(/^bad\.csv: 5 row\(s\) are not valid; nothing was sent/);
    expect(r.stderr).toMatch(/row 3: email: Use an organisational email address/);
    expect(r.stderr).toMatch(/row 5: odc: Offshore users need an ODC/);
    expect(r.stderr).toMatch(/row 6: seedRequested: Write yes or no \(got "maybe"\)/);
    expect(r.stderr).toMatch(/row 7: Has 2 fields but the header has 10/);
    expect(r.stderr).toMatch(/row 8: email: ok@acme\.com already appears on row 2/);
    expect(r.stderr).not.toMatch(/row 2:/);
  });

  it.each([
    ['', /The file is empty/],
    ['email,foo\n', /Unknown column\(s\): foo/],
    ['email,businessOperation\n', /Missing column\(s\): sponsoringAgency, passwordDelivery, inviterEmail/],
    ['email,businessOperation,sponsoringAgency,passwordDelivery,inviterEmail\n', /header but no invitees/],
    ['email\n"unclosed\n', /row 2: A quoted field is not closed/],
  ])('file problem %#', async (text, message) => {
    const r = await run(['invite-bulk', '--csv', 'f.csv'], { files: { 'f.csv': text } });
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(message);
    expect(requests).toHaveLength(0);
  });

  it('--inviter-email fills a missing column; header names are forgiving', () => {
    const { rows, errors } = invitationsFromCsv(
      'Email,Business Operation,sponsoring_agency,password-delivery,SEED\na@acme.com,Onshore,GovTech,SMS,yes\n',
      { inviterEmail: 'pm@tech.gov.sg' },
    );
    expect(errors).toEqual([]);
    expect(rows[0]!.body).toEqual({
      email: 'a@acme.com',
      businessOperation: 'onshore',
      sponsoringAgency: 'GovTech',
      passwordDelivery: 'sms',
      seedRequested: true,
      inviterEmail: 'pm@tech.gov.sg',
    });
  });

  it('rows the API refuses are reported by CSV row with exit 1', async () => {
    respond = (r) => {
      const items = JSON.parse(r.body) as { email: string }[];
      return {
        status: 201,
        body: {
          dryRun: false,
          results: items.map((it, index) =>
            index === 1
              ? {
                  index,
                  email: it.email,
                  ok: false,
                  error: { code: 'CONFLICT', message: 'This email already has a TechPass account.' },
                }
              : { index, email: it.email, ok: true, id: `inv-${index}` },
          ),
        },
      };
    };
    const r = await run(['invite-bulk', '--csv', 'in.csv'], { files: { 'in.csv': sample } });
    expect(r.code).toBe(EXIT_API);
    expect(r.stdout).toMatch(/^3 of 4 invitation\(s\) sent\./);
    expect(r.stdout).toContain('row 3: wei.ming@ncs.com.sg: CONFLICT: This email already has a TechPass account.');
    expect(r.stderr).toMatch(/1 row\(s\) failed/);
  });

  it('a missing file is a usage error', async () => {
    const r = await run(['invite-bulk', '--csv', 'nope.csv']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/Cannot read nope\.csv: ENOENT/);
    expect((await run(['invite-bulk'])).stderr).toMatch(/Give the CSV file/);
  });
});

describe('as a process (tsx)', () => {
  it('runs from the command line and sets the exit code', async () => {
    respond = () => ({ status: 200, body: [] });
    const tsx = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
    // The entry (arguments and help), which loads admin.ts for the command.
    const cli = join(__dirname, 'admin-cli.ts');
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        tsx,
        [cli, 'invitations', 'list'],
        { env: { ...process.env, TECHPASS_BACKEND_URL: baseUrl, ADMIN_API_KEY: KEY } },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No invitations yet.\n');
  }, 30_000);
});

describe('output and files that cannot attack the operator', () => {
  const listing = [
    {
      id: 'inv-1',
      email: 'evil\u001b[2J\u001b]0;owned\u0007@acme.com',
      status: 'sent',
      businessOperation: 'offshore',
      odc: '=HYPERLINK("https://evil.example","click")',
      seedRequested: true,
      passwordDelivery: 'sms',
      inviterEmail: '+pm@tech.gov.sg',
      createdAt: '2026-12-01T00:00:00.000Z',
      expiresAt: '2026-12-06T00:00:00.000Z',
    },
  ];

  it('shows control characters from the backend as visible escapes, never raw (table and JSON)', async () => {
    respond = () => ({ status: 200, body: listing });
    const r = await run(['invitations', 'list']);
    expect(r.code).toBe(EXIT_OK);
    // eslint-disable-next-line no-control-regex -- the test is that no control character reaches the terminal
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('evil\\x1B[2J\\x1B]0;owned\\x07@acme.com');
    const j = await run(['invitations', 'list', '--json']);
    // eslint-disable-next-line no-control-regex -- as above
    expect(j.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    respond = () => ({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'bad \u001b[31mred',
          fields: { email: { code: 'email.invalid', message: '\u009b2J' } },
        },
      },
    });
    const e = await run(['invitations', 'list']);
    // eslint-disable-next-line no-control-regex -- as above
    expect(e.stderr).not.toMatch(/[\u001b\u009b]/);
  });

  it('invitations list --format csv neutralises values a spreadsheet would run as formulas', async () => {
    respond = () => ({ status: 200, body: listing });
    const r = await run(['invitations', 'list', '--format', 'csv']);
    expect(r.code).toBe(EXIT_OK);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe(
      'id,email,status,businessOperation,odc,seedRequested,passwordDelivery,inviterEmail,createdAt,expiresAt',
    );
    expect(lines[1]).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    expect(lines[1]).toContain(",'+pm@tech.gov.sg,");
    expect((await run(['invitations', 'list', '--format', 'xml'])).code).toBe(EXIT_USAGE);
  });

  it('refuses control characters in the bulk CSV, naming the row, before anything is sent', async () => {
    const text =
      'email,businessOperation,sponsoringAgency,passwordDelivery,inviterEmail\nok@acme.com,onshore,GovTech,sms,pm@tech.gov.sg\nx@acme.com,onshore,Gov\u001b[31mTech,sms,pm@tech.gov.sg\n';
    const r = await run(['invite-bulk', '--csv', 'f.csv'], { files: { 'f.csv': text } });
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/row 3: sponsoringAgency: Contains control characters/);
    expect(requests).toHaveLength(0);
  });

  it('sends a large file in atomic 500-row requests, each with an Idempotency-Key derived from its rows', async () => {
    const header = 'email,businessOperation,sponsoringAgency,passwordDelivery,inviterEmail';
    const text = [
      header,
      ...Array.from({ length: 1200 }, (_, i) => `u${i}@acme.com,onshore,GovTech,sms,pm@tech.gov.sg`),
    ].join('\n');
    respond = (rec) => {
      const items = JSON.parse(rec.body) as { email: string }[];
      return {
        status: 201,
        body: {
          dryRun: false,
          results: items.map((it, index) => ({ index, email: it.email, ok: true, id: `id-${it.email}` })),
        },
      };
    };
    const r = await run(['invite-bulk', '--csv', 'big.csv', '--json'], { files: { 'big.csv': text } });
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(requests.map((q) => (JSON.parse(q.body) as unknown[]).length)).toEqual([500, 500, 200]);
    const keys = requests.map((q) => q.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(3);
    for (const k of keys) expect(k).toMatch(/^bulk-[A-Za-z0-9_-]{43}$/);
    const out = JSON.parse(r.stdout) as { results: { index: number; row: number; email: string }[] };
    expect(out.results).toHaveLength(1200);
    expect(out.results[1199]).toMatchObject({ index: 1199, row: 1201, email: 'u1199@acme.com' });
    // Running the same file again sends the same keys: the backend replays what was already done.
    requests.length = 0;
    await run(['invite-bulk', '--csv', 'big.csv', '--json'], { files: { 'big.csv': text } });
    expect(requests.map((q) => q.headers['idempotency-key'])).toEqual(keys);
  });
});
