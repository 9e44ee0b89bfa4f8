import { z } from 'zod';
import { JobReport } from './lifecycle';

/**
 * The job thread's SQLite page cache, KiB: the job reads each page of candidates once, in index order, and writes
 * a few hundred rows per transaction, so a large cache would mostly hold pages it never reads again.
 */
export const JOB_SQLITE_CACHE_KIB = 8 * 1024;

/**
 * The job thread's V8 heap limits (MiB). The job's live data is one page of accounts and the run's report (a few
 * MiB at 100,000 accounts); without limits the thread's heap grows like any isolate's (its young generation alone
 * up to 48 MiB) and counts towards the backend's memory budget (300 MiB at 100,000 accounts).
 */
export const JOB_THREAD_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } as const;

/** What the lifecycle job's worker thread is started with (workerData): it opens its own connection to the file. */
export const LifecycleWorkerData = z.object({
  /** The SQLite data dir (the same file the main thread has open). */
  dataDir: z.string().min(1),
  /** Production seals outbox bodies at rest: the configured key ring, kept in the thread's memory only. */
  sealing: z
    .object({ currentId: z.string(), keys: z.array(z.tuple([z.string(), z.instanceof(Uint8Array)])) })
    .nullable(),
  deadlines: z.record(z.string(), z.number()),
});
export type LifecycleWorkerData = z.infer<typeof LifecycleWorkerData>;

/** Main thread → worker: run once as of `now` (the main thread's clock, so a test clock keeps working), or stop. */
export const LifecycleWorkerRequest = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run'),
    id: z.number().int(),
    now: z.string().datetime(),
    pageSize: z.number().int().positive(),
  }),
  z.object({ type: z.literal('close') }),
]);
export type LifecycleWorkerRequest = z.infer<typeof LifecycleWorkerRequest>;

/** Worker → main thread: the run's report (the main thread records the metrics), or why it failed. */
export const LifecycleWorkerReply = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), report: JobReport }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: z.string() }),
]);
export type LifecycleWorkerReply = z.infer<typeof LifecycleWorkerReply>;
