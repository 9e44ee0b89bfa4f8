import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createHttpHead } from '../net/http-head';
import { createNodeNetwork } from '../net/node-network';
import type { CommandRunner, HttpHead, RunResult, SeedFileSystem } from './types';

/** No probe may run longer than this (domain.md §6.2). */
export const MAX_PROBE_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * The real runner: `execFile` with an argument array (never a shell), a hard timeout and no stdin.
 * It never throws; a missing command, a non-zero exit or a timeout are all described in the result.
 */
export const execFileRunner: CommandRunner = (file, args, opts) =>
  new Promise<RunResult>((resolve) => {
    const timeout = Math.min(Math.max(1, opts.timeoutMs), MAX_PROBE_TIMEOUT_MS);
    const started = Date.now();
    try {
      const child = execFile(
        file,
        [...args],
        {
          timeout,
          killSignal: 'SIGKILL',
          maxBuffer: MAX_OUTPUT_BYTES,
          windowsHide: true,
          shell: false,
          encoding: 'utf8',
          env: opts.env ? opts.env : process.env,
        },
        (err, stdout, stderr) => {
          if (!err) {
            resolve({ stdout, stderr, code: 0, timedOut: false });
            return;
          }
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string | null };
          const timedOut = Boolean(e.killed) && Date.now() - started >= timeout - 50;
          if (typeof e.code === 'number') {
            resolve({ stdout, stderr, code: e.code, timedOut });
          } else {
            resolve({
              stdout: stdout ?? '',
              stderr: stderr ?? '',
              code: null,
              timedOut,
              error: timedOut ? `timed out after ${timeout} ms` : String(e.code ?? e.message),
            });
          }
        },
      );
      child.stdin?.end();
    } catch (err) {
      resolve({ stdout: '', stderr: '', code: null, timedOut: false, error: (err as Error).message });
    }
  });

async function readHead(file: string, maxBytes: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** Read-only file-system access for probes. PATH lookup is done in code (no `which`/`command -v` shell). */
export function nodeFileSystem(
  env: Record<string, string | undefined> = process.env,
  platform = process.platform,
): SeedFileSystem {
  const isWindows = platform === 'win32';
  return {
    async exists(p) {
      try {
        await access(p, constants.F_OK);
        return true;
      } catch {
        return false;
      }
    },
    readText: (p, maxBytes = 1024 * 1024) => readHead(p, maxBytes),
    async list(p) {
      try {
        return await readdir(p);
      } catch {
        return [];
      }
    },
    async which(command) {
      const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
      const exts = isWindows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
      for (const dir of dirs) {
        for (const ext of exts) {
          const candidate = path.join(dir, command + ext);
          try {
            const s = await stat(candidate);
            if (!s.isFile()) continue;
            if (!isWindows) await access(candidate, constants.X_OK);
            return candidate;
          } catch {
            // not here
          }
        }
      }
      return undefined;
    },
  };
}

/**
 * HTTPS HEAD with a timeout; any HTTP answer (even 4xx) means the host is reachable. Through the host's network seam
 * (Node: proxy from the environment, OS + extra CAs); the app passes its own seam's probe instead.
 */
let nodeHead: HttpHead | undefined;
export const fetchHead: HttpHead = (url, timeoutMs) =>
  (nodeHead ??= createHttpHead(createNodeNetwork()))(url, timeoutMs);
