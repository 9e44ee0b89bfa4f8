import type { Ctx } from '../../context';
import { ok, signedInAccount as me } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { resendInitialPassword } from './initial-password';
import { completeLinkReset, completePasswordReset, startPasswordReset } from './reset';
import { changePassword } from './service';

/**
 * Every way a password is set after registration: the password step's change, the sign-in step's reset by SMS code,
 * the support link's reset, and the account-created step's resend of the initial password.
 */
export function passwordHandlers(
  ctx: Ctx,
): HandlersFor<
  'changePassword' | 'startPasswordReset' | 'completePasswordReset' | 'completeLinkReset' | 'resendInitialPassword'
> {
  return {
    changePassword: async (req) =>
      ok(await changePassword(ctx, me(req), req.body.currentPassword, req.body.newPassword, req.sessionHash as string)),
    startPasswordReset: async (req) => {
      await startPasswordReset(ctx, req.body.loginId);
      return {
        status: 202,
        body: {
          status: 'accepted',
          message: 'If the account exists, a code was sent by SMS to its registered mobile.',
        },
      };
    },
    completePasswordReset: async (req) => {
      await completePasswordReset(ctx, req.body.loginId, req.body.code, req.body.newPassword);
      return ok({ status: 'reset' as const });
    },
    completeLinkReset: async (req) =>
      ok({ status: 'reset' as const, ...(await completeLinkReset(ctx, req.body.token, req.body.newPassword)) }),
    // Same answer for unknown users (initial-password.ts): 202 with this username+mobile's counts.
    resendInitialPassword: async (req) => ({
      status: 202,
      body: await resendInitialPassword(ctx, req.body.loginId, req.body.mobile),
    }),
  };
}
