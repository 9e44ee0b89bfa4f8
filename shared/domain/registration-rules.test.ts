import { describe, expect, it } from 'vitest';
import {
  classifyEmail,
  DEFAULT_EMAIL_LISTS,
  E164_RE,
  emailFormatProblem,
  firstNameProblem,
  isChinaMobile,
  isEmailNotTechPassId,
  isGovernmentEmail,
  loginIdFor,
  looksLikeEmail,
  maskEmail,
  maskPhone,
  requiredRegistrationFields,
  SG_MOBILE_RE,
  usernameFromLoginId,
  usernameProblem,
  type EmailKind,
} from './registration-rules';
import { FirstName, GovernmentEmail, Mobile, OrgEmail, registrationBodyFor, Username } from './registration-schemas';
import { fieldProblemOfIssue } from './errors';

describe('username', () => {
  const cases: [string, boolean][] = [
    ['jane.tan', true],
    ['JANE_Tan', true], // lower-cased first
    ['  jane-tan  ', true], // trimmed
    ['abc', true],
    ['ab', false],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['1jane', false],
    ['_jane', false],
    ['jane..tan', false],
    ['jane.tan.', false],
    ['jane-tan-', false],
    ['jane_tan_', true],
    ['jane tan', false],
    ['jane@tan', false],
    ['jané', false],
    ['', false],
  ];
  it.each(cases)('%j valid=%s', (input, valid) => {
    const r = Username.safeParse(input);
    expect(r.success).toBe(valid);
    expect(usernameProblem(input) === undefined).toBe(valid);
    if (!r.success) expect(r.error.issues[0]?.message).toMatch(/username/i);
  });
  it('lower-cases', () => {
    expect(Username.parse(' Jane.Tan ')).toBe('jane.tan');
  });
  it('builds and reads login ids', () => {
    expect(loginIdFor('Jane.Tan')).toBe('jane.tan@techpass.gov.sg');
    expect(usernameFromLoginId('Jane.Tan@TechPass.gov.sg')).toBe('jane.tan');
    expect(usernameFromLoginId('jane.tan')).toBe('jane.tan');
    expect(usernameFromLoginId('jane@accenture.com')).toBeUndefined();
    expect(usernameFromLoginId('a@b@techpass.gov.sg')).toBeUndefined();
  });
  it('E-LOGIN-USE-USERNAME: an address with @ that is not a TechPass ID is refused, a username or TechPass ID is not', () => {
    for (const typed of ['jane.tan', ' Jane.Tan@TechPass.gov.sg ', 'jane.tan@techpass.gov.sg']) {
      expect(isEmailNotTechPassId(typed), typed).toBe(false);
    }
    for (const typed of [
      'jane@accenture.com',
      'jane.tan@techpass.gov.sg.evil.com',
      'a@b@techpass.gov.sg',
      'jane@',
      '@techpass.gov.sg.cn',
    ]) {
      expect(isEmailNotTechPassId(typed), typed).toBe(true);
    }
  });
});

describe('names', () => {
  it.each([
    ['Jane', true],
    ["O'Brien-Smith Jr.", true],
    ['Zoë', true],
    ['李小龍', true],
    ['Nguyễn', true],
    ['', false],
    ['   ', false],
    ['Jane2', false],
    ['Jane<script>', false],
    ['-Jane', false],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
  ])('%j valid=%s', (input, valid) => {
    const r = FirstName.safeParse(input);
    expect(r.success).toBe(valid);
    // The schema is the rule function's: same verdict, and its first issue carries the function's problem.
    expect(firstNameProblem(input) === undefined).toBe(valid);
    const issue = r.error?.issues[0];
    expect(issue && fieldProblemOfIssue(issue)).toEqual(firstNameProblem(input));
  });
  it('a missing name reads like a blank one', () => {
    expect(FirstName.safeParse(undefined).error?.issues[0]?.message).toBe('first_name.required');
    expect(firstNameProblem('  ')).toEqual({ code: 'first_name.required' });
  });
});

describe('mobile', () => {
  it.each([
    ['+6591234567', '+6591234567'],
    ['+65 9123 4567', '+6591234567'],
    ['+86 138-1234-5678', '+8613812345678'],
    ['+1 (415) 555-2671', '+14155552671'],
  ])('%j → %s', (input, out) => {
    expect(Mobile.parse(input)).toBe(out);
  });
  it.each(['91234567', '+0123456789', '+65123', '+1234567890123456', 'abc', ''])('%j is rejected', (input) => {
    const r = Mobile.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.message).toMatch(/^mobile\.(invalid|required)$/);
  });
  it('SG and China helpers', () => {
    expect(SG_MOBILE_RE.test('+6581234567')).toBe(true);
    expect(SG_MOBILE_RE.test('+6561234567')).toBe(false);
    expect(E164_RE.test('+6561234567')).toBe(true);
    expect(isChinaMobile('+86 13812345678')).toBe(true);
    expect(isChinaMobile('+6591234567')).toBe(false);
  });
});

describe('email', () => {
  const kinds: [string, EmailKind][] = [
    ['jane@accenture.com', 'organisation'],
    ['jane@ACCENTURE.COM', 'organisation'],
    ['jane_tan@tech.gov.sg', 'government'],
    ['jane_from.acme@tech.gov.sg', 'government'],
    ['jane@cpf.gov.sg', 'government'],
    ['jane@moe.gov.sg', 'moe'],
    ['jane@schools.gov.sg', 'moe'],
    ['jane@litemail.gov.sg', 'litemail'],
    ['jane@mindef.gov.sg', 'q3'],
    ['jane@dsta.gov.sg', 'q3'],
    ['jane@dsta-wog.gov.sg', 'q3'],
    ['jane@defence.gov.sg', 'q3'],
    ['jane@gebiz.gov.sg', 'q3'],
    ['jane@sps.gov.sg', 'q3'],
    ['jane@gmail.com', 'personal'],
    ['jane@yahoo.com.sg', 'personal'],
    ['jane@hotmail.co.uk', 'personal'],
    ['jane@outlook.com', 'personal'],
    ['jane@live.com', 'personal'],
    ['jane@icloud.com', 'personal'],
    ['jane@qq.com', 'personal'],
    ['jane@163.com', 'personal'],
    ['jane@proton.me', 'personal'],
    ['jane@protonmail.com', 'personal'],
    ['jane@gmailcompany.com', 'organisation'],
    ['not-an-email', 'invalid'],
    ['jane@', 'invalid'],
    ['jane@localhost', 'invalid'],
    ['jane..tan@acme.com', 'invalid'],
    [`${'a'.repeat(65)}@acme.com`, 'invalid'],
    [`${'a'.repeat(60)}@${'b'.repeat(49)}.com`, 'invalid'], // 114 chars
    [`${'a'.repeat(60)}@${'b'.repeat(48)}.com`, 'organisation'], // 113 chars
  ];
  it.each(kinds)('%s → %s', (email, kind) => {
    expect(classifyEmail(email).kind).toBe(kind);
  });
  it('flags _from. vendor addresses', () => {
    expect(classifyEmail('jane_from.acme@tech.gov.sg').fromVendor).toBe(true);
    expect(classifyEmail('jane@tech.gov.sg').fromVendor).toBe(false);
  });
  it('uses configurable lists', () => {
    const lists = { ...DEFAULT_EMAIL_LISTS, personalDomains: ['example-mail.com'], personalPrefixes: [] };
    expect(classifyEmail('x@example-mail.com', lists).kind).toBe('personal');
    expect(classifyEmail('x@gmail.com', lists).kind).toBe('organisation');
  });
  it('format helpers', () => {
    expect(looksLikeEmail('a.b@c.io')).toBe(true);
    expect(looksLikeEmail('a b@c.io')).toBe(false);
    expect(emailFormatProblem('')).toEqual({ code: 'email.required' });
    expect(emailFormatProblem(`${'a'.repeat(65)}@acme.com`)).toEqual({
      code: 'email.local_part_too_long',
      params: { max: 64 },
    });
    expect(isGovernmentEmail('x@tech.gov.sg')).toBe(true);
    expect(isGovernmentEmail('x@tech.gov.sg.evil.com')).toBe(false);
    expect(isGovernmentEmail('x@gov.sg.com')).toBe(false);
  });
  it('OrgEmail rejects personal and LiteMail, each with its own code', () => {
    expect(OrgEmail.parse(' Jane@Accenture.com ')).toBe('jane@accenture.com');
    const personal = OrgEmail.safeParse('jane@gmail.com');
    expect(personal.success).toBe(false);
    expect(personal.error?.issues[0]?.message).toBe('email.personal_not_allowed');
    expect(OrgEmail.safeParse('jane@litemail.gov.sg').error?.issues[0]?.message).toBe('email.litemail_not_allowed');
  });
  it('GovernmentEmail needs *.gov.sg', () => {
    expect(GovernmentEmail.parse('PM@Tech.gov.sg')).toBe('pm@tech.gov.sg');
    expect(GovernmentEmail.safeParse('pm@accenture.com').success).toBe(false);
    expect(GovernmentEmail.safeParse('pm@litemail.gov.sg').success).toBe(false);
  });
});

describe('requiredRegistrationFields', () => {
  const base = ['username', 'firstName', 'lastName', 'mobile', 'department'];
  it.each([
    [{ businessOperation: 'onshore', odc: null, passwordDelivery: 'sms' }, base],
    [{ businessOperation: 'onshore', odc: null, passwordDelivery: 'self_set' }, [...base, 'password']],
    [{ businessOperation: 'offshore', odc: 'ODC-Bangalore', passwordDelivery: 'sms' }, base],
    [
      { businessOperation: 'offshore', odc: 'Others', passwordDelivery: 'sms' },
      [...base, 'offshoreReportingOfficer', 'offshoreCompanyAddress'],
    ],
    [
      { businessOperation: 'offshore', odc: 'Others', passwordDelivery: 'self_set' },
      [...base, 'password', 'offshoreReportingOfficer', 'offshoreCompanyAddress'],
    ],
    [{ businessOperation: 'onshore', odc: 'Others', passwordDelivery: 'sms' }, base],
  ] as const)('%j', (inv, fields) => {
    expect(requiredRegistrationFields(inv)).toEqual(fields);
  });
});

describe('registrationBodyFor', () => {
  const body = { username: 'jane.tan', firstName: 'Jane', lastName: 'Tan', mobile: '+65 9123 4567', department: 'Eng' };
  it('accepts a complete onshore sms body and normalises it', () => {
    const r = registrationBodyFor({ businessOperation: 'onshore', passwordDelivery: 'sms' }).parse(body);
    expect(r.mobile).toBe('+6591234567');
  });
  it('requires the password for self_set and refuses it for sms', () => {
    const selfSet = registrationBodyFor({ businessOperation: 'onshore', passwordDelivery: 'self_set' });
    expect(selfSet.safeParse(body).error?.issues.map((i) => i.path.join('.'))).toEqual(['password']);
    const sms = registrationBodyFor({ businessOperation: 'onshore', passwordDelivery: 'sms' });
    expect(sms.safeParse({ ...body, password: 'x' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['password']);
  });
  it('requires offshore fields for offshore + Others', () => {
    const schema = registrationBodyFor({ businessOperation: 'offshore', odc: 'Others', passwordDelivery: 'sms' });
    const missing = schema.safeParse(body);
    expect(missing.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'offshoreCompanyAddress',
      'offshoreReportingOfficer',
    ]);
    expect(missing.error?.issues[0]?.message).toBe('offshore.fields_required');
    const ok = schema.safeParse({
      ...body,
      offshoreReportingOfficer: { name: 'Raj Kumar', email: 'raj@acme.in' },
      offshoreCompanyAddress: '1 Road, Bangalore',
    });
    expect(ok.success).toBe(true);
    const badRo = schema.safeParse({
      ...body,
      offshoreReportingOfficer: { name: 'Raj', email: 'raj@gmail.com' },
      offshoreCompanyAddress: 'x',
    });
    expect(badRo.error?.issues[0]?.path.join('.')).toBe('offshoreReportingOfficer.email');
  });
  it('rejects unknown fields', () => {
    const r = registrationBodyFor({ businessOperation: 'onshore', passwordDelivery: 'sms' }).safeParse({
      ...body,
      extra: 1,
    });
    expect(r.success).toBe(false);
  });
});

describe('masking', () => {
  it.each([
    ['jane.tan@agency.gov.sg', 'ja******@agency.gov.sg'],
    ['jo@acme.com', 'j***@acme.com'],
    ['a@b.co', 'a***@b.co'],
    ['nonsense', '***'],
  ])('maskEmail(%s) = %s', (input, out) => {
    expect(maskEmail(input)).toBe(out);
  });
  it.each([
    ['+6591234567', '+65****4567'],
    ['+86 138 1234 5678', '+86*******5678'],
    ['123', '****'],
  ])('maskPhone(%s) = %s', (input, out) => {
    expect(maskPhone(input)).toBe(out);
  });
});
