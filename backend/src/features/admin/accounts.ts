import { randomUUID } from 'node:crypto';
import type { AdminAccountAction, AdminSupportAction } from '../../../../shared/api/provisioning';
import { type Kysely, sql } from 'kysely';
import { supportedLocaleOr } from '../../../../shared/domain/locale';
import { generateInitialPassword } from '../../../../shared/domain/password-policy';
import type { Ctx } from '../../context';
import type { DB } from '../../db/schema';
import { addSec, iso } from '../../context';
import { randomInt, randomToken, sha256 } from '../../crypto';
import { ApiError } from '../../http/errors';
import {
  endingValues,
  endSessionsOf,
  revokesSeedLicence,
  statusChangeMessages,
  type StatusChangeNotice,
} from '../../lifecycle/status-change';
import { enqueue, enqueueMany } from '../../outbox/outbox-store';
import { flagsOf, refreshOnboarding, requireAccountByUsername, seedView, type Account } from '../me/accounts';
import { adminActor, audit, isAuditEventType } from '../../db/audit';
import { revokeSessions } from '../sessions/service';
import { endSessions, takeCooldown } from '../phone/codes';

const RESET_LINK_SECONDS = 24 * 3600;

export function accountSummary(ctx: Ctx, a: Account) {
  return {
    username: a.username,
    loginId: a.login_id,
    state: a.state,
    flags: flagsOf(a),
    createdAt: a.created_at,
    seed: seedView(ctx, a),
  };
}

const conflict = (msg: string) => new ApiError({ status: 409, code: 'CONFLICT', message: msg });
const changedMeanwhile = () =>
  conflict(
    'This account changed just now (another administrator or a lifecycle rule acted on it). Reload the account and try again if still needed.',
  );

/** The N-STATUS (and N-SEED-REVOKED) emails of a status change by an administrator: the lifecycle job's own. */
async function statusEmail(db: Kysely<DB>, a: Account, now: Date, notice: Omit<StatusChangeNotice, 'source' | 'at'>) {
  await enqueueMany(db, now, statusChangeMessages(a, { ...notice, at: iso(now), source: 'admin' }));
}

export async function accountAction(
  ctx: Ctx,
  username: string,
  action: AdminAccountAction | AdminSupportAction,
  actor: string,
  ticket?: string,
) {
  const a = await requireAccountByUsername(ctx, username);
  const now = ctx.clock.now();
  const nowIso = iso(now);
  const set = (values: Partial<Account>) => ctx.db.updateTable('accounts').set(values).where('id', '=', a.id).execute();
  // A state change is a compare-and-set on the state it was judged against: of concurrent actions (another
  // administrator, a lifecycle rule) only one moves the account from the state it read; a terminated account is
  // never brought back by a disable or enable that read it before.
  const moveState = async (db: Kysely<DB>, values: Partial<Account>) => {
    const res = await db
      .updateTable('accounts')
      .set(values)
      .where('id', '=', a.id)
      .where('state', '=', a.state)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw changedMeanwhile();
  };
  const event = `account.${action}`;
  const auditAction = (db: Kysely<DB>) =>
    isAuditEventType(event)
      ? audit(db, now, adminActor(actor), event, a.username, ticket ? { ticket } : {})
      : Promise.resolve();
  let audited = false;
  // A status change (enable, disable, terminate) writes the state, ends the sessions, queues the emails and records
  // the audit in one transaction, as the lifecycle job does: a failure in any of them leaves the account as it was.
  const statusChange = async (work: (tx: Kysely<DB>) => Promise<void>) => {
    await ctx.db.transaction().execute(async (tx) => {
      await work(tx);
      await auditAction(tx);
    });
    audited = true;
  };
  switch (action) {
    case 'enable': {
      if (a.state !== 'DISABLED') throw conflict(`Only a DISABLED account can be enabled; this one is ${a.state}.`);
      await statusChange(async (tx) => {
        const devices = await tx
          .selectFrom('seed_devices')
          .select('id')
          .where('account_id', '=', a.id)
          .where('status', '=', 'onboarded')
          .execute();
        await moveState(tx, {
          state: 'ACTIVE',
          status_modified_at: nowIso,
          last_reminder_key: null,
          ...(a.seed_state === 'LICENCE_REVOKED'
            ? { seed_state: devices.length ? 'ONBOARDED' : 'PROVISIONED', seed_revoked_at: null }
            : {}),
        });
        await statusEmail(tx, a, now, { status: 'enabled', reason: 'administrator' });
      });
      break;
    }
    case 'disable': {
      if (a.state !== 'ACTIVE' && a.state !== 'PENDING')
        throw conflict(`Only an ACTIVE or PENDING account can be disabled; this one is ${a.state}.`);
      await statusChange(async (tx) => {
        await moveState(tx, endingValues(a, 'DISABLED', nowIso));
        await endSessionsOf(tx, [a.id]);
        await statusEmail(tx, a, now, {
          status: 'disabled',
          reason: 'administrator',
          seedRevoked: revokesSeedLicence('DISABLED', a.seed_state),
        });
      });
      break;
    }
    case 'terminate': {
      if (a.state === 'TERMINATED') throw conflict('This account is already terminated.');
      await statusChange(async (tx) => {
        await moveState(tx, endingValues(a, 'TERMINATED', nowIso));
        await endSessionsOf(tx, [a.id]);
        await statusEmail(tx, a, now, { status: 'terminated', reason: 'administrator' });
      });
      break;
    }
    case 'reset-mfa': {
      await set({ mfa_registered: 0, totp_secret: null, totp_pending_secret: null });
      await revokeSessions(ctx, a.id);
      break;
    }
    case 'unlock': {
      await set({ locked: 0, failed_login_count: 0, mfa_failed_count: 0 });
      break;
    }
    case 'resend-initial-password': {
      if (a.password_delivery !== 'sms' || !a.must_change_password) {
        throw conflict(
          'There is no initial password to resend: the user set their own password or has already changed it. Use a password reset instead.',
        );
      }
      if (!['PENDING', 'ACTIVE'].includes(a.state)) throw conflict(`The account is ${a.state}.`);
      const password = generateInitialPassword((max) => randomInt(0, max), undefined, {
        username: a.username,
        names: [a.first_name, a.last_name],
      });
      const hash = await ctx.hasher.hash(password);
      // A18: the resend makes the old initial password invalid. Compare-and-set on the password it was judged
      // against, in the transaction that ends the sessions and queues the SMS: a password the user chose meanwhile is
      // never replaced, and of concurrent resends exactly one sends (the SMS received is the password in force).
      await ctx.db.transaction().execute(async (tx) => {
        // At most one support resend a minute per account (a burst of clicks sends one SMS, not one each).
        const cooldown = ctx.deadlines.smsCodeResendCooldown;
        if (!(await takeCooldown(tx, `initpwd-support-cooldown:${a.id}`, now, cooldown))) {
          throw new ApiError({
            status: 429,
            code: 'RATE_LIMITED',
            message: `A new initial password was sent to this account less than ${cooldown} seconds ago. Wait a minute before sending another one.`,
            details: { retryAfterSeconds: cooldown },
            headers: { 'Retry-After': String(cooldown) },
          });
        }
        const res = await tx
          .updateTable('accounts')
          .set({
            password_hash: hash,
            initial_password_hash: hash,
            password_changed_at: nowIso,
            password_history: JSON.stringify([hash]),
          })
          .where('id', '=', a.id)
          .where('password_hash', '=', a.password_hash)
          .where('must_change_password', '=', 1)
          .where('state', 'in', ['PENDING', 'ACTIVE'])
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) {
          throw conflict(
            'The password of this account changed just now (the user changed it, or another resend went out). Reload the account; resend again only if the user still has no working password.',
          );
        }
        // A new password ends every session made with the old one.
        await endSessions(tx, a.id);
        await enqueue(tx, now, {
          channel: 'sms',
          to: a.phone_e164 ?? a.mobile,
          template: 'N-INITPWD',
          data: { password, loginId: a.login_id },
          locale: supportedLocaleOr(a.locale),
          accountId: a.id,
        });
      });
      break;
    }
    case 'resend-seed-email': {
      if (!['PENDING', 'ACTIVE'].includes(a.state))
        throw conflict(`The account is ${a.state}; SEED cannot be provisioned.`);
      if (['ONBOARDED', 'DEVICE_ONBOARDING', 'LICENCE_REVOKED', 'INELIGIBLE'].includes(a.seed_state)) {
        throw conflict(`SEED is ${a.seed_state} for this account; no new SEED email is needed or possible.`);
      }
      // Provisions SEED if it was not (A28: the MDM AUP becomes a required action again) and restarts the 30-day window.
      await set({ seed_state: 'PROVISIONED', seed_invite_sent_at: nowIso });
      await enqueue(ctx.db, now, {
        channel: 'email',
        to: a.email,
        template: 'N-SEED-INVITE',
        data: { loginId: a.login_id, expiresAt: iso(addSec(now, ctx.deadlines.seedEmailValidity)) },
        locale: supportedLocaleOr(a.locale),
        accountId: a.id,
      });
      await refreshOnboarding(ctx, a.id);
      break;
    }
    case 'send-reset-link': {
      if (!['PENDING', 'ACTIVE'].includes(a.state)) throw conflict(`The account is ${a.state}.`);
      const token = randomToken(32);
      const expiresAt = iso(addSec(now, RESET_LINK_SECONDS));
      // One live link per account: the earlier ones are spent and the new one stored and mailed in one transaction.
      // On PostgreSQL the account row is locked first, so concurrent sends queue and each spends the link before it
      // (without it, each would spend only the links committed before it started and several would stay live).
      await ctx.db.transaction().execute(async (tx) => {
        if (ctx.dialect === 'postgres') await sql`select id from accounts where id = ${a.id} for update`.execute(tx);
        await tx
          .updateTable('codes')
          .set({ used_at: nowIso })
          .where('account_id', '=', a.id)
          .where('purpose', '=', 'reset-link')
          .where('used_at', 'is', null)
          .execute();
        await tx
          .insertInto('codes')
          .values({
            id: randomUUID(),
            account_id: a.id,
            purpose: 'reset-link',
            target: a.email,
            code_hash: sha256(token),
            attempts: 0,
            created_at: nowIso,
            expires_at: expiresAt,
            used_at: null,
          })
          .execute();
        await enqueue(tx, now, {
          channel: 'email',
          to: a.email,
          template: 'N-PWD-RESET-LINK',
          data: { token, resetUrl: `${ctx.publicUrl}/reset-password/${token}`, loginId: a.login_id, expiresAt, ticket },
          locale: supportedLocaleOr(a.locale),
          accountId: a.id,
        });
      });
      break;
    }
    case 'verify-phone': {
      // The time of the phone step as the user's own verification records it (the funnel reads it).
      await ctx.db
        .updateTable('accounts')
        .set({
          phone_verified: 1,
          phone_e164: a.phone_e164 ?? a.mobile,
          phone_verified_at: sql<string>`coalesce(phone_verified_at, ${nowIso})`,
        })
        .where('id', '=', a.id)
        .execute();
      await refreshOnboarding(ctx, a.id);
      break;
    }
    default: {
      // Unreachable while the route table's enum checks the path; kept for a caller that skipped it.
      const unknownAction: never = action;
      throw new ApiError({
        status: 404,
        code: 'NOT_FOUND',
        message: `Unknown account action ${String(unknownAction)}.`,
      });
    }
  }
  if (!audited) await auditAction(ctx.db);
  const fresh = await requireAccountByUsername(ctx, a.username);
  return accountSummary(ctx, fresh);
}
