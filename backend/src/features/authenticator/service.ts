import { sql } from 'kysely';
import { generateSecret } from 'otplib';
import type { Ctx } from '../../context';
import { iso } from '../../context';
import { accountActor, auditMany } from '../../db/audit';
import { ApiError } from '../../http/errors';
import { recordCodeVerified } from '../../observability/metrics';
import { isSealed } from '../../security/data-keys';
import { actionResult, type Account } from '../me/accounts';
import { openTotpSecret, sealTotpSecret, totpStep } from './totp';

const otpauthUri = (a: Account, secret: string) =>
  `otpauth://totp/TechPass:${a.login_id}?secret=${secret}&issuer=TechPass`;

export async function startAuthenticator(ctx: Ctx, a: Account) {
  if (a.mfa_registered)
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: 'An authenticator is already registered. To use a new phone, ask support to reset your MFA.',
    });
  // Asking again (the app restarted, the QR code was lost) shows the same pending key: a user who already added it to
  // their authenticator app keeps a working entry. A reset-mfa clears it. The key is stored sealed; of concurrent
  // first requests one stores its key and the others show that one.
  if (!a.totp_pending_secret) {
    const secret = generateSecret();
    const res = await ctx.db
      .updateTable('accounts')
      .set({ totp_pending_secret: sealTotpSecret(ctx, a.id, secret) })
      .where('id', '=', a.id)
      .where('totp_pending_secret', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) return { secret, otpauthUri: otpauthUri(a, secret) };
  }
  const row = await ctx.db
    .selectFrom('accounts')
    .select('totp_pending_secret')
    .where('id', '=', a.id)
    .executeTakeFirstOrThrow();
  if (!row.totp_pending_secret)
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: 'The authenticator set-up was reset meanwhile. Start it again.',
    });
  const secret = openTotpSecret(ctx, a.id, row.totp_pending_secret);
  return { secret, otpauthUri: otpauthUri(a, secret) };
}

export async function verifyAuthenticator(ctx: Ctx, a: Account, code: string) {
  if (a.mfa_registered)
    throw new ApiError({ status: 409, code: 'CONFLICT', message: 'An authenticator is already registered.' });
  const pending = a.totp_pending_secret;
  if (!pending)
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: 'Start the authenticator set-up first (scan a new QR code).',
    });
  const step = totpStep(ctx, openTotpSecret(ctx, a.id, pending), code);
  if (step === undefined) {
    recordCodeVerified('totp', false);
    throw new ApiError({
      status: 400,
      code: 'CODE_INVALID',
      message:
        'The code is wrong. Enter the current 6-digit code shown in the authenticator app for TechPass; check your phone’s clock.',
    });
  }
  const now = iso(ctx.clock.now());
  const activate = a.state === 'PENDING';
  // One conditional update enrols the key and consumes the step: a step is accepted once, and a concurrent
  // enrolment or MFA reset in between makes this one refuse instead of overwrite.
  const res = await ctx.db
    .updateTable('accounts')
    .set({
      totp_secret: isSealed(pending) ? pending : sealTotpSecret(ctx, a.id, pending),
      totp_pending_secret: null,
      totp_last_step: step,
      mfa_registered: 1,
      mfa_failed_count: 0,
      ...(activate ? { state: 'ACTIVE', activated_at: now, status_modified_at: now, last_reminder_key: null } : {}),
      last_sign_in_at: now,
      mfa_registered_at: sql<string>`coalesce(mfa_registered_at, ${now})`,
    })
    .where('id', '=', a.id)
    .where('mfa_registered', '=', 0)
    .where('totp_pending_secret', '=', pending)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    const fresh = await ctx.db
      .selectFrom('accounts')
      .select(['mfa_registered', 'totp_pending_secret'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    if (fresh.mfa_registered)
      throw new ApiError({ status: 409, code: 'CONFLICT', message: 'An authenticator is already registered.' });
    if (fresh.totp_pending_secret !== pending)
      throw new ApiError({
        status: 409,
        code: 'CONFLICT',
        message: 'The authenticator set-up was restarted. Scan the new QR code.',
      });
    throw new ApiError({
      status: 400,
      code: 'CODE_REUSED',
      message: 'This code was already used. Wait for the next code in your authenticator app.',
    });
  }
  recordCodeVerified('totp', true);
  await auditMany(ctx.db, ctx.clock.now(), [
    { actor: accountActor(a.username), action: 'mfa.register', subject: a.username },
    ...(activate
      ? [{ actor: accountActor(a.username), action: 'account.activate' as const, subject: a.username }]
      : []),
  ]);
  return actionResult(ctx, a.id);
}
