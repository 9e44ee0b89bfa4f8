import { mkdirSync } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

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

/** The host log rotates when the file reaches this size (the live file plus HOST_LOG_ROTATIONS older ones are kept). */
export const HOST_LOG_MAX_SIZE = '1M';
/** Rotated host logs kept beside the live one (host.log.1 is the newest): a few days of journeys, a few MiB at most. */
export const HOST_LOG_ROTATIONS = 5;

export interface HostLogOptions {
  file?: string;
  stderr?: boolean;
  /** Rotation size, e.g. '1M' or '64K' (default HOST_LOG_MAX_SIZE). */
  maxSize?: `${number}${'B' | 'K' | 'M' | 'G'}`;
  /** Rotated files kept (default HOST_LOG_ROTATIONS). */
  rotations?: number;
}

/** The host logger with its file's life cycle: `flush` resolves once every line so far is on disk; `close` ends the file. */
export interface FileHostLogger extends HostLogger {
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * JSON-lines log of the host (one file in the app's data dir, plus stderr when asked). Only message texts written in
 * this code and redacted fields go in: never payloads, never secrets.
 *
 * Writes are asynchronous (a stream: a slow or busy disk never blocks the main process, whose event loop also
 * serves the window), and the file is rotated at a size limit, classical logrotate style (host.log → host.log.1 → …),
 * so a long-running or looping app never fills the disk. rotating-file-stream has no dependencies and does not need
 * Electron, so the same logger runs in the web host and the CLIs.
 */
export function createHostLogger(options: HostLogOptions = {}): FileHostLogger {
  let stream: RotatingFileStream | undefined;
  let last: Promise<void> = Promise.resolve();
  if (options.file) {
    try {
      mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
      stream = createStream(basename(options.file), {
        path: `${dirname(options.file)}${sep}`,
        size: options.maxSize ?? HOST_LOG_MAX_SIZE,
        rotate: options.rotations ?? HOST_LOG_ROTATIONS,
        mode: 0o600,
      });
      // Logging must never break the app: a failing disk ends file logging, nothing else.
      stream.on('error', () => {
        stream = undefined;
      });
    } catch {
      stream = undefined;
    }
  }
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const line = `${JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(fields) })}\n`;
    const target = stream;
    if (target) {
      last = new Promise<void>((resolve) => {
        try {
          target.write(line, () => resolve());
        } catch {
          resolve();
        }
      });
    }
    if (options.stderr) process.stderr.write(line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    flush: () => last,
    close: async () => {
      await last;
      const target = stream;
      stream = undefined;
      if (target) await new Promise<void>((resolve) => target.end(() => resolve()));
    },
  };
}

export const silentLogger: HostLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
