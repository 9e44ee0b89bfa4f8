import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';

const tail = (file: string): string =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '';

export interface Started {
  child: ChildProcess;
  /** The first capture group of the readiness pattern (e.g. the URL). */
  value: string;
  stop(): Promise<void>;
}

/**
 * Starts a Node entry point with tsx, waits for the line that says it is ready (no sleeps), and tees its stderr
 * (structured logs) into `logFile` so a failing test can attach it.
 */
export function startNode(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  logFile: string,
  timeoutMs = 30_000,
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stderr.pipe(log);
    let buffer = '';
    let done = false;
    const timer = setTimeout(() => {
      if (!done) {
        done = true;
        child.kill('SIGKILL');
        reject(new Error(`${entry} did not become ready within ${timeoutMs} ms (log: ${logFile})`));
      }
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffer += chunk.toString();
      const match = ready.exec(buffer);
      if (match && !done) {
        done = true;
        clearTimeout(timer);
        resolve({
          child,
          value: match[1] ?? '',
          stop: () =>
            new Promise<void>((res) => {
              if (child.exitCode !== null || child.signalCode !== null) return res();
              child.once('exit', () => res());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        setTimeout(
          () => reject(new Error(`${entry} exited with code ${code} before it was ready:\n${tail(logFile)}`)),
          50,
        );
      }
    });
  });
}
