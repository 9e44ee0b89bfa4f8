/**
 * The session hook reads the account's accepted terms only for the routes that declare they need them
 * (`termsWithSession`: GET /v1/me, which answers in that one statement). Every other signed-in request reads the
 * session and account without the terms aggregate, and still sees terms it accepted a moment ago.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, registered, signInToken, startBackend, type TestBackend } from './harness';

describe.each(DIALECTS)('terms read with the session only where a route needs them (%s)', (dialect) => {
  let b: TestBackend;
  const statements: string[] = [];
  beforeAll(async () => {
    b = await startBackend(dialect, { onQuery: (sql) => void statements.push(sql) });
  });
  afterAll(async () => {
    await b?.close();
  });

  /** The statements one request ran. */
  const during = async <T>(request: () => Promise<T>): Promise<{ result: T; sql: string[] }> => {
    statements.length = 0;
    const result = await request();
    return { result, sql: [...statements] };
  };
  /** The session hook's statement: the account by the id of the session its token names. */
  const sessionLookup = (sql: string[]) => {
    const found = sql.filter((s) => /"session_expires_at"/.test(s));
    expect(found).toHaveLength(1);
    return found[0] as string;
  };

  it('GET /v1/me reads the terms with the session, in its one statement', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    const { result, sql } = await during(() => b.call('GET', '/v1/me', { token }));
    expect(result.status).toBe(200);
    expect(result.body.requiredActions).toContain('terms');
    expect(sessionLookup(sql)).toMatch(/string_agg/);
    expect(sql.filter((s) => /terms_acceptances/.test(s))).toHaveLength(1);
  });

  it('other signed-in requests skip the terms aggregate', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    for (const request of [
      () => b.call('GET', '/v1/me/seed', { token }),
      () => b.call('PUT', '/v1/me/locale', { token, body: { locale: 'zh-CN' } }),
    ]) {
      const { result, sql } = await during(request);
      expect(result.status).toBeLessThan(300);
      expect(sessionLookup(sql)).not.toMatch(/string_agg|terms_acceptances/);
    }
  });

  it('terms accepted on one request are in the next GET /v1/me', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    expect((await b.call('GET', '/v1/me', { token })).body.requiredActions).toContain('terms');
    const docs = (await b.call('GET', '/v1/me/terms', { token })).body as {
      id: string;
      version: string;
      required: boolean;
    }[];
    const required = docs.filter((d) => d.required);
    expect(required.length).toBeGreaterThan(0);
    for (const [i, d] of required.entries()) {
      const accepted = await b.call('POST', '/v1/me/terms', { token, body: { id: d.id, version: d.version } });
      expect(accepted.status).toBe(200);
      const last = i === required.length - 1;
      const me = await b.call('GET', '/v1/me', { token });
      // The acceptance's own answer (terms read afresh) and the next GET /v1/me (terms read with the session) agree.
      expect(accepted.body.requiredActions.includes('terms')).toBe(!last);
      expect(me.body.requiredActions).toEqual(accepted.body.requiredActions);
    }
  });

  it('bursts on one session: both reads answer alike, and from the moment sign-out returns both refuse', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    const docs = (await b.call('GET', '/v1/me/terms', { token })).body as { id: string; version: string }[];
    const [doc] = docs;
    if (!doc) throw new Error('no terms documents');
    const mixed = () =>
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? b.call('GET', '/v1/me', { token })
          : i % 4 === 1
            ? b.call('GET', '/v1/me/seed', { token })
            : i % 4 === 2
              ? b.call('GET', '/v1/me/terms', { token })
              : b.call('POST', '/v1/me/terms', { token, body: { id: doc.id, version: doc.version } }),
      );
    const live = await Promise.all(mixed());
    expect(live.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    // Racing a sign-out: each request is answered or refused as signed out, never a server error.
    const [out, ...racing] = await Promise.all([b.call('DELETE', '/v1/sessions/current', { token }), ...mixed()]);
    expect(out.status).toBe(204);
    expect(racing.map((r) => r.status).filter((s) => s !== 200 && s !== 401)).toEqual([]);
    const after = await Promise.all(mixed());
    expect(after.map((r) => r.status)).toEqual(after.map(() => 401));
    expect([...new Set(after.map((r) => r.body.error.code))]).toEqual(['SESSION_EXPIRED']);
  });
});
