import { describe, expect, it } from 'vitest';
import { PASSWORD_RULES } from '../../shared/domain/password-policy';
import { describePasswordFailures, passwordRulesEnglish } from './password-rule-english';

describe('password rules in English (API messages, reset page)', () => {
  it('words every rule, with the policy’s numbers', () => {
    const rules = passwordRulesEnglish();
    expect(rules.map((r) => r.id)).toEqual(PASSWORD_RULES.map((r) => r.id));
    for (const r of rules) expect(r.text).toMatch(/^[A-Z].*\.$/);
    expect(describePasswordFailures(['length'])).toBe('Use 8 to 256 characters.');
    expect(describePasswordFailures(['length', 'no-name'])).toBe(
      'Use 8 to 256 characters. Do not include your first or last name.',
    );
  });
});
