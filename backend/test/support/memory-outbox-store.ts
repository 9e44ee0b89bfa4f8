import type { OutboundMessage } from '../../src/delivery/types';
import type { OutboxRow, OutboxStore, SentMark } from '../../src/delivery/worker';

export interface MemoryOutboxEntry extends OutboxRow {
  status: 'pending' | 'sent' | 'failed' | 'rejected';
  createdAt: Date;
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  claimedUntil: Date | null;
}

/** An in-memory OutboxStore with the same lease semantics as the database one, for the worker's and transports' tests. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly rows: MemoryOutboxEntry[] = [];
  private seq = 0;
  constructor(private readonly leaseSeconds = 60) {}

  enqueue(msg: Omit<OutboundMessage, 'id'> & { id?: string }, now: Date): MemoryOutboxEntry {
    const entry: MemoryOutboxEntry = {
      ...msg,
      id: msg.id ?? `msg-${++this.seq}`,
      attempts: 0,
      status: 'pending',
      createdAt: now,
      nextAttemptAt: now,
      sentAt: null,
      lastError: null,
      claimedUntil: null,
    };
    this.rows.push(entry);
    return entry;
  }

  list(): readonly MemoryOutboxEntry[] {
    return this.rows;
  }

  get(id: string): MemoryOutboxEntry | undefined {
    return this.rows.find((r) => r.id === id);
  }

  async claimDue(now: Date, limit: number): Promise<OutboxRow[]> {
    const due = this.rows
      .filter((r) => r.status === 'pending' && r.nextAttemptAt <= now && (!r.claimedUntil || r.claimedUntil < now))
      .slice(0, limit);
    for (const r of due) r.claimedUntil = new Date(now.getTime() + this.leaseSeconds * 1000);
    return due.map((r) => ({
      id: r.id,
      channel: r.channel,
      to: r.to,
      template: r.template,
      ...(r.subject !== undefined ? { subject: r.subject } : {}),
      body: r.body,
      data: { ...r.data },
      attempts: r.attempts,
    }));
  }

  async markSent(marks: readonly SentMark[]): Promise<void> {
    for (const { id, sentAt, eraseData, redactedBody } of marks) {
      const r = this.mustGet(id);
      r.status = 'sent';
      r.sentAt = sentAt;
      r.claimedUntil = null;
      r.lastError = null;
      if (eraseData) {
        r.data = {};
        if (redactedBody !== undefined) r.body = redactedBody;
      }
    }
  }

  async markFailed(
    id: string,
    attempts: number,
    nextAttemptAt: Date | null,
    error: string,
    redactedBody?: string,
    final: 'failed' | 'rejected' = 'failed',
  ): Promise<void> {
    const r = this.mustGet(id);
    r.attempts = attempts;
    r.lastError = error;
    r.claimedUntil = null;
    if (nextAttemptAt) r.nextAttemptAt = nextAttemptAt;
    else {
      r.status = final;
      if (redactedBody !== undefined) {
        r.data = {};
        r.body = redactedBody;
      }
    }
  }

  async purgeSent(before: Date, limit: number): Promise<number> {
    const old = this.rows.filter((r) => r.status === 'sent' && r.sentAt !== null && r.sentAt < before).slice(0, limit);
    for (const r of old) this.rows.splice(this.rows.indexOf(r), 1);
    return old.length;
  }

  private mustGet(id: string): MemoryOutboxEntry {
    const r = this.get(id);
    if (!r) throw new Error(`No outbox row ${id}`);
    return r;
  }
}
