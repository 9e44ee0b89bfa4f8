import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_IDS, routes } from '../../shared/api/routes';
import {
  installStatusCheck,
  requireTableEntries,
  tableSerializerCompiler,
  type ContractViolation,
} from '../src/http/route-table';
import { startBackend, type TestBackend } from './harness';

const REDOCLY = resolve(__dirname, '../../node_modules/@redocly/cli/bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location?: { pointer?: string }[] }[];
}

/** Redocly's own recommended rules, run on the file the backend serves; no network (telemetry and update check off). */
function redoclyLint(document: unknown): LintReport {
  const dir = mkdtempSync(join(tmpdir(), 'techpass-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const run = spawnSync(process.execPath, [REDOCLY, 'lint', file, '--format=json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      timeout: 120_000,
    });
    const start = run.stdout.indexOf('{');
    if (start < 0) throw new Error(`redocly printed no report: ${run.stderr}`);
    return JSON.parse(run.stdout.slice(start)) as LintReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the served /openapi.json', () => {
  let b: TestBackend;
  let doc: { paths: Record<string, Record<string, Record<string, unknown>>> };
  beforeAll(async () => {
    b = await startBackend('sqlite');
    const res = await b.api.call('getOpenApiDocument');
    expect(res.status).toBe(200);
    doc = res.body as unknown as typeof doc;
  });
  afterAll(async () => {
    await b?.close();
  });

  it('passes redocly lint with 0 errors and 0 warnings', () => {
    const report = redoclyLint(doc);
    expect(
      report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? ''}`),
    ).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 150_000);

  it('describes every operation of the table with its operationId, summary, security and a schema per response', () => {
    const operations = Object.values(doc.paths).flatMap((byMethod) => Object.values(byMethod));
    expect(operations.map((o) => o.operationId).sort()).toEqual([...OPERATION_IDS].sort());
    for (const op of operations) {
      const id = op.operationId as keyof typeof routes;
      expect(op.summary, id).toBeTruthy();
      expect(Array.isArray(op.security), id).toBe(true);
      const responses = op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>;
      expect(Object.keys(responses).map(Number).sort(), id).toEqual(
        Object.keys(routes[id].responses).map(Number).sort(),
      );
      for (const [status, r] of Object.entries(responses)) {
        if (status === '204') expect(r.content, `${id} ${status}`).toBeUndefined();
        else expect(Object.values(r.content ?? {})[0]?.schema, `${id} ${status}`).toBeDefined();
      }
    }
    // The HTML pages are documented as such, and the signed-in and admin operations name their scheme.
    expect(
      Object.keys(
        (doc.paths['/register/{token}']?.get?.responses as Record<string, { content: object }>)['200']?.content ?? {},
      ),
    ).toEqual(['text/html']);
    expect(doc.paths['/v1/me']?.get?.security).toEqual([{ session: [] }]);
    expect(doc.paths['/v1/admin/invitations']?.post?.security).toEqual([{ adminKey: [] }]);
  });

  it('serves every operation of the table (test mode), each one at the method and path the table gives', async () => {
    for (const id of OPERATION_IDS) {
      const def = routes[id];
      expect(b.app.hasRoute({ method: def.method, url: def.path }), id).toBe(true);
    }
  });
});

/** The checks a test-mode backend runs on each reply, on a small app of their own. */
describe('the reply check against the table', () => {
  const appWith = async (handler: () => unknown, status = 200) => {
    const violations: ContractViolation[] = [];
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(tableSerializerCompiler(true, violations));
    requireTableEntries(app);
    installStatusCheck(app, violations);
    app.route({
      method: 'GET',
      url: '/healthz',
      config: { operationId: 'health' },
      schema: { response: { 200: routes.health.responses[200], 500: routes.health.responses[500] } },
      handler: async (_req, reply) => reply.status(status as 200).send(handler()),
    });
    await app.ready();
    return { app, violations };
  };

  it('passes a reply the table declares', async () => {
    const { app, violations } = await appWith(() => ({ name: 'x', version: '1', mode: 'test' }));
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'x', version: '1', mode: 'test' });
    expect(violations).toEqual([]);
  });

  it('fails a reply of another shape, one with a field the table does not declare, and an undeclared status', async () => {
    for (const [body, status, problem] of [
      [{ name: 'x', version: '1', mode: 'staging' }, 200, /mode/],
      [{ name: 'x', version: '1', mode: 'test', secret: 'leak' }, 200, /does not declare/],
      [{ name: 'x', version: '1', mode: 'test' }, 418, /status the table does not declare/],
    ] as const) {
      const { app, violations } = await appWith(() => body, status);
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(500);
      expect(violations.map((v) => v.problem).join(' ')).toMatch(problem);
    }
  });

  it('refuses to register a route that is not in the table', async () => {
    const app = Fastify();
    requireTableEntries(app);
    expect(() => app.get('/v1/not-in-the-table', async () => ({}))).toThrow(/route table/);
    // Nor one that claims another operation's id.
    expect(() => app.get('/v1/me/other', { config: { operationId: 'getMe' } }, async () => ({}))).toThrow(
      /route table/,
    );
  });
});
