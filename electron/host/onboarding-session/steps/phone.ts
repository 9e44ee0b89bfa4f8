/** Step "phone": register the SMS method: send a code to the number, then confirm it. */
import type { JourneyState } from '../../../../shared/contract';
import { HostError } from '../../host-error';
import { maskMobile, phoneCodeDeliveryView, validateMobile, type PhoneCodeDeliveryView } from '../../phone';
import type { SessionContext } from '../context';

/** Used when the backend's answer leaves out the resend cooldown or the code's expiry. */
const DEFAULT_RESEND_SECONDS = 60;
const DEFAULT_CODE_MINUTES = 10;

export async function sendPhoneCode(
  ctx: SessionContext,
  mobileInput: string,
): Promise<{ sentTo: string; resendAvailableAt: string; expiresAt: string }> {
  const token = await ctx.requireToken();
  const mobile = validateMobile(mobileInput);
  if (!mobile.valid || !mobile.e164) {
    throw HostError.of('VALIDATION_FAILED', 'phone-step mobile refused by the shared rule', {
      fields: { mobile: mobile.problem ?? { code: 'mobile.invalid' } },
    });
  }
  const sent = await ctx.client.sendPhoneCode(token, mobile.e164);
  const now = ctx.now().getTime();
  const phoneCode = {
    sentTo: maskMobile(mobile.e164),
    resendAvailableAt: new Date(now + (sent.resendAfterSeconds ?? DEFAULT_RESEND_SECONDS) * 1000).toISOString(),
    expiresAt: sent.expiresAt ?? new Date(now + DEFAULT_CODE_MINUTES * 60_000).toISOString(),
  };
  ctx.save({ phoneCode });
  return phoneCode;
}

/** How the code SMS of the phone step is doing (the step polls it while the user waits). */
export async function phoneCodeDelivery(ctx: SessionContext): Promise<PhoneCodeDeliveryView> {
  return phoneCodeDeliveryView(await ctx.client.getPhoneCodeDelivery(await ctx.requireToken()));
}

export async function verifyPhoneCode(ctx: SessionContext, code: string): Promise<JourneyState> {
  const token = await ctx.requireToken();
  await ctx.client.verifyPhoneCode(token, code);
  ctx.save({ phoneCode: undefined });
  return ctx.freshJourney();
}
