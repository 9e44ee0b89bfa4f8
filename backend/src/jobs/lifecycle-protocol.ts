import { z } from 'zod';
import { JobReport } from './lifecycle';

/**
 * The job thread's SQLite page cache, KiB: the job reads each page of candidates once, in index order, and writes
 * a few hundred rows per transaction, so a large cache would mostly hold pages it never reads again.
 */
export const JOB_SQLITE_CACHE_KIB = 8 * 1024;

/**
 * The WAL size (pages of 4 KiB) past which the job thread's commits checkpoint; SQLite's default is 1,000. A page of
 * the job (100 accounts, their messages and audit records) writes about 450 pages of WAL, since the rows it touches
 * are spread over the tables and their indexes: at 1,000 every other commit checkpointed (an fsync, and the same hot
 * pages copied again each time), and the commits took half of a run at 100,000 accounts (4.8–5.3 s of 9–10 s; 2.4–2.6
 * s of 6.5 s at 10,000). The run ends with a checkpoint of its own, and while it runs the request thread's
 * connection does not checkpoint at all (lifecycle-runner.ts), so no request pays for the job's WAL.
 */
export const JOB_WAL_AUTOCHECKPOINT_PAGES = 10_000;

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

/**
 * Worker → main thread, for run `id`: what each committed transaction did (`entries`, one page of accounts or
 * invitations at a time, in order), then the end of the run (`done`: its report without entries, for the main thread
 * to add them and record the metrics), or why it failed. A page at a time, each message is small to receive and to
 * check: one reply with the whole run stalled the main thread's event loop for 71 ms at 100,000 accounts.
 */
export const LifecycleWorkerReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('entries'), id: z.number().int(), entries: JobReport }),
  z.object({ type: z.literal('done'), id: z.number().int(), report: JobReport }),
  z.object({ type: z.literal('failed'), id: z.number().int(), error: z.string() }),
]);
export type LifecycleWorkerReply = z.infer<typeof LifecycleWorkerReply>;
