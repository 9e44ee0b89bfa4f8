import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, pageCsp, redactUrl } from './platform';

describe('redactUrl', () => {
  it('removes registration and reset tokens and secret query parameters from logged URLs', () => {
    expect(redactUrl('/v1/registrations/abcDEF123_-xyz')).toBe('/v1/registrations/[REDACTED]');
    expect(redactUrl('/v1/registrations/abc?x=1')).toBe('/v1/registrations/[REDACTED]?x=1');
    expect(redactUrl('/reset-password/tok123')).toBe('/reset-password/[REDACTED]');
    expect(redactUrl('/x?token=abc&code=123456&password=p&keep=1')).toBe(
      '/x?token=[REDACTED]&code=[REDACTED]&password=[REDACTED]&keep=1',
    );
    expect(redactUrl('/v1/me')).toBe('/v1/me');
  });
  it('removes the token of the browser page linked from the invitation email, and every secret-looking parameter', () => {
    expect(redactUrl('/register/AbC_-123xyz')).toBe('/register/[REDACTED]');
    expect(redactUrl('/register/AbC_-123xyz?utm=mail#top')).toBe('/register/[REDACTED]?utm=mail#top');
    expect(redactUrl('/x?mfaToken=a&mfa_token=b&api_key=c&apiKey=d&access_token=e&secret=f&key=g&otp=h&sig=i')).toBe(
      '/x?mfaToken=[REDACTED]&mfa_token=[REDACTED]&api_key=[REDACTED]&apiKey=[REDACTED]&access_token=[REDACTED]&secret=[REDACTED]&key=[REDACTED]&otp=[REDACTED]&sig=[REDACTED]',
    );
    expect(redactUrl('/v1/registrations/a/b?TOKEN=x')).toBe('/v1/registrations/[REDACTED]/b?TOKEN=[REDACTED]');
  });
  it('finds tokens in any letter case, behind percent-encoding and in longer parameter names', () => {
    const t = 'kAyIZ2h-DTtyq1PrQ0Y8AoYRWj4pQeRKzyVe5oHmqA4';
    for (const url of [
      `/V1/Registrations/${t}`,
      `/Register/${t}`,
      `/RESET-PASSWORD/${t}`,
      `/v1/registrations%2F${t}`,
      `/register%2f${t}`,
      `/x?t%6Fken=${t}`,
      `/x?registrationToken=${t}`,
      `/x?smsCode=${t}`,
      `/x?link=techpass-onboarding%3A%2F%2Fregister%3Ftoken%3D${t}`,
      `/x?link=techpass-onboarding%253A%252F%252Fregister%253Ftoken%253D${t}`,
      `/x?next=%2Freset-password%2F${t}`,
    ]) {
      expect(redactUrl(url), url).not.toContain(t);
      expect(redactUrl(url), url).toContain('[REDACTED]');
    }
    expect(redactUrl('/v1/me?q=a%20b')).toBe('/v1/me?q=a%20b');
    expect(redactUrl('/x?%E0%A4%A=1')).toBe('/x?%E0%A4%A=1');
  });
});

describe('exceedsJsonDepth', () => {
  it('counts nesting outside strings only', () => {
    expect(exceedsJsonDepth('[[[]]]', 3)).toBe(false);
    expect(exceedsJsonDepth('[[[[]]]]', 3)).toBe(true);
    expect(exceedsJsonDepth('{"a":"[[[[[[[[[[\\"{{{{{{"}', 1)).toBe(false);
    expect(exceedsJsonDepth('['.repeat(100_000), 32)).toBe(true);
  });
});

describe('pageCsp', () => {
  it('allows exactly the inline scripts and styles of the page by hash, never unsafe-inline', () => {
    const script = "document.title='x'";
    const csp = pageCsp(
      `<html><head><style>body{color:red}</style></head><body><script>${script}</script></body></html>`,
    );
    const h = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
    expect(csp).toContain(`script-src ${h(script)}`);
    expect(csp).toContain(`style-src ${h('body{color:red}')}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(pageCsp('<p>no script</p>')).toContain("script-src 'none'");
  });
});
