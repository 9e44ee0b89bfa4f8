import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { BackendConfig } from './config';
import type { Clock } from './clock';
import { SERVICE_NAME, SERVICE_VERSION } from './version';

export interface AppDeps {
  config: BackendConfig;
  clock: Clock;
}

/** Builds the HTTP service. `main.ts` listens; tests call this directly. */
export async function buildApp({ config, clock }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Logs go to stderr: stdout carries only the `listening on` line.
    logger: { level: config.logLevel, stream: process.stderr, redact: ['req.headers.authorization'] },
    bodyLimit: 64 * 1024,
    genReqId: () => randomUUID(),
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Server-Time', clock.now().toISOString());
  });

  app.get('/healthz', async () => ({ name: SERVICE_NAME, version: SERVICE_VERSION, mode: config.mode }));

  return app;
}
