/**
 * What an account status change does besides the state itself, in one place for every path that changes it: the
 * lifecycle job (T3, T4, T6, T9) and an administrator (enable, disable, terminate). Both write the same row values
 * and queue the same emails with the same data; only `source` and `reason` say who acted and why.
 */
import type { Kysely } from 'kysely';
import { supportedLocaleOr } from '../../../shared/domain/locale';
import type { DB } from '../db/schema';
import { INVITER_LOCALE, type StatusReason } from '../delivery/templates';
import type { NewMessage } from '../outbox/outbox-store';
import { holdsSeedLicence } from '../../../shared/domain/seed-provision';

/** Who changed the status (the N-STATUS template words `scheduled-job` as "automatically"). */
export type StatusChangeSource = 'scheduled-job' | 'admin';
export type EndingState = 'DISABLED' | 'TERMINATED';
export type NotifiedStatus = 'enabled' | 'disabled' | 'terminated' | 'deleted';

/** The account fields the side effects read (a database row fits). */
export interface StatusChangeSubject {
  /** The account: its notices are listed with its deliveries. */
  id: string;
  login_id: string;
  email: string;
  inviter_email: string | null;
  seed_state: string;
  /** The holder's language (the requestor's copy is in the inviters' language). */
  locale: string | null;
}

/** Disabling revokes a SEED licence the account holds (T4, and an administrator's disable alike). */
export function revokesSeedLicence(to: EndingState, seedState: string): boolean {
  return to === 'DISABLED' && holdsSeedLicence(seedState);
}

/**
 * The row values of a move to DISABLED or TERMINATED at `at` (to be written by a compare-and-set on the state it
 * was judged against): the grace clock restarts, the reminder key clears, TERMINATED records when (T9 counts from
 * it), and a disable revokes the SEED licence.
 */
export function endingValues(a: Pick<StatusChangeSubject, 'seed_state'>, to: EndingState, at: string) {
  const revoke = revokesSeedLicence(to, a.seed_state);
  return {
    state: to,
    status_modified_at: at,
    last_reminder_key: null,
    ...(to === 'TERMINATED' ? { terminated_at: at } : {}),
    ...(revoke ? { seed_state: 'LICENCE_REVOKED', seed_revoked_at: at } : {}),
  };
}

export interface StatusChangeNotice {
  status: NotifiedStatus;
  at: string;
  source: StatusChangeSource;
  /** Why, as the template words it (the job's rule, or an administrator). */
  reason?: StatusReason;
  /** The SEED licence was revoked with this change (N-SEED-REVOKED to the holder). */
  seedRevoked?: boolean;
}

/**
 * The emails of a status change: N-STATUS to the holder and, except for the final deletion (the requestor was told
 * of the termination), to the requestor; N-SEED-REVOKED when the licence went with it.
 */
export function statusChangeMessages(a: StatusChangeSubject, n: StatusChangeNotice): NewMessage[] {
  const data = {
    loginId: a.login_id,
    status: n.status,
    at: n.at,
    source: n.source,
    ...(n.reason !== undefined ? { reason: n.reason } : {}),
  };
  const locale = supportedLocaleOr(a.locale);
  const accountId = a.id;
  const out: NewMessage[] = [{ channel: 'email', to: a.email, template: 'N-STATUS', data, locale, accountId }];
  if (a.inviter_email && n.status !== 'deleted')
    out.push({ channel: 'email', to: a.inviter_email, template: 'N-STATUS', data, locale: INVITER_LOCALE, accountId });
  if (n.seedRevoked)
    out.push({
      channel: 'email',
      to: a.email,
      template: 'N-SEED-REVOKED',
      data: { loginId: a.login_id, at: n.at },
      locale,
      accountId,
    });
  return out;
}

/** A disabled or terminated account keeps no session: every one of these accounts is signed out. */
export async function endSessionsOf(db: Kysely<DB>, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await db.deleteFrom('sessions').where('account_id', 'in', accountIds).execute();
}
