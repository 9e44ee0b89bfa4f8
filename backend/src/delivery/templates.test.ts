import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES, type Locale } from '../../../shared/domain/locale';
import { generateInitialPassword } from '../../../shared/domain/password-policy';
import { smsSegments } from './sms-segments';
import type { Catalogue } from './templates/catalogue';
import { en } from './templates/en';
import { zhCN } from './templates/zh-CN';
import {
  formatSgt,
  registrationDeepLink,
  renderTemplate,
  secretKeys,
  TEMPLATE_IDS,
  templateChannel,
  TemplateError,
  type TemplateId,
} from './templates';
import { REDACTED, redactedPreview } from './worker';

const LOGIN = 'jane.tan@techpass.gov.sg';

/** Realistic variables for every template (the ones the services pass). */
const samples: Record<TemplateId, Record<string, unknown>> = {
  'N-REG-LINK': {
    token: 'AbC_-123xyz',
    registrationUrl: 'https://onboard.techpass.example/register/AbC_-123xyz',
    expiresAt: '2026-12-05T02:00:00.000Z',
    inviterEmail: 'pm@tech.gov.sg',
  },
  'N-REG-RESULT': {
    outcome: 'registered',
    inviteeEmail: 'jane@acme.com',
    at: '2026-12-01T02:00:00Z',
    username: 'jane.tan',
  },
  'N-REG-UNDELIVERED': { inviteeEmail: 'jane@acme.com', at: '2026-12-01T02:00:00Z', reason: 'rejected' },
  'N-ONBOARD': { username: 'jane.tan', loginId: LOGIN, activateBy: '2026-12-31T02:00:00Z' },
  'N-INITPWD': { password: 'Xy7!pQr2-Zk9mA', loginId: LOGIN },
  'N-SEED-INVITE': { loginId: LOGIN, expiresAt: '2026-12-31T02:00:00Z' },
  'N-REMIND-TERM-PENDING': { loginId: LOGIN, deadline: '2026-12-31T02:00:00Z' },
  'N-REMIND-DISABLE': { loginId: LOGIN, deadline: '2026-12-31T02:00:00Z' },
  'N-REMIND-TERM': { loginId: LOGIN, deadline: '2026-12-31T02:00:00Z' },
  'N-STATUS': {
    loginId: LOGIN,
    status: 'disabled',
    at: '2026-12-31T02:00:00Z',
    source: 'scheduled-job',
    reason: 'inactive-disable',
  },
  'N-SEED-REVOKED': { loginId: LOGIN, at: '2026-12-31T02:00:00Z' },
  'N-PWD-EXPIRY': { loginId: LOGIN, expiresAt: '2026-12-31T02:00:00Z' },
  'N-PWD-RESET-CODE': { code: '048213' },
  'N-PHONE-CODE': { code: '913370' },
  'N-PWD-RESET-LINK': {
    loginId: LOGIN,
    resetUrl: 'https://onboard.techpass.example/reset/tok',
    expiresAt: '2026-12-01T04:00:00Z',
    ticket: 'SR-1234',
  },
  'N-DUP-REG': { loginId: LOGIN },
  'N-PWD-CHANGED': { loginId: LOGIN, at: '2026-12-01T02:00:00Z', via: 'reset' },
};

/** Every variant a template words differently (enums and optional parts), so each wording is rendered and checked. */
const variants: [TemplateId, Record<string, unknown>][] = [
  ...TEMPLATE_IDS.map((id): [TemplateId, Record<string, unknown>] => [id, samples[id]]),
  ['N-REG-LINK', { ...samples['N-REG-LINK'], inviterEmail: undefined }],
  ['N-REG-RESULT', { ...samples['N-REG-RESULT'], outcome: 'expired' }],
  ['N-REG-UNDELIVERED', { ...samples['N-REG-UNDELIVERED'], reason: 'failed' }],
  ['N-INITPWD', { password: 'Xy7!pQr2-Zk9mA' }],
  ['N-SEED-INVITE', { loginId: 'jane@tech.gov.sg', expiresAt: '2026-12-31T02:00:00Z' }],
  ...(['enabled', 'disabled', 'terminated', 'deleted'] as const).flatMap((status) =>
    (['user', 'scheduled-job', 'cam', 'admin', 'support', undefined] as const).map(
      (source): [TemplateId, Record<string, unknown>] => [
        'N-STATUS',
        {
          loginId: LOGIN,
          status,
          at: '2026-12-31T02:00:00Z',
          source,
          reason: status === 'enabled' ? 'administrator' : 'not-activated',
        },
      ],
    ),
  ),
  ...(['inactive-terminate', 'administrator', undefined] as const).map(
    (reason): [TemplateId, Record<string, unknown>] => [
      'N-STATUS',
      { loginId: LOGIN, status: 'terminated', at: '2026-12-31T02:00:00Z', reason },
    ],
  ),
  ['N-SEED-REVOKED', { loginId: LOGIN }],
  ['N-PWD-RESET-LINK', { ...samples['N-PWD-RESET-LINK'], ticket: undefined }],
  ...(['change', 'support-link', 'initial-password'] as const).map((via): [TemplateId, Record<string, unknown>] => [
    'N-PWD-CHANGED',
    { ...samples['N-PWD-CHANGED'], via },
  ]),
];

/** The longest variables an SMS can carry: a 64-character username (the maximum) and a generated initial password. */
const LONGEST_LOGIN_ID = `${'j'.repeat(64)}@techpass.gov.sg`;
const seq = (() => {
  let n = 0;
  return (max: number) => (n++ * 7919) % max;
})();
const longestSms: Record<TemplateId & ('N-INITPWD' | 'N-PWD-RESET-CODE' | 'N-PHONE-CODE'), Record<string, unknown>[]> =
  {
    'N-INITPWD': [
      { password: generateInitialPassword(seq), loginId: LONGEST_LOGIN_ID },
      { password: generateInitialPassword(seq), loginId: LOGIN },
      { password: generateInitialPassword(seq) },
    ],
    'N-PWD-RESET-CODE': [{ code: '999999' }],
    'N-PHONE-CODE': [{ code: '999999' }],
  };

const LEFTOVER = /\$\{|\{\{?\s*[A-Za-z]+\s*\}?\}|\bundefined\b|\bnull\b|\bNaN\b|Invalid Date|\[object Object\]/;
const HAN = /\p{Script=Han}/gu;
/** Latin text a Chinese message may carry: names, identifiers, links, and the portal's own (English) button label. */
const ALLOWED_LATIN = [
  /https?:\/\/\S+/g,
  /techpass-onboarding:\/\/\S+/g,
  /[\w.+-]*@[\w.-]+/g,
  /"Request for SEED"|“Request for SEED”/g,
  /TechPass (Onboarding|Portal|ID)/g,
  /TechPass|SEED|PM\/RO|SR-\d+/g,
];

function allText(r: { subject?: string; body: string }): string {
  return `${r.subject ?? ''}\n${r.body}`;
}

describe('templates', () => {
  it('covers every notification code the backend sends, in every supported language', () => {
    expect([...TEMPLATE_IDS].sort()).toEqual(Object.keys(samples).sort());
    const catalogues: Record<Locale, Catalogue> = { en, 'zh-CN': zhCN };
    for (const locale of SUPPORTED_LOCALES) {
      expect(catalogues[locale].locale).toBe(locale);
      expect(Object.keys(catalogues[locale].templates).sort()).toEqual([...TEMPLATE_IDS].sort());
    }
  });

  it('a catalogue missing a template, or using a variable the template lacks, does not typecheck', () => {
    const { 'N-PHONE-CODE': dropped, ...rest } = en.templates;
    // @ts-expect-error every catalogue must have every template
    const incomplete: Catalogue['templates'] = rest;
    const unknownVariable: Catalogue['templates']['N-PHONE-CODE'] = (d) => ({
      // @ts-expect-error N-PHONE-CODE has no variable `pin`
      body: `${d.pin}`,
    });
    expect([dropped, incomplete, unknownVariable]).toHaveLength(3);
  });

  describe.each(SUPPORTED_LOCALES)('in %s', (locale) => {
    it.each(variants.map(([id, data], i) => [`${id} #${i}`, id, data] as const))(
      '%s renders completely',
      (_name, id, data) => {
        const r = renderTemplate(id, data, locale);
        expect(r.body.length).toBeGreaterThan(20);
        if (templateChannel(id) === 'email') expect(r.subject).toBeTruthy();
        else expect(r.subject).toBeUndefined();
        expect(allText(r)).not.toMatch(LEFTOVER);
        // Every identifier, code or link the English text shows, this language shows too (a dropped code would pass
        // unseen). Plain words (enum values such as `disabled`) are worded, not shown.
        const english = allText(renderTemplate(id, data, 'en'));
        for (const [key, value] of Object.entries(data)) {
          if (typeof value === 'string' && /[^a-z-]/.test(value) && english.includes(value))
            expect(allText(r), `${id}.${key}`).toContain(value);
        }
      },
    );

    it.each(TEMPLATE_IDS.filter((id) => secretKeys(id).length > 0))(
      '%s: after delivery the redacted copy keeps no secret',
      (id) => {
        const data = samples[id];
        const r = renderTemplate(id, data, locale);
        const kept = redactedPreview({ template: id, body: r.body, data });
        for (const k of secretKeys(id).filter((key) => data[key] !== undefined)) {
          expect(r.body).toContain(String(data[k]));
          expect(kept).not.toContain(String(data[k]));
        }
        expect(kept).toContain(REDACTED);
      },
    );

    it('dates are in the reader’s language with the time zone named', () => {
      const body = renderTemplate('N-REG-LINK', samples['N-REG-LINK'], locale).body;
      if (locale === 'en') expect(body).toMatch(/Sat,? 5 Dec 2026,? 10:00 SGT/);
      else expect(body).toMatch(/2026年12月5日.*新加坡时间.*10:00/);
    });
  });

  it.each(variants.map(([id, data], i) => [`${id} #${i}`, id, data] as const))(
    '%s in zh-CN is Chinese, with Latin only for names, IDs and links',
    (_name, id, data) => {
      const text = allText(renderTemplate(id, data, 'zh-CN'));
      expect(text.match(HAN)?.length ?? 0).toBeGreaterThanOrEqual(12);
      // The invitation's pointer line for English readers is English on purpose.
      let rest = id === 'N-REG-LINK' ? text.replace(en.otherLanguagePointer, '') : text;
      for (const re of ALLOWED_LATIN) rest = rest.replace(re, ' ');
      for (const v of Object.values(data)) if (typeof v === 'string') rest = rest.split(v).join(' ');
      expect(rest, 'an English phrase is left in the Chinese text').not.toMatch(/[A-Za-z]{2,}[\s,.'’-]+[A-Za-z]{2,}/);
    },
  );

  it.each(variants.filter(([id]) => id !== 'N-REG-LINK').map(([id, data], i) => [`${id} #${i}`, id, data] as const))(
    '%s in English has no Chinese',
    (_name, id, data) => {
      expect(allText(renderTemplate(id, data, 'en'))).not.toMatch(HAN);
    },
  );

  it('the invitation (sent before the invitee chose) is English with a short Chinese line pointing to the app', () => {
    const body = renderTemplate('N-REG-LINK', samples['N-REG-LINK'], 'en').body;
    const [first, ...restLines] = body.split('\n');
    expect(first).toBe(zhCN.otherLanguagePointer);
    expect(first).toMatch(/中文/);
    expect(first).toContain('TechPass Onboarding');
    expect(first!.length).toBeLessThanOrEqual(60);
    expect(restLines.join('\n')).not.toMatch(HAN);
    expect(body).toContain('You have been invited to TechPass by pm@tech.gov.sg.');
    // And the other way round: a Chinese invitation points English readers to the English app.
    expect(renderTemplate('N-REG-LINK', samples['N-REG-LINK'], 'zh-CN').body.split('\n')[0]).toBe(
      en.otherLanguagePointer,
    );
  });

  describe('SMS length with the longest realistic variables', () => {
    const cases = Object.entries(longestSms).flatMap(([id, list]) =>
      list.map((data, i) => [`${id} #${i}`, id as TemplateId, data] as const),
    );
    it.each(cases)('%s: English is one GSM-7 segment (≤ 160)', (_name, id, data) => {
      const s = smsSegments(renderTemplate(id, data, 'en').body);
      expect(s.encoding).toBe('GSM-7');
      expect(s.units).toBeLessThanOrEqual(160);
      expect(s.segments).toBe(1);
    });
    it.each(cases)('%s: Chinese is one UCS-2 segment (≤ 70)', (_name, id, data) => {
      const s = smsSegments(renderTemplate(id, data, 'zh-CN').body);
      expect(s.encoding).toBe('UCS-2');
      expect(s.units).toBeLessThanOrEqual(70);
      expect(s.segments).toBe(1);
    });
    it('covers every SMS template', () => {
      expect(Object.keys(longestSms).sort()).toEqual(TEMPLATE_IDS.filter((id) => templateChannel(id) === 'sms').sort());
    });
    it('N-INITPWD names the TechPass ID when it fits and leaves it out when it would not', () => {
      expect(renderTemplate('N-INITPWD', { password: 'Xy7!pQr2-Zk9mA', loginId: LOGIN }, 'en').body).toContain(LOGIN);
      expect(
        renderTemplate('N-INITPWD', { password: 'Xy7!pQr2-Zk9mA', loginId: 'jane@techpass.gov.sg' }, 'zh-CN').body,
      ).toContain('jane@techpass.gov.sg');
      for (const locale of SUPPORTED_LOCALES) {
        const body = renderTemplate(
          'N-INITPWD',
          { password: 'Xy7!pQr2-Zk9mA', loginId: LONGEST_LOGIN_ID },
          locale,
        ).body;
        expect(body).not.toContain(LONGEST_LOGIN_ID);
        expect(body).toContain('Xy7!pQr2-Zk9mA');
      }
    });
  });

  it.each(TEMPLATE_IDS.filter((id) => Object.keys(samples[id]).length > 0))(
    '%s refuses missing data, naming the fields only',
    (id) => {
      for (const locale of SUPPORTED_LOCALES) {
        expect(() => renderTemplate(id, {}, locale)).toThrow(new RegExp(`^Template ${id} needs valid data for: `));
        expect(() => renderTemplate(id, {}, locale)).toThrow(TemplateError);
      }
    },
  );

  it('refuses a date that is not one, instead of printing it', () => {
    expect(() => renderTemplate('N-PWD-EXPIRY', { loginId: LOGIN, expiresAt: 'soon' }, 'en')).toThrow(/expiresAt/);
  });

  it('N-REG-LINK carries the https link, the deep link and the expiry', () => {
    const r = renderTemplate('N-REG-LINK', samples['N-REG-LINK'], 'en');
    expect(r.body).toContain('https://onboard.techpass.example/register/AbC_-123xyz');
    expect(r.body).toContain('techpass-onboarding://register?token=AbC_-123xyz');
    expect(r.body).toMatch(/Sat,? 5 Dec 2026,? 10:00 SGT/);
    expect(r.body).toContain('pm@tech.gov.sg');
  });

  it('N-ONBOARD says to log in with the username, not the email, and to check junk folders', () => {
    const r = renderTemplate('N-ONBOARD', samples['N-ONBOARD'], 'en');
    expect(r.body).toContain('Username: jane.tan');
    expect(r.body).toContain(`TechPass ID: ${LOGIN}`);
    expect(r.body).toMatch(/not with your email address/);
    expect(r.body).toMatch(/junk, spam, deleted items and archive/);
    const zh = renderTemplate('N-ONBOARD', samples['N-ONBOARD'], 'zh-CN');
    expect(zh.body).toContain('用户名：jane.tan');
    expect(zh.body).toMatch(/不要使用您的电子邮件地址/);
    expect(zh.body).toMatch(/身份验证器/);
  });

  it('SMS templates carry the secret', () => {
    for (const locale of SUPPORTED_LOCALES) {
      expect(renderTemplate('N-INITPWD', samples['N-INITPWD'], locale).body).toContain('Xy7!pQr2-Zk9mA');
      expect(renderTemplate('N-PWD-RESET-CODE', samples['N-PWD-RESET-CODE'], locale).body).toMatch(/^048213 /);
      expect(renderTemplate('N-PHONE-CODE', samples['N-PHONE-CODE'], locale).body).toMatch(/^913370 /);
    }
    expect(renderTemplate('N-PHONE-CODE', samples['N-PHONE-CODE'], 'zh-CN').body).toMatch(/验证码/);
    expect(renderTemplate('N-INITPWD', samples['N-INITPWD'], 'zh-CN').body).toMatch(/初始密码/);
    expect(() => renderTemplate('N-PHONE-CODE', { code: '12345' }, 'en')).toThrow(/code/);
  });

  it('N-SEED-INVITE names the expiry, the persona and the links (A23)', () => {
    const vendor = renderTemplate('N-SEED-INVITE', samples['N-SEED-INVITE'], 'en').body;
    expect(vendor).toMatch(/Thu,? 31 Dec 2026,? 10:00 SGT/);
    expect(vendor).toMatch(/vendor/);
    expect(vendor).toMatch(/prerequisites/i);
    expect(vendor).toMatch(/device check in the TechPass Onboarding app/);
    expect(vendor).not.toMatch(/techpass-onboarding:\/\//); // the desktop accepts only register links
    expect(
      renderTemplate('N-SEED-INVITE', { loginId: 'jane@tech.gov.sg', expiresAt: '2026-12-31T02:00:00Z' }, 'en').body,
    ).toMatch(/public officer/);
    expect(renderTemplate('N-SEED-INVITE', samples['N-SEED-INVITE'], 'zh-CN').body).toMatch(/供应商/);
    expect(
      renderTemplate('N-SEED-INVITE', { loginId: 'jane@tech.gov.sg', expiresAt: '2026-12-31T02:00:00Z' }, 'zh-CN').body,
    ).toMatch(/公职人员/);
  });

  it.each([
    ['registered', /accepted/, /No action is needed/],
    ['expired', /expired/, /send a new invitation/],
  ] as const)('N-REG-RESULT %s', (outcome, subject, body) => {
    const r = renderTemplate('N-REG-RESULT', { ...samples['N-REG-RESULT'], outcome }, 'en');
    expect(r.subject).toMatch(subject);
    expect(r.body).toMatch(body);
  });

  it.each([
    ['enabled', /Sign in within 5 days/, /5 天内登录/],
    ['disabled', /service request/, /服务请求/],
    ['terminated', /cannot be recovered/, /无法恢复/],
    ['deleted', /deleted/, /已被删除/],
  ] as const)('N-STATUS %s says what to do and links the FAQ', (status, next, zhNext) => {
    const r = renderTemplate(
      'N-STATUS',
      { loginId: 'a@techpass.gov.sg', status, at: new Date('2026-01-01T00:00:00Z') },
      'en',
    );
    expect(r.body).toMatch(next);
    expect(r.body).toMatch(/Accounts FAQ: https:\/\//);
    expect(r.body).toMatch(/Thu,? 1 Jan 2026,? 08:00 SGT/);
    const zh = renderTemplate(
      'N-STATUS',
      { loginId: 'a@techpass.gov.sg', status, at: new Date('2026-01-01T00:00:00Z') },
      'zh-CN',
    );
    expect(zh.body).toMatch(zhNext);
    expect(zh.body).toMatch(/账号常见问题：https:\/\//);
  });

  it('N-STATUS words each reason code the way the rules and administrators meant it', () => {
    const body = (reason: string, status = 'terminated', locale: Locale = 'en') =>
      renderTemplate('N-STATUS', { loginId: LOGIN, status, at: '2026-12-31T02:00:00Z', reason }, locale).body;
    expect(body('not-activated')).toContain('(not activated within 30 days)');
    expect(body('inactive-disable', 'disabled')).toContain('(no sign-in for 90 days)');
    expect(body('inactive-terminate')).toContain('(no sign-in for 180 days)');
    expect(body('administrator', 'enabled')).toContain('(re-enabled by an administrator)');
    expect(body('administrator', 'disabled')).toContain('(disabled by an administrator)');
    expect(body('inactive-disable', 'disabled', 'zh-CN')).toContain('（90 天未登录）');
    expect(() => body('no sign-in for 90 days')).toThrow(/reason/);
  });

  it('N-PWD-RESET-LINK (§5.2) has the ticket and the one-time link', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const r = renderTemplate('N-PWD-RESET-LINK', samples['N-PWD-RESET-LINK'], locale);
      expect(r.body).toContain('SR-1234');
      expect(r.body).toContain('https://onboard.techpass.example/reset/tok');
    }
  });

  it('lists secret keys and channels', () => {
    expect(secretKeys('N-INITPWD')).toEqual(['password']);
    expect(secretKeys('N-REG-LINK')).toEqual(['token', 'registrationUrl']);
    expect(templateChannel('N-PHONE-CODE')).toBe('sms');
    expect(templateChannel('N-ONBOARD')).toBe('email');
  });

  it('rejects unknown templates and formats helpers', () => {
    expect(() => renderTemplate('N-NOPE', {}, 'en')).toThrow(/Unknown message template N-NOPE/);
    expect(formatSgt('2026-03-01T16:30:00Z')).toBe('Mon 2 Mar 2026, 00:30 SGT');
    expect(registrationDeepLink('a+b/c')).toBe('techpass-onboarding://register?token=a%2Bb%2Fc');
  });
});
