import { describe, expect, it } from 'vitest';
import { redactUrl } from './platform';

describe('redactUrl', () => {
  it('removes registration and reset tokens and secret query parameters from logged URLs', () => {
    expect(redactUrl('/v1/registrations/abcDEF123_-xyz')).toBe('/v1/registrations/[REDACTED]');
    expect(redactUrl('/v1/registrations/abc?x=1')).toBe('/v1/registrations/[REDACTED]?x=1');
    expect(redactUrl('/reset-password/tok123')).toBe('/reset-password/[REDACTED]');
    expect(redactUrl('/x?token=abc&code=123456&password=p&keep=1')).toBe('/x?token=[REDACTED]&code=[REDACTED]&password=[REDACTED]&keep=1');
    expect(redactUrl('/v1/me')).toBe('/v1/me');
  });
});
