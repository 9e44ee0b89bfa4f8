import { describe, expect, it } from 'vitest';
import { fieldProblemOfIssue, FieldProblemSchema } from './errors';
import { FIELD_PROBLEM_CODES, type FieldProblem } from './field-problems';
import { invitationProblems, type InvitationRequest } from './invitation-rules';
import { checkMobileNumber, mobileFieldProblem } from './phone';
import {
  departmentProblem,
  emailFormatProblem,
  firstNameProblem,
  governmentEmailProblem,
  lastNameProblem,
  offshoreCompanyAddressProblem,
  offshoreReportingOfficerNameProblem,
  orgEmailProblem,
  usernameProblem,
} from './registration-rules';
import { registrationBodyFor } from './registration-schemas';
import type { BusinessOperation, PasswordDelivery } from './states';

/** Two words in a row: a sentence (or part of one) where only a code and plain values belong. */
const WORDS = /\p{L}{2,}\s+\p{L}{2,}/u;

function expectCode(problem: FieldProblem | undefined, where: string): void {
  expect(problem, where).toBeDefined();
  const parsed = FieldProblemSchema.safeParse(problem);
  expect(parsed.success, `${where}: ${JSON.stringify(problem)}`).toBe(true);
  for (const [k, v] of Object.entries(problem?.params ?? {})) {
    expect(typeof v === 'string' && WORDS.test(v), `${where}: params.${k} = ${String(v)}`).toBe(false);
  }
}

const BAD_TEXT = ['', '   ', 'x'.repeat(400), 'Jane2', '<script>', '-dash', '中文 名字'.repeat(40)];
const BAD_EMAILS = [
  '',
  'not-an-email',
  'jane@',
  `${'a'.repeat(65)}@acme.com`,
  `${'a'.repeat(60)}@${'b'.repeat(49)}.com`,
  'jane@gmail.com',
  'jane@litemail.gov.sg',
  'pm@accenture.com',
];
const BAD_USERNAMES = ['', 'ab', 'a'.repeat(65), '1jane', 'jane tan', 'jane..tan', 'jane.', 'jane-', '张伟'];
const BAD_MOBILES = [
  '',
  '12345',
  '+65 1234',
  '+861380013800',
  '+6591234567890123',
  '+9198765',
  'not a number',
  '+1 202',
];

describe('every shared rule answers with a code from the one list, never a sentence', () => {
  const rules: [string, (v: string) => FieldProblem | undefined, string[]][] = [
    ['usernameProblem', usernameProblem, BAD_USERNAMES],
    ['firstNameProblem', firstNameProblem, BAD_TEXT],
    ['lastNameProblem', lastNameProblem, BAD_TEXT],
    ['departmentProblem', departmentProblem, ['', '  ', 'x'.repeat(101)]],
    ['offshoreReportingOfficerNameProblem', offshoreReportingOfficerNameProblem, ['', 'x'.repeat(101)]],
    ['offshoreCompanyAddressProblem', offshoreCompanyAddressProblem, ['', 'x'.repeat(301)]],
    ['emailFormatProblem', emailFormatProblem, BAD_EMAILS.slice(0, 5)],
    ['orgEmailProblem', orgEmailProblem, BAD_EMAILS.slice(0, 7)],
    ['governmentEmailProblem', governmentEmailProblem, BAD_EMAILS],
    ['mobileFieldProblem', (v) => mobileFieldProblem(checkMobileNumber(v)), BAD_MOBILES],
  ];
  for (const [name, rule, inputs] of rules) {
    it.each(inputs)(`${name}(%j)`, (input) => expectCode(rule(input), `${name}(${input})`));
  }

  it('the invitation rules', () => {
    const base: InvitationRequest = { email: 'jane@acme.com', businessOperation: 'offshore', seedRequested: false };
    const bodies: InvitationRequest[] = [
      base,
      { ...base, odc: 'Others' },
      { ...base, odc: 'Infosys Chennai ODC', offshoreCompanyName: 'Acme' },
      { ...base, email: 'officer@tech.gov.sg', businessOperation: 'onshore', odc: 'X', offshoreCompanyName: 'Y' },
      { ...base, email: 'teacher@moe.gov.sg' },
    ];
    let seen = 0;
    for (const body of bodies) {
      for (const [field, problem] of Object.entries(invitationProblems(body) ?? {})) {
        expectCode(problem, `invitationProblems ${JSON.stringify(body)} ${field}`);
        seen += 1;
      }
    }
    expect(seen).toBeGreaterThanOrEqual(8);
  });

  it('the registration body schema: each issue carries a code, for every kind of invitation', () => {
    const bodies: unknown[] = [
      {},
      { username: 1, firstName: null, lastName: [], mobile: 5, department: {} },
      {
        username: 'ab',
        firstName: '',
        lastName: 'x'.repeat(65),
        mobile: '+65 1',
        department: '',
        password: 'x'.repeat(2000),
        extra: 1,
      },
      {
        username: 'jane.tan',
        firstName: 'Jane',
        lastName: 'Tan',
        mobile: '+6591234567',
        department: 'IT',
        offshoreReportingOfficer: { name: '', email: 'ro@gmail.com', more: true },
        offshoreCompanyAddress: '',
      },
    ];
    const invitations: { businessOperation: BusinessOperation; odc?: string; passwordDelivery: PasswordDelivery }[] = [
      { businessOperation: 'onshore', passwordDelivery: 'sms' },
      { businessOperation: 'onshore', passwordDelivery: 'self_set' },
      { businessOperation: 'offshore', odc: 'Others', passwordDelivery: 'sms' },
    ];
    const codes = new Set<string>();
    for (const inv of invitations) {
      for (const body of bodies) {
        const r = registrationBodyFor(inv).safeParse(body);
        expect(r.success).toBe(false);
        for (const issue of r.error?.issues ?? []) {
          // Zod's own wording (for a wrong type or an unknown key) never stands in for a code.
          const problem = fieldProblemOfIssue(issue);
          expectCode(problem, `${JSON.stringify(inv)} ${issue.path.join('.')}`);
          if (issue.code === 'custom' || issue.code === 'invalid_type' || issue.code === 'too_big') {
            expect(FIELD_PROBLEM_CODES as readonly string[], `${issue.path.join('.')}: ${issue.message}`).toContain(
              issue.message,
            );
          }
          codes.add(problem.code);
        }
      }
    }
    for (const code of [
      'username.too_short',
      'name.too_long',
      'password.too_long',
      'field.not_allowed',
      'field.not_applicable',
      'offshore.fields_required',
      'email.personal_not_allowed',
    ]) {
      expect(codes).toContain(code);
    }
  });

  it('reads a code back from a zod issue, with its parameters', () => {
    const r = registrationBodyFor({ businessOperation: 'onshore', passwordDelivery: 'sms' }).safeParse({
      username: 'ab',
      firstName: 'Jane',
      lastName: 'Tan',
      mobile: '+6591234567',
      department: 'IT',
    });
    const issue = r.error?.issues[0];
    expect(issue && fieldProblemOfIssue(issue)).toEqual({ code: 'username.too_short', params: { min: 3, max: 64 } });
  });
});
