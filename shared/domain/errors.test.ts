import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldProblemOfIssue } from './errors';

// zod's own issues name no field-problem code; they become the generic ones. zod 4 leaves `input` out of an issue
// unless asked (`reportInput`), so "missing" must be read from the issue itself, not from an absent `input`.
describe('fieldProblemOfIssue on zod’s own issues', () => {
  const schema = z.strictObject({ name: z.string(), count: z.number() });
  const problemsOf = (input: unknown) => {
    const parsed = schema.safeParse(input);
    if (parsed.success) throw new Error('expected a failure');
    return Object.fromEntries(
      parsed.error.issues.map((issue) => [issue.path.join('.') || '(root)', fieldProblemOfIssue(issue)]),
    );
  };

  it('a missing field is field.required', () => {
    expect(problemsOf({ count: 1 })).toEqual({ name: { code: 'field.required' } });
  });

  it('a value of the wrong type is field.invalid, not field.required', () => {
    expect(problemsOf({ name: 'x', count: 'seven' })).toEqual({ count: { code: 'field.invalid' } });
    expect(problemsOf({ name: 42, count: 1 })).toEqual({ name: { code: 'field.invalid' } });
  });

  it('an unknown key is field.not_allowed', () => {
    expect(problemsOf({ name: 'x', count: 1, extra: true })).toEqual({ '(root)': { code: 'field.not_allowed' } });
  });
});
