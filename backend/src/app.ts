import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { resolveDeadlines, type Deadlines } from '../../shared/domain/deadlines';
import type { BackendConfig } from './config';
import type { Clock } from './clock';
import type { Ctx } from './context';
import { PasswordHasher } from './crypto';
import { migrate, openDatabase, type Database } from './db/connect';
import { errorBody, installErrorHandler } from './http/errors';
import { installIdempotency, redactUrl } from './http/platform';
import { routes } from './http/routes';
import { registerPages } from './http/pages';
import { runLifecycleJobs } from './jobs/lifecycle';
import { createOutboxOnlyTransport, createSmsHttpTransport, createSmtpTransport, OutboxWorker, type Transport } from './delivery';
import { DbOutboxStore } from './outbox/outbox-store';
import { SERVICE_NAME, SERVICE_VERSION } from './version';

export interface AppDeps {
  config: BackendConfig;
  clock: Clock;
  /** An already open database (tests); otherwise opened from the config. */
  database?: Database;
  deadlines?: Partial<Deadlines>;
  /** Override the transports chosen from the config (tests: a failing transport, a real SMTP server). */
  transports?: { email?: Transport; sms?: Transport };
  /** Where logs go (default stderr); tests capture them to prove no secret is logged. */
  logStream?: DestinationStream;
}

declare module 'fastify' {
  interface FastifyInstance {
    techpass: { ctx: Ctx; runJobs: () => Promise<unknown>; database: Database; worker: OutboxWorker };
  }
}

/** Secrets never reach the log: headers and body fields by name, tokens in URLs by pattern. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.code',
  '*.token',
  '*.mfaToken',
  '*.secret',
];

/** Builds the HTTP service. `main.ts` listens; tests call this directly. */
export async function buildApp({ config, clock, database, deadlines, logStream, transports }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Logs go to stderr: stdout carries only the `listening on` line.
    logger: {
      level: config.logLevel,
      stream: logStream ?? process.stderr,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: {
        req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
      },
    },
    bodyLimit: 64 * 1024,
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    // Router-level failures (a path parameter over the length limit, a malformed URL) in the same error envelope.
    frameworkErrors: (error, _req, rawReply) => {
      const status = error.statusCode ?? 400;
      const reply = rawReply as unknown as FastifyReply;
      void reply
        .status(status)
        .header('X-Server-Time', clock.now().toISOString())
        .send(errorBody('VALIDATION_FAILED', 'The address is too long or not valid. Check the link and try again.'));
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Bodyless POSTs: an empty JSON body counts as no body (some clients send Content-Type without a body).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    // NUL characters are never valid in any field (and PostgreSQL refuses them in text): a client error.
    if (/\\u0000|\0/i.test(text)) {
      const err = new Error('The body contains a NUL character') as Error & { statusCode: number };
      err.statusCode = 400;
      return done(err, undefined);
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = new Error('The body is not valid JSON') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });

  const db = database ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(db.db);
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const ctx: Ctx = {
    db: db.db,
    dialect: db.dialect,
    clock,
    config,
    hasher: new PasswordHasher(config.argon2),
    deadlines: resolveDeadlines(deadlines),
    log: app.log,
    publicUrl,
  };
  const smtp =
    config.mailTransport === 'smtp' && config.smtp.host
      ? createSmtpTransport({
          host: config.smtp.host,
          port: config.smtp.port ?? (config.smtp.secure ? 465 : 587),
          secure: config.smtp.secure,
          auth: config.smtp.user ? { user: config.smtp.user, pass: config.smtp.pass ?? '' } : undefined,
          from: config.smtp.from,
        })
      : undefined;
  const worker = new OutboxWorker({
    store: new DbOutboxStore(db.db),
    transports: {
      email: transports?.email ?? smtp ?? createOutboxOnlyTransport(),
      sms:
        transports?.sms ??
        (config.smsTransport === 'sms-http' && config.smsGateway.url
          ? createSmsHttpTransport({ url: config.smsGateway.url, apiKey: config.smsGateway.token, sender: 'gov.sg' })
          : createOutboxOnlyTransport()),
    },
    eraseData: config.mode === 'production',
    now: () => clock.now(),
    logger: app.log,
  });
  const runJobs = async () => {
    const lifecycle = await runLifecycleJobs(ctx);
    const delivery = await worker.runOnce(clock.now());
    return { ...lifecycle, delivery: { sent: delivery.sent.length, failed: delivery.failed.length } };
  };
  let jobTimer: ReturnType<typeof setInterval> | undefined;
  app.decorate('techpass', { ctx, runJobs, database: db, worker });
  app.addHook('onReady', async () => {
    if (config.jobIntervalSeconds > 0) {
      worker.start(Math.min(config.jobIntervalSeconds, 10) * 1000);
      jobTimer = setInterval(() => {
        runLifecycleJobs(ctx).catch((err: unknown) => app.log.error({ err: { message: String(err) } }, 'lifecycle jobs failed; will retry'));
      }, config.jobIntervalSeconds * 1000);
      jobTimer.unref();
    }
  });
  app.addHook('onClose', async () => {
    if (jobTimer) clearInterval(jobTimer);
    await worker.stop();
    smtp?.close();
    if (!database) await db.close();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'TechPass provisioning API', version: SERVICE_VERSION, description: 'Invitations, registration, sign-in, MFA, terms, SEED provisioning.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  installErrorHandler(app);
  app.addHook('onRequest', async (req, reply) => {
    if (/%00/.test(req.url)) {
      return reply.status(400).send(errorBody('VALIDATION_FAILED', 'The address contains a NUL character. Check the link and try again.'));
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Server-Time', clock.now().toISOString());
  });
  installIdempotency(app, ctx);

  app.get('/healthz', async () => ({ name: SERVICE_NAME, version: SERVICE_VERSION, mode: config.mode }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(routes, { ctx, runJobs });
  registerPages(app);
  return app;
}
