import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The provisioning API has one HTTP client (shared/api/client.ts). A fetch whose address names a backend path
 * anywhere else is a second client: its URL, headers and parsing would drift from the route table.
 */
const ROOT = resolve(__dirname, '../..');
const SCANNED = ['backend', 'electron', 'renderer', 'scripts', 'shared', 'tests'];
const SKIPPED_DIRS = new Set(['node_modules', 'out', 'dist', '.data', 'test-results', 'playwright-report', 'reports']);
const ALLOWED: Record<string, string> = {
  'shared/api/client.ts': 'the client itself',
  // The network seam only carries the client's requests (proxy, CA, TLS failure facts); it builds no API address.
  'electron/host/net/': 'the host network seam the client sends through',
  'electron/main/network.test.ts': "the seam's Electron side (net.fetch of a session), tested with a made-up address",
  // The reset page's inline script runs in the user's browser, which has no access to the client module.
  'backend/src/http/pages.ts': "the reset page's own browser script",
  'tests/unit/api-client-only.test.ts': 'this test (its planted examples)',
};
/**
 * The backend's path prefixes (route table): the API, the health probe, the description, the metrics, the email link
 * pages; as the start of a path (after a quote or a `${base}`), so another service's `/api/v1/` is not one.
 */
const BACKEND_PATH = /[`'"}]\/(?:v1\/|healthz\b|openapi\.json\b|metrics\b|register\/|reset-password\/)/;
/** A call of fetch, undici's fetch under another name, or a session's or network's `.fetch`. */
const FETCH_CALL = /\b(?:fetch|\w+Fetch|fetchImpl)\s*\(/g;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : files(join(dir, e.name));
    return /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) ? [join(dir, e.name)] : [];
  });
}

/** Each fetch call whose arguments (up to the closing parenthesis, 400 characters at most) name a backend path. */
export function backendFetches(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(FETCH_CALL)) {
    let depth = 0;
    let end = m.index + m[0].length;
    for (; end < source.length && end < m.index + m[0].length + 400; end++) {
      const c = source[end];
      if (c === '(') depth++;
      else if (c === ')' && depth-- === 0) break;
    }
    const args = source.slice(m.index + m[0].length, end);
    if (BACKEND_PATH.test(args)) found.push(`${m[0]}${args.slice(0, 120)}`);
  }
  return found;
}

describe('one HTTP client of the provisioning API', () => {
  it('recognises a second client (the rule can fail)', () => {
    expect(backendFetches('const r = await fetch(`${base}/v1/me`, { headers });')).toHaveLength(1);
    expect(backendFetches("await undiciFetch(url + '/healthz')")).toHaveLength(1);
    expect(backendFetches('net().fetch(`${base}/v1/seed/os-baseline`, { signal })')).toHaveLength(1);
    expect(backendFetches('await fetch(`/bridge/${method}`, { method: "POST" })')).toEqual([]);
    expect(backendFetches('await fetch(`${promUrl}/api/v1/query`)')).toEqual([]);
  });

  it('no file outside the client fetches a backend path', () => {
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const file of files(join(ROOT, top))) {
        const rel = relative(ROOT, file).split('\\').join('/');
        if (Object.keys(ALLOWED).some((a) => rel === a || (a.endsWith('/') && rel.startsWith(a)))) continue;
        for (const call of backendFetches(readFileSync(file, 'utf8'))) offenders.push(`${rel}: ${call}`);
      }
    }
    expect(offenders, 'use createApiClient (shared/api/client.ts): call(operationId, …), or raw(…) in tests').toEqual(
      [],
    );
  });
});
