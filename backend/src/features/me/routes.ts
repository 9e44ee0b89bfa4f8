import type { Ctx } from '../../context';
import { ok, signedInAccount as me, termsAcceptedAtStart } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { updateMyLocale } from './locale';
import { getMe } from './service';

/**
 * The signed-in account: its state, required actions and deadlines (what every step after sign-in reads first), and
 * the language of its later emails and SMS.
 */
export function meHandlers(ctx: Ctx): HandlersFor<'getMe' | 'updateMyLocale'> {
  return {
    // A read: the terms read with the session are current for it (one statement for the whole request).
    getMe: { termsWithSession: true, handle: async (req) => ok(await getMe(ctx, me(req), termsAcceptedAtStart(req))) },
    updateMyLocale: async (req) => {
      await updateMyLocale(ctx, me(req), req.body.locale);
      return { status: 204, body: undefined };
    },
  };
}
