import type { Selectable } from 'kysely';
import { usernameFromLoginId } from '../../../shared/domain/registration-rules';
import type { AccountTable } from '../db/schema';
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
import { ApiError } from '../http/errors';
import { TERMS_DOCUMENTS } from './terms';

export type Account = Selectable<AccountTable>;
export type RequiredActionId = 'authenticator' | 'phone' | 'password' | 'terms';

const SEED_HOLDING = new Set(['PROVISIONED', 'INVITE_EXPIRED', 'DEVICE_ONBOARDING', 'ONBOARDED', 'LICENCE_REVOKED']);

export function seedProvisioned(a: Pick<Account, 'seed_state'>): boolean {
  return SEED_HOLDING.has(a.seed_state);
}

export async function findByUsername(ctx: Ctx, username: string): Promise<Account | undefined> {
  return ctx.db.selectFrom('accounts').selectAll().where('username', '=', username.toLowerCase()).where('state', '!=', 'DELETED').executeTakeFirst();
}

/** Username or `username@techpass.gov.sg`; an organisational email is never a login id. */
export async function findByLoginId(ctx: Ctx, loginId: string): Promise<Account | undefined> {
  const username = usernameFromLoginId(loginId);
  return username ? findByUsername(ctx, username) : undefined;
}

export async function requireAccountByUsername(ctx: Ctx, username: string): Promise<Account> {
  const a = await findByUsername(ctx, username);
  if (!a) throw new ApiError({ status: 404, code: 'NOT_FOUND', message: `There is no account with the username ${username}. Check the spelling.` });
  return a;
}

export function passwordExpiresAt(ctx: Ctx, a: Account): Date {
  return addSec(new Date(a.password_changed_at), ctx.deadlines.passwordExpiry);
}

export function passwordExpired(ctx: Ctx, a: Account): boolean {
  return passwordExpiresAt(ctx, a).getTime() <= ctx.clock.now().getTime();
}

export async function pendingTerms(ctx: Ctx, a: Account): Promise<string[]> {
  const accepted = await ctx.db.selectFrom('terms_acceptances').select(['doc', 'version']).where('account_id', '=', a.id).execute();
  const needed = TERMS_DOCUMENTS.filter((d) => d.id !== 'mdm-aup' || seedProvisioned(a));
  return needed.filter((d) => !accepted.some((x) => x.doc === d.id && x.version === d.version)).map((d) => d.id);
}

/** The server's list of what the user still has to do, in domain.md §4.1 order. */
export async function requiredActions(ctx: Ctx, a: Account): Promise<RequiredActionId[]> {
  const out: RequiredActionId[] = [];
  if (!a.mfa_registered) out.push('authenticator');
  if (!a.phone_verified) out.push('phone');
  if (a.must_change_password || passwordExpired(ctx, a)) out.push('password');
  if ((await pendingTerms(ctx, a)).length > 0) out.push('terms');
  return out;
}

/** Records ONBOARDING_COMPLETE when every action is done (T2b); clears it if a new action appeared (A28). */
export async function refreshOnboarding(ctx: Ctx, accountId: string): Promise<{ account: Account; actions: RequiredActionId[] }> {
  const a = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
  const actions = await requiredActions(ctx, a);
  const complete = actions.length === 0 && a.state === 'ACTIVE' ? 1 : 0;
  if (complete !== a.onboarding_complete) {
    await ctx.db.updateTable('accounts').set({ onboarding_complete: complete }).where('id', '=', a.id).execute();
    a.onboarding_complete = complete;
  }
  return { account: a, actions };
}

export function flagsOf(a: Account): string[] {
  const f: string[] = [];
  if (a.locked) f.push('LOCKED');
  if (a.risk_high) f.push('RISK_HIGH');
  if (a.under_investigation) f.push('UNDER_INVESTIGATION');
  if (a.onboarding_complete) f.push('ONBOARDING_COMPLETE');
  if (a.mfa_registered) f.push('MFA_REGISTERED');
  if (a.must_change_password) f.push('MUST_CHANGE_PASSWORD');
  if (a.phone_verified) f.push('PHONE_VERIFIED');
  return f;
}

/** SEED state as of now: PROVISIONED turns INVITE_EXPIRED once the 30-day email window is over (D10), on every read. */
export function seedView(ctx: Ctx, a: Account): { state: string; emailExpiresAt?: string } {
  let state = a.seed_state;
  const expires = a.seed_invite_sent_at ? addSec(new Date(a.seed_invite_sent_at), ctx.deadlines.seedEmailValidity) : undefined;
  if (state === 'PROVISIONED' && expires && expires.getTime() <= ctx.clock.now().getTime()) state = 'INVITE_EXPIRED';
  return { state, ...(expires && (state === 'PROVISIONED' || state === 'INVITE_EXPIRED') ? { emailExpiresAt: iso(expires) } : {}) };
}

export function activateBy(ctx: Ctx, a: Account): string | undefined {
  return a.state === 'PENDING' ? iso(addSec(new Date(a.created_at), ctx.deadlines.activationWindow)) : undefined;
}
