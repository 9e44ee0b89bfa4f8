/** Step "verify": prove the account works by signing in afresh with the new password and an authenticator code. */
import type { JourneyState } from '../../../../shared/contract';
import { HostError } from '../../host-error';
import type { SessionContext } from '../context';
import { checkLoginId } from '../login-id';

/** Ends this session, then signs in afresh; the journey is verified only when the server says onboarding is complete. */
export async function verifySignIn(
  ctx: SessionContext,
  loginId: string,
  password: string,
  code: string,
): Promise<JourneyState> {
  const id = checkLoginId(loginId);
  await ctx.endServerSession();
  ctx.me = undefined;
  ctx.save({ step: 'verify' });
  const first = await ctx.client.signIn(id, password);
  const outcome = first.status === 'mfa_required' ? await ctx.client.submitMfaCode(first.mfaToken, code) : first;
  if (outcome.status !== 'signed_in')
    throw HostError.of('UNEXPECTED', `sign-in ended as ${outcome.status}, not signed_in`, {
      params: { reason: 'sign_in_unfinished' },
    });
  await ctx.bindAccount(id);
  await ctx.startSession(outcome.token, id);
  await ctx.refresh();
  const view = ctx.serverView();
  if (view && !view.onboardingComplete) return ctx.journey();
  ctx.save({ verified: true, step: 'verify' });
  ctx.log.info('login verified');
  return ctx.journey();
}
