import { z } from 'zod';
import { JobReport } from './lifecycle';

/** What the lifecycle job's worker thread is started with (workerData): it opens its own connection to the file. */
export const LifecycleWorkerData = z.object({
  /** The SQLite data dir (the same file the main thread has open). */
  dataDir: z.string().min(1),
  /** Production seals outbox bodies at rest: the configured key ring, kept in the thread's memory only. */
  sealing: z.object({ currentId: z.string(), keys: z.array(z.tuple([z.string(), z.instanceof(Uint8Array)])) }).nullable(),
  deadlines: z.record(z.string(), z.number()),
});
export type LifecycleWorkerData = z.infer<typeof LifecycleWorkerData>;

/** Main thread → worker: run once as of `now` (the main thread's clock, so a test clock keeps working), or stop. */
export const LifecycleWorkerRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), id: z.number().int(), now: z.string().datetime(), pageSize: z.number().int().positive() }),
  z.object({ type: z.literal('close') }),
]);
export type LifecycleWorkerRequest = z.infer<typeof LifecycleWorkerRequest>;

/** Worker → main thread: the run's report (the main thread records the metrics), or why it failed. */
export const LifecycleWorkerReply = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), report: JobReport }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: z.string() }),
]);
export type LifecycleWorkerReply = z.infer<typeof LifecycleWorkerReply>;
