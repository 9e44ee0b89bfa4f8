import type { Ctx } from '../../context';
import { ok, signedInAccount as me } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { getMe } from './service';

/** The signed-in account: its state, required actions and deadlines (what every step after sign-in reads first). */
export function meHandlers(ctx: Ctx): HandlersFor<'getMe'> {
  return {
    getMe: async (req) => ok(await getMe(ctx, me(req))),
  };
}
