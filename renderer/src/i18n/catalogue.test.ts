import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { compileCatalogue, pseudoText } from './compile';
import { fieldProblemText, format, loadLocale, t, type AnyLocale } from '.';
import { BRIDGE_ERROR_REASONS, ERROR_CODES } from '../../../shared/domain/errors';
import { FIELD_PROBLEM_CODES } from '../../../shared/domain/field-problems';
import { en, type Messages } from './locales/en';
import { zhCN } from './locales/zh-CN';

const SRC = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx$/.test(name) && !/\.test\.tsx$/.test(name) && name !== 'test-utils.tsx' ? [path] : [];
  });
}

function tsSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsSources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !['test-setup.ts', 'test-utils.ts'].includes(name)
      ? [path]
      : [];
  });
}

describe('message catalogue', () => {
  it('components hold no user-visible text of their own (JSX text or text attributes)', () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const code = readFileSync(file, 'utf8');
      // Text between tags that contains a letter, outside {…} expressions.
      for (const m of code.matchAll(/>\s*([^<>{}\n]*[A-Za-z][^<>{}\n]*)\s*</g)) {
        const text = (m[1] ?? '').trim();
        // TypeScript generics (`f<T>(…) ?? g<U>`) look like tags: code operators in the "text" give them away.
        const isCode = /=>|&&|\?\?|\|\||document\.|\breturn\b/.test(text);
        if (
          text &&
          !isCode &&
          !/^[=&|(),.;:?!\s]*$/.test(text) &&
          !/=>|&&|\?\?/.test(code.slice(Math.max(0, (m.index ?? 0) - 2), (m.index ?? 0) + 1))
        ) {
          offenders.push(`${relative(SRC, file)}: ${text}`);
        }
      }
      for (const m of code.matchAll(/\b(aria-label|alt|title|placeholder)="([^"]*[A-Za-z][^"]*)"/g)) {
        offenders.push(`${relative(SRC, file)}: ${m[1]}="${m[2]}"`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no screen shows what the host or the service wrote as a sentence: errors are shown by their code', () => {
    // A BridgeError has no sentence to show (it is a code with typed parameters); the screens word each code, its
    // reason and each field's problem (a code with parameters from the shared rules, the host or the service).
    const offenders: string[] = [];
    for (const file of sources(SRC).concat(tsSources(SRC))) {
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/[\w?.\]]+\.message\b/g)) {
        const allowed = /bridge\.ts$|wizard\.store\.ts$/.test(file);
        if (!allowed) offenders.push(`${relative(SRC, file)}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it.each(['en', 'zh-CN', 'en-XA'] as AnyLocale[])(
    '%s words every field problem code and every error code',
    async (locale) => {
      await loadLocale(locale);
      try {
        const missing: string[] = [];
        const fields = t.fieldProblems as Readonly<Record<string, unknown>>;
        for (const code of FIELD_PROBLEM_CODES) if (fields[code] === undefined) missing.push(`fieldProblems.${code}`);
        const errors = t.errors.codes as Readonly<Record<string, { what?: unknown; next?: unknown }>>;
        for (const code of ERROR_CODES)
          if (!errors[code]?.what || !errors[code]?.next) missing.push(`errors.codes.${code}`);
        // A host error's reason (a TLS certificate's problem, a proxy that failed, a link problem) is worded too.
        const reasons = t.errors.reasons as Readonly<Record<string, unknown>>;
        for (const reason of BRIDGE_ERROR_REASONS)
          if (typeof reasons[reason] !== 'string' || !reasons[reason]) missing.push(`errors.reasons.${reason}`);
        expect(missing).toEqual([]);
        // And each wording fills without an error, whatever parameters its code takes.
        const params = {
          min: 3,
          max: 64,
          country: 'CN',
          callingCode: '86',
          example: '131 2345 6789',
          digits: 11,
          others: 'Others',
          row: 2,
          principal: 'pm@tech.gov.sg',
          rules: 'length',
        };
        for (const code of FIELD_PROBLEM_CODES) {
          const text = fieldProblemText({ code, params });
          expect(text, code).not.toMatch(/[{}]/);
          expect(text.length, code).toBeGreaterThan(3);
        }
      } finally {
        await loadLocale('en');
      }
    },
  );

  it('a field problem is worded in the active language, its country by name and the digit count said after', async () => {
    const problem = {
      code: 'mobile.invalid_for_country',
      params: { country: 'CN', callingCode: '86', example: '131 2345 6789', digits: 11, entered: 10 },
    } as const;
    expect(fieldProblemText(problem)).toBe(
      'This is not a valid mobile number for China (+86). Mobile numbers there look like 131 2345 6789 (11 digits after the country code +86). You entered 10.',
    );
    await loadLocale('zh-CN');
    try {
      expect(fieldProblemText(problem)).toBe(
        '这不是有效的中国（+86）手机号码。当地手机号码格式如 131 2345 6789（国家/地区代码 +86 之后共 11 位数字）。您输入了 10 位。',
      );
      expect(fieldProblemText({ code: 'name.too_long', params: { max: 64 } })).toBe('请将姓名缩短到 64 个字符以内。');
    } finally {
      await loadLocale('en');
    }
  });

  it('fills placeholders and plurals through the compiled catalogue', () => {
    expect(format(t.accountCreated.emailSent, { to: 'x' })).toBe('We sent your onboarding email to x.');
    expect(format(t.phone.resendIn, { seconds: 1 })).toBe('You can ask for a new code in 1 second.');
    expect(format(t.phone.resendIn, { seconds: 30 })).toBe('You can ask for a new code in 30 seconds.');
    expect(format(t.done.deviceBlocked, { count: 2 })).toMatch(/^The device check found 2 problems/);
  });

  it('every locale has every key of the English catalogue, no other, and the same placeholders', () => {
    expect(() => compileCatalogue('zh-CN', zhCN, en)).not.toThrow();
    const missing = structuredClone(zhCN) as unknown as { register: Record<string, unknown> };
    delete missing.register.usernameHint;
    expect(() => compileCatalogue('zh-CN', missing as unknown as Messages, en)).toThrow(
      'zh-CN: register.usernameHint is missing',
    );
    const renamed = { ...zhCN, phone: { ...zhCN.phone, sentTo: '已发送至 {number}。' } };
    expect(() => compileCatalogue('zh-CN', renamed, en)).toThrow(/phone\.sentTo uses \{number\}/);
  });

  it('plain English messages compile to exactly their text (no ICU escape swallowed an apostrophe)', () => {
    const walk = (src: unknown, out: unknown, path: string): void => {
      if (typeof src === 'string') {
        if (typeof out === 'string') expect(out, path).toBe(src);
        return;
      }
      for (const [k, v] of Object.entries(src as object)) walk(v, (out as Record<string, unknown>)[k], `${path}.${k}`);
    };
    walk(en, compileCatalogue('en', en, en).tree, 'en');
  });

  it('the compiled catalogues the app ships are up to date with the sources', () => {
    execFileSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '../../../scripts/i18n/compile-catalogues.ts'), '--check'],
      {
        stdio: 'pipe',
      },
    );
  });

  it('Chinese catalogue: Chinese text in every message (nothing left in English)', async () => {
    await loadLocale('zh-CN');
    try {
      const english: string[] = [];
      const walk = (node: unknown, path: string): void => {
        if (typeof node === 'string') {
          // Brand and product names, formats and codes that stay as they are.
          const rest = node.replace(
            /TechPass|SEED|Microsoft|Authenticator|Google|macOS|Windows|HTML|JSON|https?:\/\/\S+|[\w.-]+@[\w.-]+|\b[A-Z]{2,}\b/g,
            '',
          );
          if (/[A-Za-z]{3,}/.test(rest) && !/[\u4e00-\u9fff]/.test(node)) english.push(`${path}: ${node}`);
          return;
        }
        if (node && typeof node === 'object' && !('id' in node)) {
          for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
        }
      };
      walk(t, 'zh-CN');
      expect(english).toEqual([]);
      expect(format(t.phone.resendIn, { seconds: 30 })).toBe('30 秒后可以重新获取验证码。');
      expect(document.documentElement.lang).toBe('zh-CN');
    } finally {
      await loadLocale('en');
    }
  });

  it('pseudo-locale: accented, about 40 % longer, bracketed, placeholders intact', async () => {
    expect(pseudoText('Sign in')).toMatch(/^Šíĝñ íñ \S+/);
    expect(pseudoText('Sign in').length).toBeGreaterThanOrEqual(Math.ceil('Sign in'.length * 1.3));
    await loadLocale('en-XA');
    try {
      expect(t.signIn.submit).toMatch(/^\[Šíĝñ íñ .*\]$/);
      expect(format(t.accountCreated.emailSent, { to: 'x@example.com' })).toMatch(/^\[.*x@example\.com.*\]$/);
    } finally {
      await loadLocale('en');
    }
  });
});
