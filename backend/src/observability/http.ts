/**
 * HTTP side of the metrics: every request timed by route pattern (never the raw URL, which holds tokens and ids)
 * and status, and the /metrics endpoint on the backend's own port.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Ctx } from '../context';
import { errorBody } from '../http/errors';
import type { Handle } from '../http/route-table';
import { httpRequestDuration, METRICS_CONTENT_TYPE, renderMetrics } from './metrics';

/** Label of a request no route matched (scanners, typos): one series, whatever the path. */
const UNMATCHED = 'unmatched';

export function installHttpMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', (req, reply, done) => {
    httpRequestDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? UNMATCHED, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the bearer token is one of the keys (compared as hashes, in constant time). */
function bearerMatches(header: string | undefined, keys: readonly (string | undefined)[]): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return false;
  const given = digest(m[1]);
  let ok = false;
  for (const k of keys) if (k !== undefined && timingSafeEqual(given, digest(k))) ok = true;
  return ok;
}

/** GET /metrics (the route table's getMetrics): the Prometheus text format, for the admin API key or the metrics key. */
export function metricsHandler(ctx: Ctx, appRegistry: Registry): Handle<'getMetrics'> {
  return async (req, reply) => {
    if (!bearerMatches(req.headers.authorization, [ctx.config.adminApiKey, ctx.config.metricsApiKey])) {
      return reply
        .status(401)
        .send(
          errorBody(
            'UNAUTHORIZED',
            'The metrics need a key. Send Authorization: Bearer <METRICS_API_KEY or ADMIN_API_KEY> (set bearer_token in the Prometheus scrape config).',
          ),
        );
    }
    const text = await renderMetrics([appRegistry]);
    return reply.header('content-type', METRICS_CONTENT_TYPE).header('cache-control', 'no-store').send(text);
  };
}
