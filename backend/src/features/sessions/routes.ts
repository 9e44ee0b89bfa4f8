import type { Ctx } from '../../context';
import { ok } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { signIn, signOut, submitMfaCode } from './service';

/** The sign-in, verify and done steps: a session opens (password, then the authenticator code) and ends. */
export function sessionHandlers(ctx: Ctx): HandlersFor<'signIn' | 'submitMfaCode' | 'signOut'> {
  return {
    signIn: async (req) => {
      const r = await signIn(ctx, req.body.loginId, req.body.password);
      if (r.kind === 'mfa') return ok({ status: 'mfa_required' as const, mfaToken: r.mfaToken });
      return { status: 201, body: { token: r.token, requiredActions: r.requiredActions } };
    },
    submitMfaCode: async (req) => ({ status: 201, body: await submitMfaCode(ctx, req.body.mfaToken, req.body.code) }),
    signOut: async (req) => {
      await signOut(ctx, req.sessionHash as string);
      return { status: 204, body: undefined };
    },
  };
}
