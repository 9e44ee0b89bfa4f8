/** Step "done": finish the journey; the session and every secret the host held are gone afterwards. */
import type { JourneyState } from '../../../../shared/contract';
import { HostError } from '../../host-error';
import type { SessionContext } from '../context';

export async function finishOnboarding(ctx: SessionContext): Promise<JourneyState> {
  await ctx.refresh();
  const current = await ctx.currentStep();
  if (!ctx.progress.verified && current !== 'done') {
    throw HostError.of('BAD_REQUEST', 'finish asked before verification', { params: { reason: 'steps_remaining' } });
  }
  await ctx.forgetSecrets();
  ctx.save({ finished: true, step: 'done', phoneCode: undefined });
  ctx.log.info('onboarding finished; vault wiped');
  return ctx.journey();
}
