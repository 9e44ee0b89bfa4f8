import { sql, type Kysely, type Selectable } from 'kysely';
import {
  passwordExpired as passwordExpiredAt,
  passwordExpiresAt as passwordExpiresAfter,
} from '../../../../shared/domain/deadlines';
import { usernameFromLoginId } from '../../../../shared/domain/registration-rules';
import { seedProvisioned as seedWasProvisioned } from '../../../../shared/domain/seed-provision';
import type { RequiredAction } from '../../../../shared/domain/states';
import type { AccountTable, DB } from '../../db/schema';
import { preparedQuery } from '../../db/prepared';
import type { Ctx } from '../../context';
import { addSec, iso } from '../../context';
import { ApiError } from '../../http/errors';
import { TERMS_DOCUMENTS } from '../terms/documents';
import { accountActor, audit } from '../../db/audit';

export type Account = Selectable<AccountTable>;
export type RequiredActionId = RequiredAction;

export function seedProvisioned(a: Pick<Account, 'seed_state'>): boolean {
  return seedWasProvisioned(a.seed_state);
}

/** Compiled once (db/prepared.ts): every sign-in and password reset starts here. */
const liveAccountByUsername = preparedQuery(
  (db, username) =>
    db.selectFrom('accounts').selectAll().where('username', '=', username).where('state', '!=', 'DELETED'),
  1,
);

export async function findByUsername(ctx: Ctx, username: string): Promise<Account | undefined> {
  const [account] = await liveAccountByUsername(ctx.db, username.toLowerCase());
  return account;
}

/** Username or `username@techpass.gov.sg`; an organisational email is never a login id. */
export async function findByLoginId(ctx: Ctx, loginId: string): Promise<Account | undefined> {
  const username = usernameFromLoginId(loginId);
  return username ? findByUsername(ctx, username) : undefined;
}

export async function requireAccountByUsername(ctx: Ctx, username: string): Promise<Account> {
  const a = await findByUsername(ctx, username);
  if (!a)
    throw new ApiError({
      status: 404,
      code: 'NOT_FOUND',
      message: `There is no account with the username ${username}. Check the spelling.`,
    });
  return a;
}

export function passwordExpiresAt(ctx: Ctx, a: Account): Date {
  return passwordExpiresAfter(a.password_changed_at, ctx.deadlines);
}

export function passwordExpired(ctx: Ctx, a: Account): boolean {
  return passwordExpiredAt(a.password_changed_at, ctx.clock.now(), ctx.deadlines);
}

/** Compiled once (db/prepared.ts): every /v1/me reads it. */
const acceptedTerms = preparedQuery(
  (db, accountId) => db.selectFrom('terms_acceptances').select(['doc', 'version']).where('account_id', '=', accountId),
  1,
);

/** A terms document and the version of it the account accepted. */
export interface AcceptedTerm {
  doc: string;
  version: string;
}

/**
 * The terms documents the account still has to accept. `accepted`: the account's acceptances as already read in this
 * request, before anything in it changed them (the session's read, for GET /v1/me); read here otherwise.
 */
export async function pendingTerms(ctx: Ctx, a: Account, accepted?: readonly AcceptedTerm[]): Promise<string[]> {
  const done = accepted ?? (await acceptedTerms(ctx.db, a.id));
  const needed = TERMS_DOCUMENTS.filter((d) => d.id !== 'mdm-aup' || seedProvisioned(a));
  return needed.filter((d) => !done.some((x) => x.doc === d.id && x.version === d.version)).map((d) => d.id);
}

/** The server's list of what the user still has to do, in domain.md §4.1 order. */
export async function requiredActions(
  ctx: Ctx,
  a: Account,
  accepted?: readonly AcceptedTerm[],
): Promise<RequiredActionId[]> {
  const out: RequiredActionId[] = [];
  if (!a.mfa_registered) out.push('authenticator');
  if (!a.phone_verified) out.push('phone');
  if (a.must_change_password || passwordExpired(ctx, a)) out.push('password');
  if ((await pendingTerms(ctx, a, accepted)).length > 0) out.push('terms');
  return out;
}

/**
 * Records ONBOARDING_COMPLETE when every action is done (T2b) and clears it if a new action appeared (A28); also the
 * first moment the terms were all accepted and onboarding was complete (the funnel), auditing the first completion.
 * Writes only when something changed, so reading the account's actions on every request stays a read.
 */
export async function recordOnboardingProgress(
  ctx: Ctx,
  a: Account,
  actions: readonly RequiredActionId[],
): Promise<Account> {
  const complete = actions.length === 0 && a.state === 'ACTIVE' ? 1 : 0;
  const now = iso(ctx.clock.now());
  const termsFirst = !actions.includes('terms') && a.terms_accepted_at === null;
  const completeFirst = complete === 1 && a.onboarding_completed_at === null;
  if (complete === a.onboarding_complete && !termsFirst && !completeFirst) return a;
  await ctx.db
    .updateTable('accounts')
    .set({
      onboarding_complete: complete,
      ...(termsFirst ? { terms_accepted_at: sql<string>`coalesce(terms_accepted_at, ${now})` } : {}),
    })
    .where('id', '=', a.id)
    .execute();
  if (completeFirst) {
    // Parallel requests all read the completion time as null: only the one whose update set it audits the completion.
    const first = await ctx.db
      .updateTable('accounts')
      .set({ onboarding_completed_at: now })
      .where('id', '=', a.id)
      .where('onboarding_completed_at', 'is', null)
      .executeTakeFirst();
    if (Number(first.numUpdatedRows) === 1)
      await audit(ctx.db, ctx.clock.now(), accountActor(a.username), 'account.onboarding-complete', a.username);
  }
  return {
    ...a,
    onboarding_complete: complete,
    terms_accepted_at: termsFirst ? now : a.terms_accepted_at,
    onboarding_completed_at: completeFirst ? now : a.onboarding_completed_at,
  };
}

export async function refreshOnboarding(
  ctx: Ctx,
  accountId: string,
): Promise<{ account: Account; actions: RequiredActionId[] }> {
  const a = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
  return onboardingOf(ctx, a);
}

/** refreshOnboarding for an account row the caller has just read or written. */
export async function onboardingOf(ctx: Ctx, a: Account): Promise<{ account: Account; actions: RequiredActionId[] }> {
  const actions = await requiredActions(ctx, a);
  return { account: await recordOnboardingProgress(ctx, a, actions), actions };
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
  const expires = a.seed_invite_sent_at
    ? addSec(new Date(a.seed_invite_sent_at), ctx.deadlines.seedEmailValidity)
    : undefined;
  if (state === 'PROVISIONED' && expires && expires.getTime() <= ctx.clock.now().getTime()) state = 'INVITE_EXPIRED';
  return {
    state,
    ...(expires && (state === 'PROVISIONED' || state === 'INVITE_EXPIRED') ? { emailExpiresAt: iso(expires) } : {}),
  };
}

export function activateBy(ctx: Ctx, a: Account): string | undefined {
  return a.state === 'PENDING' ? iso(addSec(new Date(a.created_at), ctx.deadlines.activationWindow)) : undefined;
}

/** What a step's completing request answers: the required actions left and whether onboarding is complete. */
export async function actionResult(ctx: Ctx, accountId: string) {
  const { account, actions } = await refreshOnboarding(ctx, accountId);
  return {
    requiredActions: actions,
    onboardingComplete: actions.length === 0 && account.state === 'ACTIVE',
    state: account.state,
  };
}

/**
 * Serialises the transactions of one account on PostgreSQL (a row lock held to commit), so a check and the write it
 * allows cannot interleave with another request's; SQLite runs one write transaction at a time already.
 */
export async function lockAccountRow(ctx: Ctx, tx: Kysely<DB>, accountId: string): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`select id from accounts where id = ${accountId} for update`.execute(tx);
}
