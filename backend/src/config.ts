import type { MessageChannel } from '../../shared/domain/states';
import { resolve } from 'node:path';
import { z } from 'zod';
import { NamedStatementsSwitch } from './db/pg-named-statements';
import { DEFAULT_MESSAGES_PER_CONNECTION } from './delivery/types';
import { DataKeyError, localDataKeys, parseDataKeys, type DataKeyRing } from './security/data-keys';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

/** The organisation's page for installing TechPass Onboarding, unless APP_DOWNLOAD_URL names another. */
export const DEFAULT_APP_DOWNLOAD_URL = 'https://docs.developer.tech.gov.sg/docs/techpass-user-guide/';

/** Backend configuration, from the environment only (12-factor), validated once at start. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  TECHPASS_DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * PostgreSQL: statements with parameters go as named prepared statements (db/pg-named-statements.ts). 0 for a
   * pooler in transaction mode that does not keep them (PgBouncer before 1.21, or without max_prepared_statements).
   */
  DATABASE_NAMED_STATEMENTS: NamedStatementsSwitch,
  ADMIN_API_KEY: z.string().optional(),
  METRICS_API_KEY: z.string().optional(),
  TECHPASS_TEST_MODE: flag,
  /**
   * Test mode checks every reply against the route table (shared/api/routes.ts), which costs CPU per reply; a
   * benchmark of test mode turns it off to measure what production does.
   */
  TECHPASS_SKIP_REPLY_CHECK: flag,
  TECHPASS_DEMO: flag,
  TECHPASS_PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Argon2id cost (OWASP: m=19456 KiB, t=2, p=1). Lower only for tests that do not measure timing. */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8).default(19456),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  /** Per-address request limit on the public sign-in/registration endpoints (offices share one address). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(120).default(300),
  TECHPASS_MAIL_TRANSPORT: z.enum(['outbox', 'smtp']).optional(),
  TECHPASS_SMS_TRANSPORT: z.enum(['outbox', 'sms-http']).optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_SECURE: flag,
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  SMTP_FROM: z.string().default('TechPass <no-reply@techpass.gov.sg>'),
  /** Pooled SMTP connections, and the messages per second the relay allows (0 = no limit). */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(5),
  SMTP_RATE_PER_SECOND: z.coerce.number().min(0).default(0),
  SMTP_MAX_MESSAGES_PER_CONNECTION: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_MESSAGES_PER_CONNECTION),
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  /** Lifecycle jobs and outbox delivery run every this many seconds (0 = only on POST /v1/test/jobs/run). */
  JOB_INTERVAL_SECONDS: z.coerce.number().int().min(0).optional(),
  /** SEED/Tanium maintenance windows as JSON [{ startsAt, endsAt, description }] (ACC-6). */
  SEED_MAINTENANCE_WINDOWS: z.string().optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for the per-address limit and logs). */
  TRUST_PROXY: flag,
  /** Test/demo mode on a non-loopback address (its test endpoints expose every message): only when set on purpose. */
  TECHPASS_ALLOW_REMOTE_TEST_MODE: flag,
  /** Keys that seal secrets at rest: `<id>:<base64 32 bytes>[,…]`, the first one current (security/data-keys.ts). */
  DATA_ENCRYPTION_KEYS: z.string().optional(),
  /** Where invitees get the TechPass Onboarding app (shown on the page the emailed registration link opens). */
  APP_DOWNLOAD_URL: z
    .string()
    .url()
    .refine((u) => /^https:\/\//.test(u), 'APP_DOWNLOAD_URL must be an https:// URL')
    .default(DEFAULT_APP_DOWNLOAD_URL),
  /**
   * `store-only`: the operator accepts that a channel without a configured transport is only stored, not sent
   * (production refuses to start otherwise). Unset: every channel needs a real transport in production.
   */
  // Exactly this spelling: a near miss ("Store-Only", "store_only") must stop the start, never pass for "unset".
  DELIVERY: z
    .union([z.literal('store-only'), z.literal('')], {
      error: (i) =>
        `must be exactly "store-only" (messages are then stored, not sent) or unset; got ${JSON.stringify(i.input)}.`,
    })
    .optional()
    .transform((v) => (v === 'store-only' ? v : undefined)),
  /** Delivered outbox rows are deleted this many hours after delivery (production default 168 = 7 days; 0 = at once). */
  OUTBOX_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 366)
    .optional(),
  /**
   * Delivery attempts before a message is given up as failed (default 20: with the backoff capped at an hour, about
   * 14 hours of retries, so a relay outage of a working day loses nothing while a dead address ends and is reported).
   */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Below this length an admin API key is refused at start (a short key can be guessed; generate 32+ random characters). */
export const MIN_ADMIN_API_KEY_LENGTH = 32;

export type BackendMode = 'production' | 'demo' | 'test';

export interface BackendConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL: named prepared statements (DATABASE_NAMED_STATEMENTS, on unless 0). */
  databaseNamedStatements: boolean;
  adminApiKey: string | undefined;
  /** A key that may read /metrics only (for the Prometheus scraper); the admin API key may too. */
  metricsApiKey: string | undefined;
  mode: BackendMode;
  testMode: boolean;
  /** Every reply is checked against the route table (test mode, unless TECHPASS_SKIP_REPLY_CHECK). */
  checkReplies: boolean;
  demo: boolean;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  rateLimitPerMinute: number;
  mailTransport: 'outbox' | 'smtp';
  smsTransport: 'outbox' | 'sms-http';
  smtp: {
    host?: string | undefined;
    port?: number | undefined;
    secure: boolean;
    user?: string | undefined;
    pass?: string | undefined;
    from: string;
    maxConnections: number;
    ratePerSecond: number;
    maxMessagesPerConnection: number;
  };
  smsGateway: { url?: string | undefined; token?: string | undefined };
  jobIntervalSeconds: number;
  /** Configured SEED maintenance windows; undefined = the usual daily 18:00–21:00 SGT window. */
  maintenanceWindows: { startsAt: string; endsAt: string; description: string }[] | undefined;
  trustProxy: boolean;
  /** Seals secrets at rest and keys the hashes of short codes (security/data-keys.ts). */
  dataKeys: DataKeyRing;
  /** The app's download page, shown on the registration link's landing page. */
  appDownloadUrl: string;
  /** Channels that are only stored, never sent (production with DELIVERY=store-only and no transport for them). */
  storeOnlyChannels: MessageChannel[];
  /** Seconds a delivered outbox row is kept; undefined = kept (test and demo mode: the outbox is the inbox). */
  outboxRetentionSeconds: number | undefined;
  /** Delivery attempts before a message is given up as failed. */
  outboxMaxAttempts: number;
}

const MaintenanceWindows = z.array(
  z.object({ startsAt: z.string().datetime(), endsAt: z.string().datetime(), description: z.string().min(1) }).strict(),
);

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid backend configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.TECHPASS_MAIL_TRANSPORT === 'smtp' && !e.SMTP_HOST)
    throw new ConfigError('Invalid backend configuration:\n  SMTP_HOST: required when TECHPASS_MAIL_TRANSPORT=smtp');
  if (e.TECHPASS_SMS_TRANSPORT === 'sms-http' && !e.SMS_GATEWAY_URL)
    throw new ConfigError(
      'Invalid backend configuration:\n  SMS_GATEWAY_URL: required when TECHPASS_SMS_TRANSPORT=sms-http',
    );
  const mode: BackendMode = e.TECHPASS_TEST_MODE ? 'test' : e.TECHPASS_DEMO ? 'demo' : 'production';
  // Test and demo mode serve every message in plain text (/v1/test/outbox) and let any caller move the clock: they
  // listen on this machine only, unless the operator says otherwise on purpose.
  if (mode !== 'production' && !isLoopbackHost(e.HOST) && !e.TECHPASS_ALLOW_REMOTE_TEST_MODE) {
    throw new ConfigError(
      `Invalid backend configuration:\n  HOST: ${mode} mode listens on 127.0.0.1, ::1 or localhost only (its test endpoints hand out every password and code); got "${e.HOST}". Set TECHPASS_ALLOW_REMOTE_TEST_MODE=1 to allow it on purpose.`,
    );
  }
  const dataDir = resolve(e.TECHPASS_DATA_DIR);
  const mailTransport = e.TECHPASS_MAIL_TRANSPORT ?? (mode === 'production' && e.SMTP_HOST ? 'smtp' : 'outbox');
  const smsTransport = e.TECHPASS_SMS_TRANSPORT ?? (mode === 'production' && e.SMS_GATEWAY_URL ? 'sms-http' : 'outbox');
  // Every production problem is reported at once, so one restart fixes them all.
  const problems: string[] = [];
  const collect = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(
        ...err.message
          .split('\n')
          .slice(1)
          .map((l) => l.trim()),
      );
      return undefined;
    }
  };
  const dataKeys = collect(() => resolveDataKeys(e.DATA_ENCRYPTION_KEYS, mode, dataDir));
  const storeOnlyChannels =
    collect(() =>
      mode === 'production' ? productionStoreOnlyChannels(mailTransport, smsTransport, e.DELIVERY) : [],
    ) ?? [];
  const adminApiKey = e.ADMIN_API_KEY === '' ? undefined : e.ADMIN_API_KEY;
  // Demo and test fixtures use short, readable keys on 127.0.0.1; a production key must be long enough not to guess.
  if (mode === 'production' && adminApiKey !== undefined && adminApiKey.trim().length < MIN_ADMIN_API_KEY_LENGTH) {
    problems.push(
      `ADMIN_API_KEY: must be at least ${MIN_ADMIN_API_KEY_LENGTH} characters (it is ${adminApiKey.trim().length}). Generate one: openssl rand -base64 32`,
    );
  }
  const metricsApiKey = e.METRICS_API_KEY === '' ? undefined : e.METRICS_API_KEY;
  if (mode === 'production' && metricsApiKey !== undefined && metricsApiKey.trim().length < MIN_ADMIN_API_KEY_LENGTH) {
    problems.push(
      `METRICS_API_KEY: must be at least ${MIN_ADMIN_API_KEY_LENGTH} characters (it is ${metricsApiKey.trim().length}). Generate one: openssl rand -base64 32`,
    );
  }
  if (problems.length > 0 || !dataKeys)
    throw new ConfigError(`Invalid backend configuration:\n  ${problems.join('\n  ')}`);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databaseNamedStatements: e.DATABASE_NAMED_STATEMENTS,
    adminApiKey,
    metricsApiKey,
    mode,
    testMode: e.TECHPASS_TEST_MODE,
    checkReplies: e.TECHPASS_TEST_MODE && !e.TECHPASS_SKIP_REPLY_CHECK,
    demo: e.TECHPASS_DEMO,
    publicUrl: e.TECHPASS_PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    argon2: { memoryCost: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_TIME_COST, parallelism: 1 },
    sessionIdleSeconds: e.SESSION_IDLE_MINUTES * 60,
    sessionAbsoluteSeconds: e.SESSION_ABSOLUTE_HOURS * 3600,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    mailTransport,
    smsTransport,
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      user: e.SMTP_USER,
      pass: e.SMTP_PASS,
      from: e.SMTP_FROM,
      maxConnections: e.SMTP_MAX_CONNECTIONS,
      ratePerSecond: e.SMTP_RATE_PER_SECOND,
      maxMessagesPerConnection: e.SMTP_MAX_MESSAGES_PER_CONNECTION,
    },
    smsGateway: { url: e.SMS_GATEWAY_URL, token: e.SMS_GATEWAY_TOKEN },
    jobIntervalSeconds: e.JOB_INTERVAL_SECONDS ?? (mode === 'test' ? 0 : 60),
    maintenanceWindows: parseWindows(e.SEED_MAINTENANCE_WINDOWS),
    trustProxy: e.TRUST_PROXY,
    appDownloadUrl: e.APP_DOWNLOAD_URL,
    dataKeys,
    storeOnlyChannels,
    outboxRetentionSeconds:
      e.OUTBOX_RETENTION_HOURS !== undefined
        ? e.OUTBOX_RETENTION_HOURS * 3600
        : mode === 'production'
          ? 168 * 3600
          : undefined,
    outboxMaxAttempts: e.OUTBOX_MAX_ATTEMPTS ?? 20,
  };
}

/**
 * Production never "delivers" silently into the database: every channel needs a real transport, unless the operator
 * says DELIVERY=store-only (then the channels without one are listed, and warned about at start).
 */
function productionStoreOnlyChannels(
  mail: 'outbox' | 'smtp',
  sms: 'outbox' | 'sms-http',
  delivery: 'store-only' | undefined,
): MessageChannel[] {
  const missing: MessageChannel[] = [
    ...(mail === 'smtp' ? [] : (['email'] as const)),
    ...(sms === 'sms-http' ? [] : (['sms'] as const)),
  ];
  if (missing.length === 0 || delivery === 'store-only') return missing;
  const lines = [
    ...(missing.includes('email')
      ? [
          'SMTP_HOST: required in production (emails would be stored and never sent). Set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_FROM).',
        ]
      : []),
    ...(missing.includes('sms')
      ? [
          'SMS_GATEWAY_URL: required in production (SMS would be stored and never sent). Set SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN.',
        ]
      : []),
    'DELIVERY: or set DELIVERY=store-only to run without them on purpose (messages are then stored, not sent).',
  ];
  throw new ConfigError(`Invalid backend configuration:\n  ${lines.join('\n  ')}`);
}

function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function resolveDataKeys(raw: string | undefined, mode: BackendMode, dataDir: string): DataKeyRing {
  try {
    if (raw !== undefined && raw.trim() !== '') return parseDataKeys(raw);
    if (mode !== 'production') return localDataKeys(dataDir);
  } catch (err) {
    if (err instanceof DataKeyError) throw new ConfigError(`Invalid backend configuration:\n  ${err.message}`);
    throw err;
  }
  throw new ConfigError(
    'Invalid backend configuration:\n  DATA_ENCRYPTION_KEYS: required in production (secrets at rest are sealed with it). Generate one: echo "k1:$(openssl rand -base64 32)"',
  );
}

function parseWindows(
  raw: string | undefined,
): { startsAt: string; endsAt: string; description: string }[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError('Invalid backend configuration:\n  SEED_MAINTENANCE_WINDOWS: not valid JSON');
  }
  const parsed = MaintenanceWindows.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(
      `Invalid backend configuration:\n  SEED_MAINTENANCE_WINDOWS: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data;
}
