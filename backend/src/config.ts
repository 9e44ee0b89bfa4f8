import { resolve } from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

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
  ADMIN_API_KEY: z.string().optional(),
  TECHPASS_TEST_MODE: flag,
  TECHPASS_DEMO: flag,
  TECHPASS_PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type BackendMode = 'production' | 'demo' | 'test';

export interface BackendConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminApiKey: string | undefined;
  mode: BackendMode;
  testMode: boolean;
  demo: boolean;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid backend configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const mode: BackendMode = e.TECHPASS_TEST_MODE ? 'test' : e.TECHPASS_DEMO ? 'demo' : 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.TECHPASS_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminApiKey: e.ADMIN_API_KEY,
    mode,
    testMode: e.TECHPASS_TEST_MODE,
    demo: e.TECHPASS_DEMO,
    publicUrl: e.TECHPASS_PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
  };
}
