/** Step "password" (SMS variant): replace the initial password with the user's own. */
import type { JourneyState } from '../../../../shared/contract';
import { HostError } from '../../host-error';
import type { SessionContext } from '../context';

export async function changePassword(
  ctx: SessionContext,
  currentPassword: string,
  newPassword: string,
): Promise<JourneyState> {
  const token = await ctx.requireToken();
  if (currentPassword === newPassword) {
    throw HostError.of('PASSWORD_POLICY', 'new password equals the initial one', {
      fields: { newPassword: { code: 'password.same_as_initial' } },
    });
  }
  await ctx.client.changePassword(token, currentPassword, newPassword);
  return ctx.freshJourney();
}
