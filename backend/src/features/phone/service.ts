import { sql } from 'kysely';
import { supportedLocaleOr } from '../../../../shared/domain/locale';
import type { Ctx } from '../../context';
import { iso } from '../../context';
import { accountActor, audit } from '../../db/audit';
import { ApiError } from '../../http/errors';
import { actionResult, type Account } from '../me/accounts';
import { mobileProblem } from '../registration/service';
import { consumeSmsCode, sendSmsCode } from './codes';

export async function sendPhoneCode(ctx: Ctx, a: Account, mobile: string) {
  const problem = mobileProblem(ctx, mobile, a.business_operation);
  if (problem) {
    throw new ApiError({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'The mobile number is not valid. Enter it with its country code, for example +65 9123 4567.',
      fields: { mobile: problem },
    });
  }
  const sent = await sendSmsCode(ctx, a.id, 'phone', mobile, 'N-PHONE-CODE', supportedLocaleOr(a.locale));
  // Only a quiet send (a password reset's) answers undefined instead of throwing its refusal.
  if (!sent) throw new Error('sendSmsCode answered undefined for a send that is not quiet');
  // The number is the holder's own and not a secret; it is what support asks about when a code never arrives.
  await audit(ctx.db, ctx.clock.now(), accountActor(a.username), 'phone.code-sent', a.username, { to: mobile });
  return { status: 'sent' as const, resendAfterSeconds: sent.resendAfterSeconds, expiresAt: sent.expiresAt };
}

export async function verifyPhoneCode(ctx: Ctx, a: Account, code: string) {
  await consumeSmsCode(ctx, a.id, 'phone', code, {
    apply: async (tx, phone, now) => {
      await tx
        .updateTable('accounts')
        .set({
          phone_verified: 1,
          phone_e164: phone,
          phone_verified_at: sql<string>`coalesce(phone_verified_at, ${iso(now)})`,
        })
        .where('id', '=', a.id)
        .execute();
      await audit(tx, now, accountActor(a.username), 'phone.verify', a.username, { phone });
    },
  }).catch(async (err: unknown) => {
    // A wrong, expired or reused code is a security event too: guessing shows in the trail, not only in the metrics.
    if (err instanceof ApiError) {
      await audit(
        ctx.db,
        ctx.clock.now(),
        accountActor(a.username),
        'phone.verify-failure',
        a.username,
        { code: err.code },
        'failure',
      );
    }
    throw err;
  });
  return actionResult(ctx, a.id);
}
