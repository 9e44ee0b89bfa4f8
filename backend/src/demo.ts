import type { Ctx } from './context';
import { createInvitation } from './features/invitations/service';

/** The demo invitee's address; later demo invitations use `demo.vendor+N@example.com` (one per registered account). */
export const DEMO_EMAIL_LOCAL = 'demo.vendor';
export const DEMO_EMAIL_DOMAIN = 'example.com';

export function demoEmail(n: number): string {
  return n <= 1 ? `${DEMO_EMAIL_LOCAL}@${DEMO_EMAIL_DOMAIN}` : `${DEMO_EMAIL_LOCAL}+${n}@${DEMO_EMAIL_DOMAIN}`;
}

/**
 * A usable demo invitation on every start. The first demo address that has no account yet is invited again (which
 * supersedes an unused invitation to it, so an unused one is in effect reused with a fresh link); once someone has
 * registered with an address, the next start moves on to the next one. Only the token's hash is stored, so an unused
 * invitation cannot be handed out again as it was: a fresh link is the only way to print a working one.
 */
export async function seedDemoInvitation(ctx: Ctx): Promise<{ token: string; email: string }> {
  const taken = await ctx.db
    .selectFrom('accounts')
    .select('email')
    .where('email', 'like', `${DEMO_EMAIL_LOCAL}%@${DEMO_EMAIL_DOMAIN}`)
    .execute();
  const used = new Set(taken.map((a) => a.email));
  let n = 1;
  while (used.has(demoEmail(n))) n += 1;
  const email = demoEmail(n);
  const inv = await createInvitation(
    ctx,
    {
      email,
      businessOperation: 'onshore',
      sponsoringAgency: 'GovTech (demo)',
      seedRequested: true,
      passwordDelivery: 'sms',
      inviterEmail: 'demo.pm@tech.gov.sg',
    },
    'demo-mode',
  );
  return { token: inv.token, email };
}
