import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Ctx } from '../context';
import type { Database } from '../db/connect';
import { observeLifecycleRun } from '../observability/metrics';
import {
  emptyReport,
  lifecycleRunSummary,
  mergeReport,
  runLifecycleJobs,
  type JobReport,
  type LifecycleRunOptions,
} from './lifecycle';
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
 * How long the thread stays after its last run before it ends. An idle thread keeps its own heap, its loaded modules
 * and its connection's page cache: 80–110 MiB of the process's RSS at 100 accounts already, held for the 60 s until
 * the next run (docs/benchmarks.md, "the lifecycle job's thread between runs"). Starting one costs a few hundred
 * milliseconds of CPU a minute; runs that come close together (a burst, back-to-back test runs) share one thread.
 */
export const THREAD_IDLE_STOP_MS = 2_000;

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
  /** The thread the run was sent to: only its failure or exit fails the run. */
  worker: Worker;
  /** The entries the thread has sent so far (committed transactions, in order). */
  entries: JobReport;
  resolve(report: JobReport): void;
  reject(err: Error): void;
}

class ThreadLifecycleRunner implements LifecycleRunner {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  /** The request thread's connection's own wal_autocheckpoint, read before the first run holds it. */
  private ownAutocheckpoint: number | undefined;
  private nextId = 1;
  private closed = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Threads told to end (idle), until they have exited: close() waits for them too. */
  private readonly ending = new Set<Promise<void>>();

  constructor(
    private readonly ctx: Ctx,
    private readonly data: LifecycleWorkerData,
  ) {}

  run(options: LifecycleRunOptions = {}): Promise<JobReport> {
    return observeLifecycleRun(() => this.runInThread(options), lifecycleRunSummary);
  }

  private async runInThread(options: LifecycleRunOptions): Promise<JobReport> {
    if (this.closed) throw new Error('The lifecycle job runner is closed');
    clearTimeout(this.idleTimer);
    const worker = this.thread();
    const id = this.nextId++;
    const request: LifecycleWorkerRequest = {
      type: 'run',
      id,
      now: this.ctx.clock.now().toISOString(),
      pageSize: options.pageSize ?? THREAD_PAGE_SIZE,
    };
    const finished = new Promise<JobReport>((resolve, reject) => {
      this.pending.set(id, { worker, entries: emptyReport(request.now), resolve, reject });
    });
    try {
      if (this.pending.size === 1) await this.requestThreadCheckpoints(false);
      // The thread keeps the process alive only while a run is waiting for it.
      worker.ref();
      worker.postMessage(request);
      return await finished;
    } finally {
      this.pending.delete(id);
      if (this.pending.size === 0) {
        await this.requestThreadCheckpoints(true);
        this.stopWhenIdle();
      }
    }
  }

  /** Ends the thread once no run has come for THREAD_IDLE_STOP_MS; the next run starts a new one. */
  private stopWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const worker = this.worker;
      if (!worker || this.pending.size > 0 || this.closed) return;
      // From here on a new run starts a new thread: this one only gets `close`, after which it ends by itself.
      this.worker = undefined;
      this.ending.add(this.endThread(worker));
    }, THREAD_IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  /** Asks a thread to end after the run in progress (if any), and stops it if it has not within CLOSE_GRACE_MS. */
  private endThread(worker: Worker): Promise<void> {
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies LifecycleWorkerRequest);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), CLOSE_GRACE_MS);
    });
    const ended = Promise.race([exited, late]).then(async (outcome) => {
      clearTimeout(timer);
      if (outcome === 'late') await worker.terminate();
    });
    void ended.finally(() => this.ending.delete(ended));
    return ended;
  }

  /**
   * While the thread runs, the request thread's connection does not checkpoint (wal_autocheckpoint 0): the thread
   * does, past JOB_WAL_AUTOCHECKPOINT_PAGES and once more at the end of the run. A request's commit would otherwise
   * copy the job's WAL into the database on the request thread, up to that many pages at once. Back to the
   * connection's own setting (SQLite's default, 1,000 pages) when no run is waiting.
   */
  private async requestThreadCheckpoints(on: boolean): Promise<void> {
    try {
      if (this.ownAutocheckpoint === undefined) {
        const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(this.ctx.db);
        this.ownAutocheckpoint = Number(rows[0]?.wal_autocheckpoint ?? 1000);
      }
      await sql.raw(`pragma wal_autocheckpoint = ${on ? this.ownAutocheckpoint : 0}`).execute(this.ctx.db);
    } catch (err) {
      // Not worth failing a run for: at worst the request thread checkpoints (or not) a while longer than meant.
      this.ctx.log.error(
        { err: { message: err instanceof Error ? err.message : String(err) } },
        'could not set the request connection WAL checkpoints around the lifecycle job',
      );
    }
  }

  /** The thread, started on first use (most apps never run the job) and again after it died. */
  private thread(): Worker {
    if (this.worker) return this.worker;
    // Next to this module: lifecycle-worker.ts from source (vitest, tsx), lifecycle-worker.js once built.
    const file = join(__dirname, `lifecycle-worker${extname(__filename)}`);
    const fromSource = file.endsWith('.ts');
    // The thread inherits this process's options; from source it also needs the TypeScript loader (unless this
    // process was started with it, `tsx` or `--import tsx`, which the thread then inherits).
    // V8's heap options are refused in a thread's execArgv (ERR_WORKER_INVALID_EXEC_ARGV): the thread's heap is
    // bounded by resourceLimits instead. Every flag in backend/node-flags.cjs must be left out here or be one a
    // thread accepts; backend/test/main.test.ts runs the job with them.
    const inherited = process.execArgv.filter(
      (a) => !/^--(max-(semi-space|old-space|young-generation)-size|heap-growing-percent)\b/.test(a),
    );
    const execArgv =
      fromSource && !inherited.some((a) => /\btsx\b/.test(a)) ? [...inherited, '--import', 'tsx'] : inherited;
    const worker = new Worker(file, { workerData: this.data, execArgv, resourceLimits: JOB_THREAD_RESOURCE_LIMITS });
    worker.unref();
    worker.on('message', (raw: unknown) => this.settle(raw));
    worker.on('error', (err: unknown) =>
      this.failAll(
        worker,
        new Error(`The lifecycle job's thread failed: ${err instanceof Error ? err.message : String(err)}`),
      ),
    );
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(
        worker,
        new Error(`The lifecycle job's thread stopped (exit code ${code}); the next run starts a new one`),
      );
    });
    this.worker = worker;
    return worker;
  }

  private settle(raw: unknown): void {
    const parsed = LifecycleWorkerReply.safeParse(raw);
    if (!parsed.success) {
      for (const waiting of this.pending.values())
        waiting.reject(new Error("The lifecycle job's thread sent a malformed reply"));
      this.pending.clear();
      return;
    }
    const reply = parsed.data;
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    if (reply.type === 'entries') {
      mergeReport(waiting.entries, reply.entries);
      return;
    }
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.type === 'done') {
      // The thread's report carries no entries (they came before it): the run is its ran and at with them.
      waiting.resolve({ ...waiting.entries, ran: reply.report.ran, at: reply.report.at });
    } else waiting.reject(new Error(`The lifecycle job failed: ${reply.error}`));
  }

  /** Fails the runs sent to `worker` (a run already sent to a newer thread is not this thread's to fail). */
  private failAll(worker: Worker, err: Error): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.worker !== worker) continue;
      this.pending.delete(id);
      waiting.reject(err);
    }
  }

  /** Whether a thread is up (tests: it ends THREAD_IDLE_STOP_MS after the last run). */
  get threadRunning(): boolean {
    return this.worker !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    if (worker) this.ending.add(this.endThread(worker));
    await Promise.all([...this.ending]);
  }
}
