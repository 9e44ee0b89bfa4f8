import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
import { safeEqualHex, sha256, sixDigitCode } from '../crypto';
import { ApiError } from '../http/errors';
import { enqueue } from '../outbox/outbox-store';

const PER_PHONE_PER_HOUR = 5;

/**
 * Sends a 6-digit SMS code (10 min, 3 attempts). One send per 60 s per account and purpose, and at most
 * PER_PHONE_PER_HOUR per phone number (brute-force and SMS-pumping protection, per phone).
 * `quiet`: do not disclose a cooldown (password reset answers 202 whatever happens).
 */
export async function sendSmsCode(ctx: Ctx, accountId: string, purpose: 'phone' | 'reset', phone: string, template: string, quiet = false) {
  const now = ctx.clock.now();
  const last = await ctx.db
    .selectFrom('codes')
    .select('created_at')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const cooldown = ctx.deadlines.smsCodeResendCooldown;
  if (last) {
    const wait = Math.ceil((addSec(new Date(last.created_at), cooldown).getTime() - now.getTime()) / 1000);
    if (wait > 0) {
      if (quiet) return undefined;
      throw new ApiError(429, 'RATE_LIMITED', `A code was sent less than a minute ago. Wait ${wait} seconds, then ask for a new one.`, undefined, { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
    }
  }
  const hourAgo = iso(addSec(now, -3600));
  const recent = await ctx.db
    .selectFrom('codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('target', '=', phone)
    .where('created_at', '>', hourAgo)
    .executeTakeFirst();
  if (Number(recent?.n ?? 0) >= PER_PHONE_PER_HOUR) {
    if (quiet) return undefined;
    throw new ApiError(429, 'RATE_LIMITED', 'Too many codes were sent to this number. Wait an hour and try again, or raise a service request.', undefined, { retryAfterSeconds: 3600 }, { 'Retry-After': '3600' });
  }
  const code = sixDigitCode();
  const expiresAt = iso(addSec(now, ctx.deadlines.smsCodeValidity));
  await ctx.db.transaction().execute(async (tx) => {
    // A new code replaces any earlier unused one for the same purpose.
    await tx.updateTable('codes').set({ used_at: iso(now) }).where('account_id', '=', accountId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
    await tx
      .insertInto('codes')
      .values({ id: randomUUID(), account_id: accountId, purpose, target: phone, code_hash: sha256(code), attempts: 0, created_at: iso(now), expires_at: expiresAt, used_at: null })
      .execute();
    await enqueue(tx, now, { channel: 'sms', to: phone, template, data: { code } });
  });
  return { resendAfterSeconds: cooldown, expiresAt };
}

/** Checks the latest code for a purpose; returns its target (the phone) when right. */
export async function consumeSmsCode(
  ctx: Ctx,
  accountId: string,
  purpose: 'phone' | 'reset',
  code: string,
  /** Runs once the code is known to be right, before it is spent: a failure here (e.g. password policy) keeps it usable. */
  onValid?: (target: string) => Promise<void>,
): Promise<string> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom('codes')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row) throw new ApiError(400, 'CODE_INVALID', 'The code is wrong. Ask for a new code and enter the one in the latest SMS.');
  if (row.used_at) {
    if (safeEqualHex(row.code_hash, sha256(code))) throw new ApiError(400, 'CODE_REUSED', 'This code was already used. Ask for a new code.');
    throw new ApiError(400, 'CODE_INVALID', 'The code is wrong. Ask for a new code and enter the one in the latest SMS.');
  }
  if (row.attempts >= ctx.deadlines.smsCodeMaxAttempts) {
    throw new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Too many wrong codes. Ask for a new code.');
  }
  if (new Date(row.expires_at).getTime() <= now.getTime()) {
    throw new ApiError(400, 'CODE_EXPIRED', 'The code has expired (codes last 10 minutes). Ask for a new code.');
  }
  if (!safeEqualHex(row.code_hash, sha256(code))) {
    const res = await ctx.db
      .updateTable('codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id)
      .where('attempts', '<', ctx.deadlines.smsCodeMaxAttempts)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Too many wrong codes. Ask for a new code.');
    throw new ApiError(400, 'CODE_INVALID', 'The code is wrong. Check the latest SMS and try again, or ask for a new code.');
  }
  if (onValid) await onValid(row.target);
  const res = await ctx.db.updateTable('codes').set({ used_at: iso(now) }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new ApiError(400, 'CODE_REUSED', 'This code was already used. Ask for a new code.');
  return row.target;
}
