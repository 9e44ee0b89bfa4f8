import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink, parseInvitationLink } from './deep-link';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUv_-12'; // 26 base64url characters

describe('parseDeepLink: only techpass-onboarding://register?token=<token>', () => {
  it.each([
    [`techpass-onboarding://register?token=${TOKEN}`, TOKEN],
    [`techpass-onboarding://register/?token=${TOKEN}`, TOKEN],
    [`TECHPASS-ONBOARDING://register?token=${TOKEN}`, TOKEN],
  ])('accepts %s', (url, token) => {
    expect(parseDeepLink(url)).toEqual({ token });
  });

  it.each([
    ['another host', `techpass-onboarding://login?token=${TOKEN}`],
    ['a path', `techpass-onboarding://register/evil?token=${TOKEN}`],
    ['another scheme', `https://register?token=${TOKEN}`],
    ['javascript scheme', `javascript:alert(1)//register?token=${TOKEN}`],
    ['file scheme', `file:///register?token=${TOKEN}`],
    ['a second parameter', `techpass-onboarding://register?token=${TOKEN}&backend=https://evil.example`],
    ['a duplicated token', `techpass-onboarding://register?token=${TOKEN}&token=${TOKEN}`],
    ['no token', 'techpass-onboarding://register'],
    ['an empty token', 'techpass-onboarding://register?token='],
    ['a short token (< 128 bits)', 'techpass-onboarding://register?token=abc123'],
    ['a token with bad characters', `techpass-onboarding://register?token=${TOKEN}%3Cscript%3E`],
    ['padding', `techpass-onboarding://register?token=${TOKEN}==`],
    ['credentials', `techpass-onboarding://user:pw@register?token=${TOKEN}`],
    ['a port', `techpass-onboarding://register:8080?token=${TOKEN}`],
    ['a fragment', `techpass-onboarding://register?token=${TOKEN}#x`],
    ['not a URL', 'register?token=x'],
    ['too long', `techpass-onboarding://register?token=${'a'.repeat(3000)}`],
  ])('rejects %s', (_name, url) => {
    expect(parseDeepLink(url)).toBeNull();
  });
});

describe('parseInvitationLink: what the user may paste', () => {
  it.each([
    [TOKEN],
    [`  ${TOKEN}  `],
    [`https://portal.techpass.gov.sg/register?token=${TOKEN}`],
    [`https://portal.techpass.gov.sg/register/${TOKEN}`],
    [`http://127.0.0.1:8787/register?token=${TOKEN}`],
    [`techpass-onboarding://register?token=${TOKEN}`],
  ])('accepts %s', (link) => {
    expect(parseInvitationLink(link)).toEqual({ token: TOKEN });
  });

  it.each([
    [`http://portal.techpass.gov.sg/register?token=${TOKEN}`],
    [`https://user:pw@portal.techpass.gov.sg/register?token=${TOKEN}`],
    ['https://portal.techpass.gov.sg/register?token=short'],
    ['hello'],
    [`techpass-onboarding://login?token=${TOKEN}`],
  ])('rejects %s', (link) => {
    expect(parseInvitationLink(link)).toBeNull();
  });
});

describe('deepLinkFromArgv', () => {
  it('finds the link Windows and Linux pass as an argument', () => {
    const link = `techpass-onboarding://register?token=${TOKEN}`;
    expect(deepLinkFromArgv(['/opt/app/techpass-onboarding', '--no-sandbox', link])).toBe(link);
    expect(deepLinkFromArgv(['/opt/app/techpass-onboarding', '.'])).toBeUndefined();
  });
});
