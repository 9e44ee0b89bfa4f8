import { describe, expect, it } from 'vitest';
import { parseAnswer, UnexpectedAnswerError } from './client';

const noHeaders = { get: () => null };

describe('parseAnswer', () => {
  it('an answer of another shape is an UnexpectedAnswerError that keeps no part of the body (it may hold a secret)', () => {
    const body = JSON.stringify({ sessionToken: 'tp_sess_SECRET123', unexpected: true });
    let caught: unknown;
    try {
      parseAnswer('getMe', 200, noHeaders, body);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnexpectedAnswerError);
    const err = caught as UnexpectedAnswerError;
    expect(err.bodyLength).toBe(body.length);
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain('SECRET123');
  });

  it('an HTML page where JSON was expected, and an undeclared status, are UnexpectedAnswerErrors', () => {
    expect(() => parseAnswer('getMe', 200, noHeaders, '<html><body>Sign in to the Wi-Fi</body></html>')).toThrow(
      /not JSON/,
    );
    expect(() => parseAnswer('getMe', 418, noHeaders, '{}')).toThrow(/does not declare/);
  });
});
