/**
 * Step "sign-in": username and password, then the authenticator code when one is enrolled; sign-out; the self-service
 * password reset (§5.1) and "send my first password again" (SMS variant) offered on the same screen.
 */
import type { JourneyState } from '../../../../shared/contract';
import { HostError } from '../../host-error';
import { maskMobile, validateMobile } from '../../phone';
import type { SessionContext } from '../context';
import { checkLoginId } from '../login-id';

export async function signIn(
  ctx: SessionContext,
  loginId: string,
  password: string,
): Promise<{ status: 'signed_in' | 'mfa_required'; journey: JourneyState }> {
  const id = checkLoginId(loginId);
  await ctx.endServerSession();
  const outcome = await ctx.client.signIn(id, password);
  await ctx.bindAccount(id);
  if (outcome.status === 'mfa_required') {
    await ctx.storeSecret('mfa-token', outcome.mfaToken);
    ctx.save({ loginId: ctx.progress.loginId ?? id, step: 'sign-in' });
    return { status: 'mfa_required', journey: await ctx.journey() };
  }
  await ctx.startSession(outcome.token, id);
  return { status: 'signed_in', journey: await ctx.freshJourney() };
}

export async function submitMfaCode(ctx: SessionContext, code: string): Promise<JourneyState> {
  const mfaToken = await ctx.vault.get('mfa-token');
  if (!mfaToken) throw HostError.of('NOT_SIGNED_IN', 'no MFA token in the vault');
  const outcome = await ctx.client.submitMfaCode(mfaToken, code);
  if (outcome.status !== 'signed_in')
    throw HostError.of('UNEXPECTED', `MFA ended as ${outcome.status}, not signed_in`, {
      params: { reason: 'sign_in_unfinished' },
    });
  await ctx.vault.delete('mfa-token');
  await ctx.startSession(outcome.token, ctx.progress.loginId);
  return ctx.freshJourney();
}

export async function signOut(ctx: SessionContext): Promise<JourneyState> {
  await ctx.forgetSecrets();
  if (!ctx.progress.verified && !ctx.progress.finished) ctx.save({ step: 'sign-in' });
  ctx.log.info('signed out; vault wiped');
  return ctx.journey();
}

export async function startPasswordReset(ctx: SessionContext, loginId: string): Promise<Record<string, never>> {
  await ctx.client.startPasswordReset(checkLoginId(loginId));
  return {};
}

export async function completePasswordReset(
  ctx: SessionContext,
  loginId: string,
  code: string,
  newPassword: string,
): Promise<Record<string, never>> {
  await ctx.client.completePasswordReset(checkLoginId(loginId), code, newPassword);
  return {};
}

/**
 * "Send my first password again": the username and the registered mobile identify the account together (the
 * backend answers the same when they match nothing). The mobile defaults to the one given at registration.
 */
export async function resendInitialPassword(
  ctx: SessionContext,
  loginIdInput: string,
  mobileInput: string | undefined,
): Promise<{ sentTo: string; sentToday: number; dailyLimit: number; resendAvailableAt: string }> {
  const id = checkLoginId(loginIdInput);
  const raw = mobileInput?.trim() ? mobileInput : ctx.progress.registeredMobile;
  if (!raw)
    throw HostError.of('VALIDATION_FAILED', 'resend asked with no mobile known', {
      fields: { mobile: { code: 'mobile.required' } },
    });
  const mobile = validateMobile(raw);
  if (!mobile.valid || !mobile.e164) {
    throw HostError.of('VALIDATION_FAILED', 'resend mobile refused by the shared rule', {
      fields: { mobile: mobile.problem ?? { code: 'mobile.invalid' } },
    });
  }
  const sent = await ctx.client.resendInitialPassword(id, mobile.e164);
  ctx.log.info('initial password resend asked', { sentToday: sent.sentToday });
  return {
    sentTo: maskMobile(mobile.e164),
    sentToday: sent.sentToday,
    dailyLimit: sent.dailyLimit,
    resendAvailableAt: new Date(ctx.now().getTime() + sent.resendAfterSeconds * 1000).toISOString(),
  };
}
