import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface HostLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Field names whose values never reach a log, whatever a caller passes. */
const SECRET_FIELD = /pass(word)?|token|secret|code|otp|authorization|cookie|key|mobile|uri/i;

export function redact(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_FIELD.test(k)) out[k] = '[redacted]';
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = redact(v as Record<string, unknown>);
    else out[k] = typeof v === 'string' ? v.slice(0, 300) : v;
  }
  return out;
}

/**
 * JSON-lines log of the host (one file in the app's data dir, plus stderr when asked). Only message texts written in
 * this code and redacted fields go in: never payloads, never secrets.
 */
export function createHostLogger(options: { file?: string; stderr?: boolean } = {}): HostLogger {
  if (options.file) mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(fields) });
    if (options.file) {
      try {
        appendFileSync(options.file, `${line}\n`, { mode: 0o600 });
      } catch {
        // logging must never break the app
      }
    }
    if (options.stderr) process.stderr.write(`${line}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: HostLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
