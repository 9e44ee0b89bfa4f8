/** Step "authenticator": enrol a TOTP authenticator by QR code, then confirm it with a code. */
import type { JourneyState } from '../../../../shared/contract';
import type { SessionContext } from '../context';

export async function startAuthenticatorEnrolment(
  ctx: SessionContext,
): Promise<{ secret: string; otpauthUri: string }> {
  const token = await ctx.requireToken();
  // The same enrolment for the whole run: the user may already have scanned it.
  if (ctx.enrolment) return ctx.enrolment;
  ctx.enrolment = await ctx.client.startAuthenticator(token);
  return ctx.enrolment;
}

export async function verifyAuthenticator(ctx: SessionContext, code: string): Promise<JourneyState> {
  const token = await ctx.requireToken();
  await ctx.client.verifyAuthenticator(token, code);
  ctx.enrolment = undefined;
  return ctx.freshJourney();
}
