import { sql, type Kysely } from 'kysely';
import { fieldProblem } from '../../../../shared/domain/field-problems';
import { checkPassword } from '../../../../shared/domain/password-policy';
import { describePasswordFailures } from '../../password-rule-english';
import type { Ctx } from '../../context';
import { iso } from '../../context';
import { accountActor, audit } from '../../db/audit';
import type { DB } from '../../db/schema';
import { ApiError } from '../../http/errors';
import { actionResult, type Account } from '../me/accounts';
import { endSessions, notifyPasswordChanged } from '../phone/codes';
import { judgeAccountPassword } from '../sessions/service';

const HISTORY = 5;

export interface NewPassword {
  hash: string;
  history: string;
}

/** Policy (§4.4) + not the initial/current/recent passwords; returns the new hash. Writes nothing. */
export async function prepareNewPassword(ctx: Ctx, a: Account, newPassword: string): Promise<NewPassword> {
  const check = checkPassword(newPassword, { username: a.username, names: [a.first_name, a.last_name] });
  if (!check.ok) {
    const text = describePasswordFailures(check.failed);
    throw new ApiError({
      status: 400,
      code: 'PASSWORD_POLICY',
      message: `The new password does not meet the policy: ${text}`,
      fields: { newPassword: fieldProblem('password.policy', { rules: check.failed.join(',') }) },
      details: { rules: check.failed },
    });
  }
  const history = JSON.parse(a.password_history) as string[];
  const previous = [a.password_hash, ...(a.initial_password_hash ? [a.initial_password_hash] : []), ...history];
  for (const h of new Set(previous)) {
    if (await ctx.hasher.verify(h, newPassword)) {
      throw new ApiError({
        status: 400,
        code: 'PASSWORD_REUSED',
        message: 'Choose a password you have not used before (not the initial or a recent one).',
        fields: { newPassword: fieldProblem('password.reused') },
        details: { rules: ['not-previous'] },
      });
    }
  }
  const hash = await ctx.hasher.hash(newPassword);
  return { hash, history: JSON.stringify([hash, ...history].slice(0, HISTORY)) };
}

/**
 * Stores a prepared password and clears both locks (wrong passwords and wrong authenticator codes: a password
 * reset is the unlock path for both). `expectedHash`: only if the password is still the one the change was judged
 * against (compare-and-set). Returns whether it was written.
 */
export async function writeNewPassword(
  db: Kysely<DB>,
  now: Date,
  accountId: string,
  p: NewPassword,
  expectedHash?: string,
): Promise<boolean> {
  let q = db
    .updateTable('accounts')
    .set({
      password_hash: p.hash,
      password_history: p.history,
      password_changed_at: iso(now),
      password_first_changed_at: sql<string>`coalesce(password_first_changed_at, ${iso(now)})`,
      must_change_password: 0,
      locked: 0,
      failed_login_count: 0,
      mfa_failed_count: 0,
      pwd_expiry_notice_for: null,
    })
    .where('id', '=', accountId);
  if (expectedHash !== undefined) q = q.where('password_hash', '=', expectedHash);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Self-service change: every other session and MFA sign-in of the account ends (this one stays) and the holder is
 * told by email. Of two concurrent changes judged against the same current password only the first is written.
 */
export async function changePassword(ctx: Ctx, a: Account, current: string, next: string, currentSessionHash: string) {
  // Counted like a sign-in guess: a session is no way around the lock.
  if (!(await judgeAccountPassword(ctx, a, current))) {
    throw new ApiError({
      status: 400,
      code: 'INVALID_CREDENTIALS',
      message: 'The current password is wrong. Enter the password you signed in with.',
      fields: { currentPassword: fieldProblem('password.current_wrong') },
    });
  }
  const prepared = await prepareNewPassword(ctx, a, next);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await writeNewPassword(tx, now, a.id, prepared, a.password_hash))) {
      throw new ApiError({
        status: 409,
        code: 'CONFLICT',
        message:
          'Your password was changed by another request just now. Sign in again with the new password, or reset it if that was not you.',
      });
    }
    await endSessions(tx, a.id, currentSessionHash);
    await notifyPasswordChanged(tx, now, a, 'change');
    await audit(tx, now, accountActor(a.username), 'password.change', a.username, {});
  });
  return actionResult(ctx, a.id);
}
