import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { resolveDeadlines, type Deadlines } from '../../shared/domain/deadlines';
import type { BackendConfig } from './config';
import type { Clock } from './clock';
import type { Ctx } from './context';
import { PasswordHasher } from './crypto';
import { migrate, openDatabase, type Database } from './db/connect';
import { ApiError, errorBody, installErrorHandler } from './http/errors';
import { fieldProblem } from '../../shared/domain/field-problems';
import {
  correlationIdOf,
  exceedsJsonDepth,
  installIdempotency,
  installPageHeaders,
  MAX_JSON_DEPTH,
  redactUrl,
} from './http/platform';
import { routes } from './http/routes';
import {
  installStatusCheck,
  requireTableEntries,
  tableSerializerCompiler,
  type ContractViolation,
} from './http/route-table';
import { openApiDocument } from '../../shared/api/openapi';
import { sealStoredTotpSecrets } from './features/authenticator/totp';
import { createLifecycleRunner, type LifecycleRunner } from './jobs/lifecycle-runner';
import {
  createOutboxOnlyTransport,
  createSmsHttpTransport,
  createSmtpTransport,
  OutboxWorker,
  type Transport,
} from './delivery';
import { DbOutboxStore, OutboxSealing } from './outbox/outbox-store';
import { SERVICE_VERSION } from './version';
import { createAppCollectors } from './observability/collectors';
import { installHttpMetrics } from './observability/http';
import { runInRequest } from './observability/request-context';

/** How long the funnel gauges of /metrics are reused between scrapes outside test mode. */
const FUNNEL_CACHE_SECONDS = 60;

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
  /** Count and time every request for /metrics (default true; the benchmark measures with and without). */
  httpMetrics?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    techpass: {
      ctx: Ctx;
      runJobs: () => Promise<unknown>;
      database: Database;
      worker: OutboxWorker;
      /** Test mode: every reply that broke the route table (the test harness fails a suite that has any). */
      contractViolations: ContractViolation[];
      lifecycle: LifecycleRunner;
    };
  }
}

/** Secrets never reach the log: headers and body fields by name, tokens in URLs by pattern. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["idempotency-key"]',
  '*.registrationUrl',
  '*.resetUrl',
  '*.initialPassword',
  '*.otpauthUri',
  '*.apiKey',
  '*.key',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.code',
  '*.token',
  '*.mfaToken',
  '*.secret',
];

/** C0 controls except tab and line breaks, DEL, C1 controls (CSI 0x9b included), and bidirectional overrides. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Passwords are any characters the policy allows; they are never displayed. */
const FREE_TEXT_KEYS = new Set(['password', 'newPassword', 'currentPassword']);

/** The path of the first string value with a control character ('' for the body itself), or undefined. */
export function controlCharacterField(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return CONTROL_CHARACTERS.test(value) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (CONTROL_CHARACTERS.test(k)) return at;
    if (FREE_TEXT_KEYS.has(k)) continue;
    const found = controlCharacterField(v, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The methods of a logger (what Fastify checks a child logger for, and what callers call). */
const LOG_METHODS: ReadonlySet<string> = new Set([
  'info',
  'error',
  'debug',
  'fatal',
  'warn',
  'trace',
  'silent',
  'child',
]);

/** Levels at which every request is logged as it comes in and completes (Fastify's own request logging). */
const VERBOSE_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace']);
/** One in this many successful, quick reads is logged at info. */
const READ_LOG_SAMPLE = 100;
const SLOW_REQUEST_MS = 1000;

/**
 * Request logging that costs little at info: one line per completed request that changed something (not GET or
 * HEAD), failed (status >= 400), or was slow, and one in READ_LOG_SAMPLE of the other reads. Two pino lines per
 * request were about half of the CPU of a /healthz.
 */
function installSampledRequestLog(app: FastifyInstance): void {
  let reads = 0;
  app.addHook('onResponse', (req, reply, done) => {
    const read = req.method === 'GET' || req.method === 'HEAD';
    const notable = !read || reply.statusCode >= 400 || reply.elapsedTime >= SLOW_REQUEST_MS;
    if (notable || ++reads % READ_LOG_SAMPLE === 0) {
      req.log.info(
        { req, res: reply, responseTime: reply.elapsedTime, ...(notable ? {} : { sampled: READ_LOG_SAMPLE }) },
        'request completed',
      );
    }
    done();
  });
}

/** Builds the HTTP service. `main.ts` listens; tests call this directly. */
export async function buildApp({
  config,
  clock,
  database,
  deadlines,
  logStream,
  transports,
  httpMetrics = true,
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Logs go to stderr: stdout carries only the `listening on` line.
    logger: {
      level: config.logLevel,
      stream: logStream ?? process.stderr,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: {
        req: (req: {
          method: string;
          url: string;
          ip?: string;
          id?: string;
          headers?: Record<string, string | string[] | undefined>;
        }) => {
          const correlationId = correlationIdOf(req.headers);
          return {
            method: req.method,
            url: redactUrl(req.url),
            remoteAddress: req.ip,
            ...(correlationId ? { correlationId } : {}),
          };
        },
      },
    },
    // At info and above, requests are logged by the sampling hook below instead of two lines per request.
    logController: new LogController({ disableRequestLogging: !VERBOSE_LEVELS.has(config.logLevel) }),
    // Each request gets its own child logger (request id bound); building one serialises the bindings and sets up
    // redaction, which costs more than a quick read itself. Most requests never log, so it is built on first use.
    // Fastify checks every child it is given for the logging methods (validateLogger reads each one): those are
    // answered with forwarders that build the child only when called, or every request would build one anyway.
    childLoggerFactory: (logger, bindings, opts) => {
      let child: FastifyBaseLogger | undefined;
      const real = (): FastifyBaseLogger => (child ??= logger.child(bindings, opts));
      return new Proxy({} as FastifyBaseLogger, {
        get: (_target, prop) => {
          if (!child && typeof prop === 'string' && LOG_METHODS.has(prop)) {
            return (...args: unknown[]) =>
              (Reflect.get(real(), prop) as (...a: unknown[]) => unknown).apply(real(), args);
          }
          const c = real();
          const value: unknown = Reflect.get(c, prop, c);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(c) : value;
        },
        set: (_target, prop, value) => Reflect.set(real(), prop, value),
      });
    },
    bodyLimit: 64 * 1024,
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    // Router-level failures (a path parameter over the length limit, a malformed URL) in the same error envelope.
    frameworkErrors: (error, _req, rawReply) => {
      const status = error.statusCode ?? 400;
      const reply = rawReply as unknown as FastifyReply;
      // Sent before the hooks run, so the hardening headers of every other answer are set here (the address may
      // hold a token: never cached, never passed on as a referrer).
      void reply
        .status(status)
        .header('X-Server-Time', clock.now().toISOString())
        .header('X-Content-Type-Options', 'nosniff')
        .header('Referrer-Policy', 'no-referrer')
        .header('Cache-Control', 'no-store')
        .send(errorBody('VALIDATION_FAILED', 'The address is too long or not valid. Check the link and try again.'));
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  // Test mode checks every reply against the route table; production only serialises (fast-json-stringify).
  const contractViolations: ContractViolation[] = [];
  app.setSerializerCompiler(tableSerializerCompiler(config.checkReplies, contractViolations));
  requireTableEntries(app);

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
    // No request needs deep nesting; a very deep one would exhaust the stack wherever it is walked (hashing, zod).
    if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) {
      const err = new Error(`The body is nested more than ${MAX_JSON_DEPTH} levels deep`) as Error & {
        statusCode: number;
      };
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

  const db =
    database ??
    openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      pgNamedStatements: config.databaseNamedStatements,
    });
  await migrate(db.db);
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const ctx: Ctx = {
    // Production seals outbox rows at rest (outbox-store.ts); test and demo read them back in the inbox as they are.
    db: config.mode === 'production' ? db.db.withPlugin(new OutboxSealing(config.dataKeys)) : db.db,
    dialect: db.dialect,
    clock,
    config,
    hasher: new PasswordHasher(config.argon2),
    deadlines: resolveDeadlines(deadlines),
    log: app.log,
    publicUrl,
  };
  // TOTP secrets still in plain text (written before sealing) or sealed with a key no longer first are resealed.
  await sealStoredTotpSecrets(ctx);
  const smtp =
    config.mailTransport === 'smtp' && config.smtp.host
      ? createSmtpTransport({
          host: config.smtp.host,
          port: config.smtp.port ?? (config.smtp.secure ? 465 : 587),
          secure: config.smtp.secure,
          auth: config.smtp.user ? { user: config.smtp.user, pass: config.smtp.pass ?? '' } : undefined,
          from: config.smtp.from,
          maxConnections: config.smtp.maxConnections,
          rateLimitPerSecond: config.smtp.ratePerSecond,
          maxMessagesPerConnection: config.smtp.maxMessagesPerConnection,
        })
      : undefined;
  const worker = new OutboxWorker({
    store: new DbOutboxStore(ctx.db),
    // Two messages per pooled connection in flight keep every connection busy while a reply is on its way.
    concurrency: smtp && !transports?.email ? smtp.maxConnections * 2 : 1,
    transports: {
      email: transports?.email ?? smtp ?? createOutboxOnlyTransport(),
      sms:
        transports?.sms ??
        (config.smsTransport === 'sms-http' && config.smsGateway.url
          ? createSmsHttpTransport({ url: config.smsGateway.url, apiKey: config.smsGateway.token, sender: 'gov.sg' })
          : createOutboxOnlyTransport()),
    },
    eraseData: config.mode === 'production',
    maxAttempts: config.outboxMaxAttempts,
    now: () => clock.now(),
    logger: app.log,
    ...(config.outboxRetentionSeconds !== undefined
      ? { retention: { sentSeconds: config.outboxRetentionSeconds } }
      : {}),
  });
  if (config.storeOnlyChannels.length > 0) {
    app.log.warn(
      { channels: config.storeOnlyChannels },
      'DELIVERY=store-only: these channels are stored in the outbox and never sent',
    );
  }
  const lifecycle = createLifecycleRunner(ctx, db);
  // Test mode's "run the jobs now": the lifecycle job, then one delivery run; how long each took is part of the
  // answer (and the longest event-loop delay during the lifecycle job), so a benchmark can tell the two apart.
  const runJobs = async () => {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    const report = await lifecycle.run();
    const lifecycleDone = performance.now();
    loop.disable();
    const delivery = await worker.runOnce(clock.now());
    const tookMs = {
      lifecycle: Math.round(lifecycleDone - started),
      delivery: Math.round(performance.now() - lifecycleDone),
      lifecycleMaxEventLoopDelay: Math.round(loop.max / 1e6),
    };
    return {
      ...report,
      delivery: { sent: delivery.sent.length, failed: delivery.failed.length },
      outboxPurged: delivery.purged ?? 0,
      tookMs,
    };
  };
  let jobTimer: ReturnType<typeof setInterval> | undefined;
  app.decorate('techpass', { ctx, runJobs, database: db, worker, contractViolations, lifecycle });
  app.addHook('onReady', async () => {
    if (config.jobIntervalSeconds > 0) {
      worker.start(Math.min(config.jobIntervalSeconds, 10) * 1000);
      jobTimer = setInterval(() => {
        lifecycle
          .run()
          .catch((err: unknown) =>
            app.log.error({ err: { message: String(err) } }, 'lifecycle jobs failed; will retry'),
          );
      }, config.jobIntervalSeconds * 1000);
      jobTimer.unref();
    }
  });
  app.addHook('onClose', async () => {
    if (jobTimer) clearInterval(jobTimer);
    await worker.stop();
    await lifecycle.close();
    smtp?.close();
    if (!database) await db.close();
  });

  installErrorHandler(app);
  // First hook: everything a request does (its audit records) knows the request's id.
  app.addHook('onRequest', (req, _reply, done) => runInRequest(req.id, done));
  if (httpMetrics) installHttpMetrics(app);
  if (!VERBOSE_LEVELS.has(config.logLevel)) installSampledRequestLog(app);
  // The per-request hooks below are callback-style (no promise and microtask per hook on every request).
  app.addHook('onRequest', (req, reply, done) => {
    if (!/%00/.test(req.url)) {
      done();
      return;
    }
    void reply
      .status(400)
      .send(errorBody('VALIDATION_FAILED', 'The address contains a NUL character. Check the link and try again.'));
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    void reply.header('X-Server-Time', clock.now().toISOString());
    done(null, payload);
  });
  // Terminal escape sequences and other control characters make no sense in any field: refused before validation,
  // so they are never stored and never reach a terminal or a log through the admin CLI.
  app.addHook('preValidation', (req, _reply, done) => {
    const bad = req.body === undefined ? undefined : controlCharacterField(req.body);
    if (bad === undefined) {
      done();
      return;
    }
    done(
      new ApiError({
        status: 400,
        code: 'VALIDATION_FAILED',
        message: 'A field contains control characters (such as terminal escape codes). Remove them and try again.',
        fields: {
          [bad || 'body']: fieldProblem('text.control_characters'),
        },
      }),
    );
  });
  installIdempotency(app, ctx);
  installPageHeaders(app);
  if (config.checkReplies) installStatusCheck(app, contractViolations);

  let openApi: Record<string, unknown> | undefined;
  const describe = () =>
    (openApi ??= openApiDocument({
      version: SERVICE_VERSION,
      serverUrl: publicUrl,
      mode: { testMode: config.testMode, demo: config.demo },
    }));
  const metrics = createAppCollectors(ctx, { funnelCacheSeconds: config.testMode ? 0 : FUNNEL_CACHE_SECONDS });
  await routes(app, { ctx, runJobs, openApi: describe, metrics });
  return app;
}
