/**
 * The admin CLI refuses, before it sends anything, every invitation the API refuses for a cross-field rule: both
 * apply shared/domain/invitation-rules. Each case goes to a real backend directly (400) and through the CLI
 * (exit 2, nothing reaches the backend).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE, main } from '../src/cli/admin';
import { ADMIN_KEY, DIALECTS, inviteBody, startBackend, uniq, type TestBackend } from './harness';

const CASES: { name: string; body: Record<string, unknown>; field: string }[] = [
  { name: 'a WoG (integrated) address', body: { email: 'officer@tech.gov.sg' }, field: 'email' },
  { name: 'an MoE (integrated) address', body: { email: 'teacher@moe.gov.sg' }, field: 'email' },
  { name: 'offshore without an ODC', body: { businessOperation: 'offshore', seedRequested: true }, field: 'odc' },
  {
    name: 'ODC Others without a company name',
    body: { businessOperation: 'offshore', odc: 'Others', seedRequested: true },
    field: 'offshoreCompanyName',
  },
  {
    name: 'a company name with a listed ODC',
    body: { businessOperation: 'offshore', odc: 'Chennai ODC', offshoreCompanyName: 'Infosys', seedRequested: true },
    field: 'offshoreCompanyName',
  },
  { name: 'onshore with an ODC', body: { odc: 'Chennai ODC' }, field: 'odc' },
];

/** The same invitation as `invite` options for the CLI. */
function cliArgs(body: Record<string, unknown>): string[] {
  const args = ['invite'];
  const flag: Record<string, string> = {
    email: '--email',
    businessOperation: '--business-operation',
    sponsoringAgency: '--sponsoring-agency',
    passwordDelivery: '--password-delivery',
    inviterEmail: '--inviter-email',
    odc: '--odc',
    offshoreCompanyName: '--offshore-company-name',
  };
  for (const [k, v] of Object.entries(body)) {
    if (k === 'seedRequested') {
      if (v === true) args.push('--seed');
    } else if (flag[k]) args.push(flag[k], String(v));
  }
  return args;
}

describe.each(DIALECTS)('the CLI refuses what the API refuses (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });

  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(args, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { TECHPASS_BACKEND_URL: b.url, ADMIN_API_KEY: ADMIN_KEY },
    });
    return { code, stdout, stderr };
  }
  const invitationCount = async () => (await b.admin('GET', '/v1/admin/invitations')).body.length as number;

  it.each(CASES)('$name', async ({ body, field }) => {
    const full = inviteBody({ email: `${uniq('rule')}@vendor.example.com`, ...body });
    const api = await b.admin('POST', '/v1/admin/invitations', full);
    expect(api.status).toBe(400);
    expect(api.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(api.body.error.fields)).toContain(field);

    const before = await invitationCount();
    const r = await cli(cliArgs(full));
    expect(r.code, r.stderr).toBe(EXIT_USAGE);
    expect(r.stderr).toContain(`${field}: ${api.body.error.fields[field].message}`);
    expect(await invitationCount()).toBe(before);
  });

  it('the bulk CSV is checked the same way: no row is sent while one breaks a rule', async () => {
    const header =
      'email,businessOperation,odc,offshoreCompanyName,sponsoringAgency,seedRequested,passwordDelivery,inviterEmail';
    const csv = [
      header,
      `${uniq('ok')}@vendor.example.com,onshore,,,GovTech,no,sms,pm@tech.gov.sg`,
      'officer@tech.gov.sg,onshore,,,GovTech,no,sms,pm@tech.gov.sg',
    ].join('\n');
    const before = await invitationCount();
    let stderr = '';
    const code = await main(['invite-bulk', '--csv', 'rows.csv'], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      env: { TECHPASS_BACKEND_URL: b.url, ADMIN_API_KEY: ADMIN_KEY },
      readTextFile: async () => csv,
    });
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toMatch(/row 3: email: This address belongs to an integrated government identity provider/);
    expect(await invitationCount()).toBe(before);
  });

  it('offshore without SEED: the API refuses it, the CLI requests SEED itself (mandatory offshore) and says so', async () => {
    const full = inviteBody({
      email: `${uniq('off')}@vendor.example.com`,
      businessOperation: 'offshore',
      odc: 'Others',
      offshoreCompanyName: 'Infosys',
      seedRequested: false,
    });
    const api = await b.admin('POST', '/v1/admin/invitations', full);
    expect(api.status).toBe(400);
    expect(Object.keys(api.body.error.fields)).toEqual(['seedRequested']);
    const r = await cli(cliArgs(full));
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/SEED was requested because it is mandatory for offshore users/);
  });
});
