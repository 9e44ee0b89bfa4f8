import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Ctx } from '../context';
import type { Database } from '../db/connect';
import { observeLifecycleRun } from '../observability/metrics';
import { lifecycleRunSummary, runLifecycleJobs, type JobReport, type LifecycleRunOptions } from './lifecycle';
import {
  JOB_THREAD_RESOURCE_LIMITS,
  LifecycleWorkerReply,
  type LifecycleWorkerData,
  type LifecycleWorkerRequest,
} from './lifecycle-protocol';

/** Runs the lifecycle job and records its metrics on this (the main) thread. */
export interface LifecycleRunner {
  run(options?: LifecycleRunOptions): Promise<JobReport>;
  close(): Promise<void>;
}

/**
 * Pages of the threaded job: each page is one write transaction, and a request thread that writes meanwhile waits
 * (busy_timeout) for that commit; at 100 accounts a page commits within tens of milliseconds.
 */
export const THREAD_PAGE_SIZE = 100;
/** How long close() lets the run in progress finish before stopping the thread. */
const CLOSE_GRACE_MS = 10_000;

/**
 * SQLite file databases run the job in a worker thread on its own connection (better-sqlite3 is synchronous, so
 * in-process every statement of the job would hold the request thread). PostgreSQL is asynchronous already, and a
 * database with no file (nothing a second connection could open) keeps the job in-process too.
 */
export function createLifecycleRunner(ctx: Ctx, database: Database): LifecycleRunner {
  if (database.dialect === 'sqlite' && database.sqliteDataDir) {
    return new ThreadLifecycleRunner(ctx, {
      dataDir: database.sqliteDataDir,
      // Copies, so only the key bytes (not a shared allocation pool) reach the thread.
      sealing:
        ctx.config.mode === 'production'
          ? {
              currentId: ctx.config.dataKeys.currentId,
              keys: [...ctx.config.dataKeys.keys].map(([id, key]) => [id, new Uint8Array(key)]),
            }
          : null,
      deadlines: { ...ctx.deadlines },
    });
  }
  return { run: (options) => runLifecycleJobs(ctx, options), close: async () => undefined };
}

interface Pending {
  resolve(report: JobReport): void;
  reject(err: Error): void;
}

class ThreadLifecycleRunner implements LifecycleRunner {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly data: LifecycleWorkerData,
  ) {}

  run(options: LifecycleRunOptions = {}): Promise<JobReport> {
    return observeLifecycleRun(() => this.runInThread(options), lifecycleRunSummary);
  }

  private runInThread(options: LifecycleRunOptions): Promise<JobReport> {
    if (this.closed) return Promise.reject(new Error('The lifecycle job runner is closed'));
    const worker = this.thread();
    const id = this.nextId++;
    const request: LifecycleWorkerRequest = {
      type: 'run',
      id,
      now: this.ctx.clock.now().toISOString(),
      pageSize: options.pageSize ?? THREAD_PAGE_SIZE,
    };
    return new Promise<JobReport>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The thread keeps the process alive only while a run is waiting for it.
      worker.ref();
      worker.postMessage(request);
    });
  }

  /** The thread, started on first use (most apps never run the job) and again after it died. */
  private thread(): Worker {
    if (this.worker) return this.worker;
    // Next to this module: lifecycle-worker.ts from source (vitest, tsx), lifecycle-worker.js once built.
    const file = join(__dirname, `lifecycle-worker${extname(__filename)}`);
    const fromSource = file.endsWith('.ts');
    // The thread inherits this process's options; from source it also needs the TypeScript loader (unless this
    // process was started with it, `tsx` or `--import tsx`, which the thread then inherits).
    // V8's heap-size options are refused in a thread's execArgv: its heap is bounded by resourceLimits instead.
    const inherited = process.execArgv.filter((a) => !/^--max-(semi-space|old-space|young-generation)-size\b/.test(a));
    const execArgv =
      fromSource && !inherited.some((a) => /\btsx\b/.test(a)) ? [...inherited, '--import', 'tsx'] : inherited;
    const worker = new Worker(file, { workerData: this.data, execArgv, resourceLimits: JOB_THREAD_RESOURCE_LIMITS });
    worker.unref();
    worker.on('message', (raw: unknown) => this.settle(raw));
    worker.on('error', (err: unknown) =>
      this.failAll(new Error(`The lifecycle job's thread failed: ${err instanceof Error ? err.message : String(err)}`)),
    );
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error(`The lifecycle job's thread stopped (exit code ${code}); the next run starts a new one`));
    });
    this.worker = worker;
    return worker;
  }

  private settle(raw: unknown): void {
    const parsed = LifecycleWorkerReply.safeParse(raw);
    if (!parsed.success) {
      this.failAll(new Error("The lifecycle job's thread sent a malformed reply"));
      return;
    }
    const reply = parsed.data;
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.ok) waiting.resolve(reply.report);
    else waiting.reject(new Error(`The lifecycle job failed: ${reply.error}`));
  }

  private failAll(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies LifecycleWorkerRequest);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), CLOSE_GRACE_MS);
    });
    if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
    clearTimeout(timer);
  }
}
