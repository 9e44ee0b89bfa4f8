import { describe, expect, it } from 'vitest';
import { FIELD_PROBLEM_CODES } from '../../shared/domain/field-problems';
import { englishFieldProblem, FIELD_PROBLEM_ENGLISH } from './field-problem-english';

describe('the English wording of field problems (API envelope, admin CLI)', () => {
  it('words every code, and nothing else', () => {
    expect(Object.keys(FIELD_PROBLEM_ENGLISH).sort()).toEqual([...FIELD_PROBLEM_CODES].sort());
  });

  it.each(FIELD_PROBLEM_CODES)('%s: a sentence with every parameter filled', (code) => {
    const text = englishFieldProblem({
      code,
      params: {
        min: 3,
        max: 64,
        country: 'CN',
        callingCode: '86',
        example: '131 2345 6789',
        digits: 11,
        others: 'Others',
        row: 2,
        principal: 'pm@tech.gov.sg',
        rules: 'length,classes',
      },
    });
    expect(text).toMatch(/^[A-Z"].*[.)]$/);
    expect(text).not.toMatch(/undefined|\[object|\{/);
  });

  it('names a number’s country and says how many digits were entered', () => {
    expect(
      englishFieldProblem({
        code: 'mobile.invalid_for_country',
        params: { country: 'CN', callingCode: '86', example: '131 2345 6789', digits: 11, entered: 10 },
      }),
    ).toBe(
      'This is not a valid mobile number for China (+86). Mobile numbers there look like 131 2345 6789 (11 digits after the country code +86). You entered 10.',
    );
  });
});
