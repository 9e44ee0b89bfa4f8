export const DEEP_LINK_SCHEME = 'techpass-onboarding';
/** Registration tokens are base64url, at least 128 bits (22 characters). */
export const TOKEN_RE = /^[A-Za-z0-9_-]{22,512}$/;

/**
 * The one deep link the app accepts: `techpass-onboarding://register?token=<token>`. Anything else (another host or
 * path, extra parameters, credentials, a fragment, a malformed token) gives null; the caller logs and ignores it.
 */
export function parseDeepLink(raw: string): { token: string } | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  if (url.hostname !== 'register' || url.port || url.username || url.password || url.hash) return null;
  if (url.pathname !== '' && url.pathname !== '/') return null;
  const keys = [...url.searchParams.keys()];
  if (keys.length !== 1 || keys[0] !== 'token') return null;
  const token = url.searchParams.get('token') ?? '';
  return TOKEN_RE.test(token) ? { token } : null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * What the user may paste on the register step: the deep link, the https registration link from the email (token in
 * `?token=` or as the last path segment), or the bare token. The link's host is never used: the token goes only to the
 * backend from org configuration.
 */
export function parseInvitationLink(raw: string): { token: string } | null {
  const text = raw.trim();
  if (TOKEN_RE.test(text)) return { token: text };
  if (text.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return parseDeepLink(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return null;
  if (url.username || url.password) return null;
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null) return TOKEN_RE.test(fromQuery) ? { token: fromQuery } : null;
  const last = url.pathname.split('/').filter(Boolean).pop() ?? '';
  return TOKEN_RE.test(last) ? { token: last } : null;
}

/** Finds a deep link among process arguments (Windows/Linux hand it to the app that way). */
export function deepLinkFromArgv(argv: readonly string[]): string | undefined {
  return argv.find((a) => a.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}://`));
}
