import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type * as api from '../../../shared/api';
import type { DB } from '../db/schema';

export type DeliveryState = z.infer<typeof api.DeliveryState>;
export type Delivery = z.infer<typeof api.Delivery>;

type Row = Pick<
  DB['outbox'],
  | 'id'
  | 'channel'
  | 'recipient'
  | 'template'
  | 'status'
  | 'attempts'
  | 'last_error'
  | 'created_at'
  | 'attempted_at'
  | 'sent_at'
  | 'next_attempt_at'
  | 'claimed_until'
>;

/** The one rule from stored columns to a delivery state. */
export function deliveryState(r: Pick<Row, 'status' | 'attempts' | 'claimed_until'>, now: Date): DeliveryState {
  if (r.status === 'sent' || r.status === 'failed' || r.status === 'rejected') return r.status;
  if (r.claimed_until !== null && r.claimed_until >= now.toISOString()) return 'sending';
  return r.attempts > 0 ? 'retrying' : 'queued';
}

function view(r: Row, now: Date): Delivery {
  const state = deliveryState(r, now);
  return {
    id: r.id,
    channel: r.channel === 'sms' ? 'sms' : 'email',
    to: r.recipient,
    template: r.template,
    state,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    lastAttemptAt: r.attempted_at,
    sentAt: r.sent_at,
    nextAttemptAt: state === 'queued' || state === 'retrying' ? r.next_attempt_at : null,
  };
}

const COLUMNS = [
  'id',
  'channel',
  'recipient',
  'template',
  'status',
  'attempts',
  'last_error',
  'created_at',
  'attempted_at',
  'sent_at',
  'next_attempt_at',
  'claimed_until',
] as const;

/** Most deliveries one listing returns (newest first): a subject has a handful of messages, a noisy one a few hundred. */
export const DELIVERY_LIST_MAX = 200;

/** The messages about one account or one invitation, newest first (indexed by subject and sequence). */
export async function listDeliveries(
  db: Kysely<DB>,
  now: Date,
  subject: { accountId: string } | { invitationId: string },
): Promise<Delivery[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(COLUMNS)
    .where(
      'accountId' in subject ? 'account_id' : 'invitation_id',
      '=',
      'accountId' in subject ? subject.accountId : subject.invitationId,
    )
    .orderBy('seq', 'desc')
    .limit(DELIVERY_LIST_MAX)
    .execute();
  return rows.map((r) => view(r, now));
}

/**
 * The delivery state of one message by its reference, when it is of `template` (the reference of a registration's
 * initial-password SMS is handed to the person who registered; nothing else is readable this way).
 */
export async function deliveryByReference(
  db: Kysely<DB>,
  now: Date,
  ref: string,
  template: string,
): Promise<DeliveryState | undefined> {
  const r = await db
    .selectFrom('outbox')
    .select(['status', 'attempts', 'claimed_until'])
    .where('id', '=', ref)
    .where('template', '=', template)
    .executeTakeFirst();
  return r ? deliveryState(r, now) : undefined;
}

/** The newest message of `template` about the account, or undefined when none was queued. */
export async function latestDelivery(
  db: Kysely<DB>,
  now: Date,
  accountId: string,
  template: string,
): Promise<Delivery | undefined> {
  const r = await db
    .selectFrom('outbox')
    .select(COLUMNS)
    .where('account_id', '=', accountId)
    .where('template', '=', template)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? view(r, now) : undefined;
}
