import { recordDelivery } from '../observability/metrics';
import { isTemplateId, secretKeys } from './templates';
import { PermanentDeliveryError, type Channel, type OutboundMessage, type Transport } from './types';

/** An outbox row as the worker sees it: the message plus how many delivery attempts have failed so far. */
export type OutboxRow = OutboundMessage & { attempts: number };

/** One delivered row, as OutboxStore.markSent takes it. */
export interface SentMark {
  id: string;
  sentAt: Date;
  eraseData: boolean;
  redactedBody?: string;
}

/**
 * The worker's view of the outbox table. DbOutboxStore (outbox/outbox-store.ts) implements it over the database (claims
 * are leases so several replicas never send one row twice); the tests' in-memory one is
 * backend/test/support/memory-outbox-store.ts.
 */
export interface OutboxStore {
  /** Pending rows whose next attempt is due at `now` (oldest first), claimed so no other worker takes them. */
  claimDue(now: Date, limit: number): Promise<OutboxRow[]>;
  /**
   * Delivered, each of `marks` (written together): never send again. With `eraseData`, drop the template data
   * (secrets) from the row and replace the body with `redactedBody` (the text with every secret replaced), kept for
   * support.
   */
  markSent(marks: readonly SentMark[]): Promise<void>;
  /**
   * Failed attempt number `attempts`: keep the row pending until `nextAttemptAt`, or give up for good when it is
   * null (only for a PermanentDeliveryError, `final` = 'rejected', or when `maxAttempts` is reached, 'failed'). `error`
   * never contains secrets. A row given up with `redactedBody` loses its secrets the same way as a delivered one.
   * `at` is when the attempt ended.
   */
  markFailed(
    id: string,
    attempts: number,
    nextAttemptAt: Date | null,
    error: string,
    redactedBody?: string,
    final?: 'failed' | 'rejected',
    at?: Date,
  ): Promise<void>;
  /** Deletes up to `limit` rows delivered before `before`; returns how many (retention of sent rows). */
  purgeSent?(before: Date, limit: number): Promise<number>;
}

export const REDACTED = '[redacted]';

/**
 * The message as support may still see it after delivery: the body with each secret template variable (password,
 * code, token, link) replaced, in plain, URL-encoded and JSON-escaped form. A template the catalogue does not know
 * keeps nothing.
 */
export function redactedPreview(msg: Pick<OutboundMessage, 'template' | 'body' | 'data'>): string {
  if (!isTemplateId(msg.template)) return '[message body erased after delivery]';
  return redactSecrets(msg.body, msg);
}

/**
 * `text` with every secret of the message replaced: the secret template variables of a known template, every
 * template variable of an unknown one (a transport's error text may quote the message; it is stored and shown).
 */
function redactSecrets(text: string, msg: Pick<OutboundMessage, 'template' | 'body' | 'data'>): string {
  const keys = isTemplateId(msg.template) ? secretKeys(msg.template) : Object.keys(msg.data);
  const values = keys
    .map((k) => msg.data[k])
    .filter((v): v is string | number => (typeof v === 'string' && v.length > 0) || typeof v === 'number')
    .flatMap((v) => [String(v), encodeURIComponent(String(v)), JSON.stringify(String(v)).slice(1, -1)])
    // Shortest first: a token inside a secret link is replaced in place, so the preview still shows which link it was.
    .sort((a, b) => a.length - b.length);
  let out = text;
  for (const v of values) out = out.split(v).join(REDACTED);
  return out;
}

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BackoffOptions {
  /** Delay after the first failure, seconds (default 30). */
  baseSeconds: number;
  /** Upper bound of any delay, seconds (default 1 h). */
  maxSeconds: number;
  /** A random number in [0, 1) (default Math.random); injectable for tests. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseSeconds: 30, maxSeconds: 3600, random: Math.random };

/**
 * Delay before the next attempt after `attempts` failures: exponential (base·2^(attempts-1)) with "equal jitter"
 * (half fixed, half random) so replicas spread out, then capped at max. Jitter is applied before the cap, so the
 * delay never shrinks from one attempt to the next.
 */
export function backoffSeconds(attempts: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const raw = o.baseSeconds * 2 ** Math.min(Math.max(0, attempts - 1), 60);
  const r = Math.min(Math.max(o.random(), 0), 1);
  return Math.min(o.maxSeconds, raw / 2 + (raw / 2) * r);
}

export interface OutboxWorkerOptions {
  store: OutboxStore;
  /** The transport per channel. A channel without one keeps its rows pending (retried with backoff). */
  transports: Partial<Record<Channel, Transport>>;
  /**
   * Erase template data after delivery. Pass `mode === 'production'`: in test and demo mode the data stays for the
   * test outbox / demo inbox. A transport with `retainsData` (the outbox-only one) never erases.
   */
  eraseData: boolean;
  /** Rows per claim (default 50). */
  batchSize?: number;
  /**
   * Messages in flight at once within a claimed batch (default 1). Set it to what the transports can carry (the
   * SMTP pool's connections): one message at a time would leave a pooled transport idle between replies.
   */
  concurrency?: number;
  /** Claims per runOnce, to bound one run (default 20). */
  maxBatchesPerRun?: number;
  backoff?: Partial<BackoffOptions>;
  /** Give up after this many failed attempts (default: never; an outage loses nothing). */
  maxAttempts?: number;
  /** The clock `start()` uses for each run (default: the system clock). */
  now?: () => Date;
  logger?: WorkerLogger;
  /**
   * Delete delivered rows older than `sentSeconds` at the end of each run, at most `batchSize` × `maxBatches` rows
   * per run (default 500 × 4) so a large backlog never holds the database for long. Unset: delivered rows are kept
   * (test and demo mode: the outbox is the inbox).
   */
  retention?: { sentSeconds: number; batchSize?: number; maxBatches?: number };
}

/** How one delivery attempt ended (also the outcome label of the delivery metrics). */
export type DeliveryOutcome = 'sent' | 'retrying' | 'failed' | 'rejected';

export interface RunResult {
  sent: string[];
  /** Delivered rows deleted by the retention rule this run. */
  purged?: number;
  /** Failed this run: retried later (`retrying`), or given up (`failed` after the retries, `rejected` by the transport). */
  failed: {
    id: string;
    attempts: number;
    nextAttemptAt: Date | null;
    error: string;
    outcome: Exclude<DeliveryOutcome, 'sent'>;
  }[];
}

/** A row the transport took, waiting for its mark; `log` is its "message delivered" line. */
interface Delivered {
  row: OutboxRow;
  log: Record<string, unknown>;
  mark: SentMark;
}

/** How long a delivered row may wait for its group's mark (see runOnce): a few messages' worth at full speed. */
const MARK_WINDOW_MS = 5;

const silent: WorkerLogger = { info() {}, warn() {}, error() {} };

export class OutboxWorker {
  private readonly o: Required<
    Omit<OutboxWorkerOptions, 'backoff' | 'logger' | 'now' | 'maxAttempts' | 'retention'>
  > & {
    retention: OutboxWorkerOptions['retention'];
    backoff: BackoffOptions;
    logger: WorkerLogger;
    now: () => Date;
    maxAttempts: number;
  };
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<RunResult> | undefined;

  constructor(options: OutboxWorkerOptions) {
    this.o = {
      store: options.store,
      transports: options.transports,
      eraseData: options.eraseData,
      batchSize: options.batchSize ?? 50,
      concurrency: Math.max(1, options.concurrency ?? 1),
      maxBatchesPerRun: options.maxBatchesPerRun ?? 20,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      logger: options.logger ?? silent,
      now: options.now ?? (() => new Date()),
      maxAttempts: options.maxAttempts ?? Number.POSITIVE_INFINITY,
      retention: options.retention,
    };
  }

  /**
   * Sends every message due at `now`. Never throws for a transport failure; a store failure rejects.
   * The next batch is claimed while the current one is still being sent (when fewer rows are waiting than there are
   * messages in flight), so the transports never sit idle waiting for the database between batches.
   */
  async runOnce(now: Date): Promise<RunResult> {
    const result: RunResult = { sent: [], failed: [] };
    const seen = new Set<string>();
    const waiting: OutboxRow[] = [];
    let batches = 0;
    let exhausted = false;
    let claiming: Promise<void> | undefined;
    let claimFailure: Error | undefined;
    const claim = (): Promise<void> =>
      (claiming ??= (async () => {
        try {
          const rows = await this.o.store.claimDue(now, this.o.batchSize);
          batches++;
          const fresh = rows.filter((r) => !seen.has(r.id));
          for (const r of fresh) {
            seen.add(r.id);
            waiting.push(r);
          }
          if (rows.length < this.o.batchSize || fresh.length === 0 || batches >= this.o.maxBatchesPerRun)
            exhausted = true;
        } catch (err) {
          claimFailure ??= err instanceof Error ? err : new Error(String(err));
          exhausted = true;
        } finally {
          claiming = undefined;
        }
        // Let requests in between claims: on SQLite the driver is synchronous, so a run of awaited statements never
        // returns to the event loop by itself.
        await new Promise<void>((resolve) => setImmediate(resolve));
      })());
    // Delivered rows are marked in groups, one transaction each, while the senders go on sending: a commit per
    // message was the largest database cost of a delivery. A group is written once `batchSize` marks wait, or
    // MARK_WINDOW_MS after its first; the run ends only when every mark is written, and a failed write stops the
    // senders. A crash in between sends those messages again after their lease, as a crash between a send and its
    // mark always could (delivery is at least once).
    const delivered: Delivered[] = [];
    const writes: Promise<void>[] = [];
    let markFailure: Error | undefined;
    let flushQueued = false;
    const flush = (): void => {
      flushQueued = false;
      const group = delivered.splice(0);
      if (group.length === 0) return;
      writes.push(
        this.o.store.markSent(group.map((d) => d.mark)).then(
          () => {
            for (const { row, log } of group) {
              result.sent.push(row.id);
              recordDelivery(row.channel, 'sent', row.to);
              this.o.logger.info(log, 'message delivered');
            }
          },
          (err: unknown) => {
            markFailure ??= err instanceof Error ? err : new Error(String(err));
          },
        ),
      );
    };
    let sliceStarted = performance.now();
    const sender = async (): Promise<void> => {
      for (;;) {
        if (markFailure) return;
        if (!exhausted && !claiming && waiting.length < this.o.concurrency && waiting.length > 0) void claim();
        const row = waiting.shift();
        if (!row) {
          if (claiming) await claiming;
          else if (exhausted) return;
          else await claim();
          continue;
        }
        const sent = await this.deliver(row, now, result);
        if (sent) {
          delivered.push(sent);
          if (delivered.length >= this.o.batchSize) flush();
          else if (!flushQueued) {
            flushQueued = true;
            setTimeout(flush, MARK_WINDOW_MS);
          }
        }
        // Never hold the event loop for more than a few milliseconds.
        if (performance.now() - sliceStarted > 10) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStarted = performance.now();
        }
      }
    };
    await Promise.all(Array.from({ length: this.o.concurrency }, sender));
    flush();
    await Promise.all(writes);
    if (markFailure !== undefined) throw markFailure;
    if (claimFailure !== undefined) throw claimFailure;
    const keep = this.o.retention;
    if (keep && this.o.store.purgeSent) {
      const before = new Date(now.getTime() - keep.sentSeconds * 1000);
      const batch = keep.batchSize ?? 500;
      let purged = 0;
      for (let i = 0; i < (keep.maxBatches ?? 4); i++) {
        const n = await this.o.store.purgeSent(before, batch);
        purged += n;
        if (n < batch) break;
      }
      result.purged = purged;
    }
    return result;
  }

  /** Sends one row; a failure is recorded here, a success is returned to be marked (see runOnce). */
  private async deliver(row: OutboxRow, now: Date, result: RunResult): Promise<Delivered | undefined> {
    const transport = this.o.transports[row.channel];
    const log = { id: row.id, template: row.template, channel: row.channel, attempt: row.attempts + 1 };
    try {
      if (!transport) throw new Error(`No ${row.channel} transport is configured.`);
      const { attempts: _attempts, ...msg } = row;
      await transport.send(msg);
    } catch (err) {
      const attempts = row.attempts + 1;
      // Redacted before it is stored, shown to support or logged: a transport's error may quote the message.
      const error = errorText(err, transport?.name, row);
      const rejected = err instanceof PermanentDeliveryError;
      const giveUp = rejected || attempts >= this.o.maxAttempts;
      const nextAttemptAt = giveUp ? null : new Date(now.getTime() + backoffSeconds(attempts, this.o.backoff) * 1000);
      // A message given up for good will never be sent: its secrets have no further use.
      const erase = giveUp && this.o.eraseData && !transport?.retainsData;
      const outcome = !giveUp ? 'retrying' : rejected ? 'rejected' : 'failed';
      await this.o.store.markFailed(
        row.id,
        attempts,
        nextAttemptAt,
        error,
        erase ? redactedPreview(row) : undefined,
        outcome === 'retrying' ? 'failed' : outcome,
        now,
      );
      result.failed.push({ id: row.id, attempts, nextAttemptAt, error, outcome });
      // By channel, outcome and destination country calling code (the metric keeps only that of the number).
      recordDelivery(row.channel, outcome, row.to);
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the logger as `this` on the next line
      (giveUp ? this.o.logger.error : this.o.logger.warn).call(
        this.o.logger,
        { ...log, error, nextAttemptAt: nextAttemptAt?.toISOString() ?? null },
        outcome === 'rejected'
          ? 'message rejected by the transport; not retried'
          : giveUp
            ? 'message delivery failed for good'
            : 'message delivery failed; will retry',
      );
      return undefined;
    }
    const erase = this.o.eraseData && !transport.retainsData;
    return {
      row,
      log: { ...log, transport: transport.name },
      mark: { id: row.id, sentAt: now, eraseData: erase, ...(erase ? { redactedBody: redactedPreview(row) } : {}) },
    };
  }

  /** Runs every `intervalMs` (never two runs at once). The timer does not keep the process alive. */
  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref?.();
  }

  /** Runs now unless a run is in progress; logs (never throws) a store failure. */
  async tick(): Promise<RunResult | undefined> {
    if (this.running) return undefined;
    this.running = this.runOnce(this.o.now());
    try {
      return await this.running;
    } catch (err) {
      this.o.logger.error({ error: errorText(err) }, 'outbox run failed; will try again');
      return undefined;
    } finally {
      this.running = undefined;
    }
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}

function errorText(err: unknown, transport?: string, row?: OutboxRow): string {
  const raw = err instanceof Error ? err.message : String(err);
  const m = row ? redactSecrets(raw, row) : raw;
  // Cut after the redaction: a cut first could leave the start of a secret that no longer matches it.
  return (transport && !m.toLowerCase().includes(transport) ? `${transport}: ${m}` : m).slice(0, 500);
}
