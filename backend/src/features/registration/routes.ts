import type { Ctx } from '../../context';
import { ApiError } from '../../http/errors';
import { ok } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { deliveryByReference } from '../../outbox/deliveries';
import { getRegistration, submitRegistration } from './service';

/** The register and account-created steps: the invitation's form, its submission, and the initial-password SMS. */
export function registrationHandlers(
  ctx: Ctx,
): HandlersFor<'getRegistration' | 'submitRegistration' | 'getInitialPasswordDelivery'> {
  return {
    getRegistration: async (req) => ok(await getRegistration(ctx, req.params.token)),
    submitRegistration: async (req) => ({
      status: 201,
      body: await submitRegistration(ctx, req.params.token, req.body),
    }),
    // The registration's initial-password SMS, polled by the account-created step while the user waits for it.
    getInitialPasswordDelivery: async (req) => {
      const state = await deliveryByReference(ctx.db, ctx.clock.now(), req.params.id, 'N-INITPWD');
      if (!state)
        throw new ApiError({
          status: 404,
          code: 'NOT_FOUND',
          message: 'No message has this reference. It may have been delivered and tidied away; check your phone.',
        });
      return ok({ state });
    },
  };
}
