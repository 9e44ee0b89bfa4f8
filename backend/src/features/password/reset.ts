import { supportedLocaleOr } from '../../../../shared/domain/locale';
import type { Ctx } from '../../context';
import { iso } from '../../context';
import { safeEqualHex, sha256 } from '../../crypto';
import { accountActor, audit } from '../../db/audit';
import { ApiError } from '../../http/errors';
import { findByLoginId } from '../me/accounts';
import { consumeSmsCode, endSessions, notifyPasswordChanged, sendSmsCode } from '../phone/codes';
import { prepareNewPassword, writeNewPassword, type NewPassword } from './service';

// Password reset (§5.1): by SMS code, or with the link support sends.

/** Always 202: whether an account exists is never disclosed. */
export async function startPasswordReset(ctx: Ctx, loginId: string): Promise<void> {
  const a = await findByLoginId(ctx, loginId);
  if (!a || !['PENDING', 'ACTIVE'].includes(a.state)) return;
  await sendSmsCode(
    ctx,
    a.id,
    'reset',
    a.phone_e164 ?? a.mobile,
    'N-PWD-RESET-CODE',
    supportedLocaleOr(a.locale),
    true,
  );
  await audit(ctx.db, ctx.clock.now(), accountActor(a.username), 'password.reset-request', a.username, { via: 'sms' });
}

/**
 * Self-service reset with the SMS code. The code is judged and claimed before the password is written, in the
 * transaction that writes it: of concurrent completions with the right code exactly one is told "reset", and its
 * password is the one in force. Every session ends, both locks clear, and the holder is told by email.
 */
export async function completePasswordReset(
  ctx: Ctx,
  loginId: string,
  code: string,
  newPassword: string,
): Promise<void> {
  const a = await findByLoginId(ctx, loginId);
  if (!a || !['PENDING', 'ACTIVE'].includes(a.state)) {
    throw new ApiError({
      status: 400,
      code: 'CODE_INVALID',
      message: 'The code is wrong. Ask for a new code and enter the one in the latest SMS.',
    });
  }
  let prepared: NewPassword | undefined;
  await consumeSmsCode(ctx, a.id, 'reset', code, {
    check: async () => {
      prepared = await prepareNewPassword(ctx, a, newPassword);
    },
    apply: async (tx, _target, now) => {
      if (!prepared) throw new Error('the new password was not prepared');
      await writeNewPassword(tx, now, a.id, prepared);
      await endSessions(tx, a.id);
      await notifyPasswordChanged(tx, now, a, 'reset');
      await audit(tx, now, accountActor(a.username), 'password.reset', a.username, { via: 'sms' });
    },
  });
}

export async function completeLinkReset(ctx: Ctx, token: string, newPassword: string): Promise<{ loginId: string }> {
  const now = ctx.clock.now();
  const hash = sha256(token);
  const row = await ctx.db
    .selectFrom('codes')
    .selectAll()
    .where('purpose', '=', 'reset-link')
    .where('code_hash', '=', hash)
    .executeTakeFirst();
  if (!row || !safeEqualHex(row.code_hash, hash))
    throw new ApiError({
      status: 404,
      code: 'NOT_FOUND',
      message: 'This reset link is not valid. Ask TechPass support for a new one.',
    });
  const reused = () =>
    new ApiError({
      status: 400,
      code: 'CODE_REUSED',
      message: 'This reset link was already used. Sign in with your new password, or ask support for a new link.',
    });
  if (row.used_at) throw reused();
  if (new Date(row.expires_at).getTime() <= now.getTime())
    throw new ApiError({
      status: 400,
      code: 'CODE_EXPIRED',
      message: 'This reset link has expired. Ask TechPass support for a new one.',
    });
  const a = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', row.account_id).executeTakeFirstOrThrow();
  // A policy failure leaves the link usable; only then is it claimed, and the password written by the claimant.
  const prepared = await prepareNewPassword(ctx, a, newPassword);
  await ctx.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .updateTable('codes')
      .set({ used_at: iso(now) })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', iso(now))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw reused();
    await writeNewPassword(tx, now, a.id, prepared);
    await endSessions(tx, a.id);
    await notifyPasswordChanged(tx, now, a, 'support-link');
    await audit(tx, now, accountActor(a.username), 'password.reset', a.username, { via: 'support-link' });
  });
  return { loginId: a.login_id };
}
