import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en, format } from './en';

const SRC = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx$/.test(name) && !/\.test\.tsx$/.test(name) && name !== 'test-utils.tsx' ? [path] : [];
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
        if (text && !isCode && !/^[=&|(),.;:?!\s]*$/.test(text) && !/=>|&&|\?\?/.test(code.slice(Math.max(0, (m.index ?? 0) - 2), (m.index ?? 0) + 1))) {
          offenders.push(`${relative(SRC, file)}: ${text}`);
        }
      }
      for (const m of code.matchAll(/\b(aria-label|alt|title|placeholder)="([^"]*[A-Za-z][^"]*)"/g)) {
        offenders.push(`${relative(SRC, file)}: ${m[1]}="${m[2]}"`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every placeholder in a template is filled by format', () => {
    expect(format(en.accountCreated.emailSent, { to: 'x' })).toBe('We sent your onboarding email to x.');
    expect(format(en.phone.resendIn, {})).toBe('You can ask for a new code in {seconds} seconds.');
  });
});
