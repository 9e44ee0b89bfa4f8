/**
 * The lifecycle job's thread (SQLite file databases): better-sqlite3 runs every statement synchronously, so the
 * job runs here on its own connection and the request thread only ever waits for the write lock of one short page
 * transaction. Started by lifecycle-runner.ts; the job itself is runLifecycleJobsAt, the same function that runs
 * in-process on PostgreSQL.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sql } from 'kysely';
import { resolveDeadlines } from '../../../shared/domain/deadlines';
import { openDatabase } from '../db/connect';
import { OutboxSealing } from '../outbox/outbox-store';
import { runLifecycleJobsAt } from './lifecycle';
import {
  JOB_SQLITE_CACHE_KIB,
  JOB_WAL_AUTOCHECKPOINT_PAGES,
  LifecycleWorkerData,
  LifecycleWorkerRequest,
  type LifecycleWorkerReply,
} from './lifecycle-protocol';

const port = parentPort;
if (!port) throw new Error('lifecycle-worker runs as a worker thread (see lifecycle-runner.ts)');
const data = LifecycleWorkerData.parse(workerData);
const database = openDatabase({
  dataDir: data.dataDir,
  sqliteCacheKiB: JOB_SQLITE_CACHE_KIB,
  sqliteWalAutocheckpointPages: JOB_WAL_AUTOCHECKPOINT_PAGES,
});
const db = data.sealing
  ? database.db.withPlugin(
      new OutboxSealing({
        currentId: data.sealing.currentId,
        keys: new Map(data.sealing.keys.map(([id, key]) => [id, Buffer.from(key)])),
      }),
    )
  : database.db;
const ctx = { db, deadlines: resolveDeadlines(data.deadlines) };

let running: Promise<void> = Promise.resolve();
port.on('message', (raw: unknown) => {
  const msg = LifecycleWorkerRequest.parse(raw);
  if (msg.type === 'close') {
    // After the run in progress (if any): its transaction commits or rolls back, then the connection closes.
    void running.then(async () => {
      await database.close();
      port.close();
    });
    return;
  }
  running = running.then(async () => {
    const post = (reply: LifecycleWorkerReply) => port.postMessage(reply);
    // What a run left in the WAL goes into the database here, on this thread, before the run is reported over: the
    // request thread's connection checkpoints again after that, and would otherwise copy the run's pages itself.
    const checkpoint = () => sql`pragma wal_checkpoint(PASSIVE)`.execute(database.db).catch(() => undefined);
    try {
      const report = await runLifecycleJobsAt(ctx, new Date(msg.now), {
        pageSize: msg.pageSize,
        onCommitted: (entries) => post({ type: 'entries', id: msg.id, entries }),
      });
      await checkpoint();
      post({ type: 'done', id: msg.id, report });
    } catch (err) {
      await checkpoint();
      post({ type: 'failed', id: msg.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
});
