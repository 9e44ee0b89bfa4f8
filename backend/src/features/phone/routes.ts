import type { Ctx } from '../../context';
import { ok, signedInAccount as me } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { latestDelivery } from '../../outbox/deliveries';
import { sendPhoneCode, verifyPhoneCode } from './service';

/** The phone step: an SMS code to the mobile, its delivery state, and its verification. */
export function phoneHandlers(ctx: Ctx): HandlersFor<'sendPhoneCode' | 'getPhoneCodeDelivery' | 'verifyPhoneCode'> {
  return {
    sendPhoneCode: async (req) => ({ status: 202, body: await sendPhoneCode(ctx, me(req), req.body.mobile) }),
    // Polled by the phone step while the user waits for the code, so a failing SMS shows within seconds.
    getPhoneCodeDelivery: async (req) => {
      const d = await latestDelivery(ctx.db, ctx.clock.now(), me(req).id, 'N-PHONE-CODE');
      return ok(
        d
          ? { state: d.state, to: d.to, attempts: d.attempts, lastAttemptAt: d.lastAttemptAt }
          : { state: 'none' as const, attempts: 0, lastAttemptAt: null },
      );
    },
    verifyPhoneCode: async (req) => ok(await verifyPhoneCode(ctx, me(req), req.body.code)),
  };
}
