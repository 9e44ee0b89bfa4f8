import type { Ctx } from '../../context';
import { iso } from '../../context';
import {
  activateBy,
  passwordExpiresAt,
  recordOnboardingProgress,
  requiredActions,
  seedView,
  type AcceptedTerm,
  type Account,
} from './accounts';

/**
 * `a` and its accepted terms were read by `authenticate` in this request, in its one statement, so neither is read
 * again; the only write is on the rare request where onboarding becomes (or stops being) complete. Without `accepted`
 * the terms are looked up.
 */
export async function getMe(ctx: Ctx, a: Account, accepted?: readonly AcceptedTerm[]) {
  const actions = await requiredActions(ctx, a, accepted);
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
