import type { Ctx } from '../../context';
import { iso } from '../../context';
import {
  activateBy,
  passwordExpiresAt,
  recordOnboardingProgress,
  requiredActions,
  seedView,
  type Account,
} from './accounts';

/**
 * `a` was read by `authenticate` in this request, so it is not read again: the only other statement is the terms
 * lookup, plus a write only on the rare request where onboarding becomes (or stops being) complete.
 */
export async function getMe(ctx: Ctx, a: Account) {
  const actions = await requiredActions(ctx, a);
  const account = await recordOnboardingProgress(ctx, a, actions);
  const by = activateBy(ctx, account);
  return {
    username: account.username,
    loginId: account.login_id,
    state: account.state,
    requiredActions: actions,
    onboardingComplete: actions.length === 0 && account.state === 'ACTIVE',
    deadlines: { ...(by ? { activateBy: by } : {}), passwordExpiresAt: iso(passwordExpiresAt(ctx, account)) },
    seed: seedView(ctx, account),
    serverTime: iso(ctx.clock.now()),
  };
}
