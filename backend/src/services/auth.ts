import { randomUUID } from 'node:crypto';
import { verifySync } from 'otplib';
import { usernameFromLoginId } from '../../../shared/domain/registration-rules';
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
import { randomToken, sha256 } from '../crypto';
import { ApiError } from '../http/errors';
import { findByUsername, refreshOnboarding, type Account, type RequiredActionId } from './accounts';

const MFA_TOKEN_SECONDS = 5 * 60;
/** How stale a session's last_seen_at may get before a request moves it. */
const SESSION_TOUCH_SECONDS = 60;
const MFA_MAX_ATTEMPTS = 5;

const invalidCredentials = () =>
  new ApiError(401, 'INVALID_CREDENTIALS', 'The username or password is wrong. Sign in with your TechPass username, not your email. After several failures the account will be locked.');
const locked = () =>
  new ApiError(423, 'ACCOUNT_LOCKED', 'This account is locked after repeated failed sign-ins. Reset your password to unlock it; if that fails, raise a service request.');

async function bumpUnknown(ctx: Ctx, key: string): Promise<number> {
  const now = iso(ctx.clock.now());
  const row = await ctx.db.selectFrom('signin_failures').select('count').where('key', '=', key).executeTakeFirst();
  if (row) {
    await ctx.db.updateTable('signin_failures').set((eb) => ({ count: eb('count', '+', 1), updated_at: now })).where('key', '=', key).execute();
    return row.count + 1;
  }
  try {
    await ctx.db.insertInto('signin_failures').values({ key, count: 1, updated_at: now }).execute();
  } catch {
    await ctx.db.updateTable('signin_failures').set((eb) => ({ count: eb('count', '+', 1), updated_at: now })).where('key', '=', key).execute();
  }
  return 1;
}

export async function createSession(ctx: Ctx, accountId: string, kind: 'session' | 'mfa'): Promise<string> {
  const token = randomToken(32);
  const now = ctx.clock.now();
  const ttl = kind === 'mfa' ? MFA_TOKEN_SECONDS : ctx.config.sessionAbsoluteSeconds;
  await ctx.db
    .insertInto('sessions')
    .values({ token_hash: sha256(token), account_id: accountId, kind, created_at: iso(now), last_seen_at: iso(now), expires_at: iso(addSec(now, ttl)) })
    .execute();
  return token;
}

function disclose(a: Account): void {
  if (a.state === 'DISABLED') {
    throw new ApiError(403, 'ACCOUNT_DISABLED', 'This account is disabled (after 90 days without use, or by an administrator). Raise a service request to re-enable it, then sign in within 5 days.');
  }
  if (a.state === 'TERMINATED') {
    throw new ApiError(403, 'ACCOUNT_TERMINATED', 'This account has been closed and cannot be recovered. Ask for a new account or invitation.');
  }
  if (a.risk_high) {
    throw new ApiError(403, 'ACCOUNT_RISK', 'Sign-in is blocked for your protection. Check your email for remediation steps, or contact TechPass support.');
  }
}

async function completeSignIn(ctx: Ctx, a: Account): Promise<{ token: string; requiredActions: RequiredActionId[] }> {
  const now = iso(ctx.clock.now());
  await ctx.db.updateTable('accounts').set({ last_sign_in_at: now, last_reminder_key: null }).where('id', '=', a.id).execute();
  const token = await createSession(ctx, a.id, 'session');
  const { actions } = await refreshOnboarding(ctx, a.id);
  return { token, requiredActions: actions };
}

export type SignInResult =
  | { kind: 'session'; token: string; requiredActions: RequiredActionId[] }
  | { kind: 'mfa'; mfaToken: string };

/**
 * Password sign-in. Unknown usernames, wrong passwords and locked accounts all cost one argon2 verification, and
 * unknown usernames lock like real ones, so nothing about an account leaks before a correct password.
 */
export async function signIn(ctx: Ctx, loginId: string, password: string): Promise<SignInResult> {
  const username = usernameFromLoginId(loginId);
  const account = username ? await findByUsername(ctx, username) : undefined;
  const threshold = ctx.deadlines.lockoutThreshold;
  if (!account) {
    const key = `unknown:${username ?? loginId.trim().toLowerCase()}`;
    const prior = await ctx.db.selectFrom('signin_failures').select('count').where('key', '=', key).executeTakeFirst();
    await ctx.hasher.verifyDummy(password);
    if ((prior?.count ?? 0) >= threshold) throw locked();
    await bumpUnknown(ctx, key);
    throw invalidCredentials();
  }
  const ok = await ctx.hasher.verify(account.password_hash, password);
  if (account.locked) throw locked();
  if (!ok) {
    // Atomic increments, so parallel guesses cannot slip past the threshold.
    await ctx.db
      .updateTable('accounts')
      .set((eb) => ({ failed_login_count: eb('failed_login_count', '+', 1) }))
      .where('id', '=', account.id)
      .execute();
    await ctx.db.updateTable('accounts').set({ locked: 1 }).where('id', '=', account.id).where('failed_login_count', '>=', threshold).execute();
    throw invalidCredentials();
  }
  disclose(account);
  if (account.failed_login_count) await ctx.db.updateTable('accounts').set({ failed_login_count: 0 }).where('id', '=', account.id).execute();
  if (account.mfa_registered) return { kind: 'mfa', mfaToken: await createSession(ctx, account.id, 'mfa') };
  return { kind: 'session', ...(await completeSignIn(ctx, account)) };
}

/** Verifies a TOTP code against the injected clock (±1 step) and refuses any step at or before the last one used. */
export function checkTotp(ctx: Ctx, secret: string, code: string, lastStep: number | null): { ok: true; step: number } | { ok: false; reused: boolean } {
  const epoch = Math.floor(ctx.clock.now().getTime() / 1000);
  const r = verifySync({ secret, token: code, epoch, epochTolerance: 30 });
  if (!r.valid) return { ok: false, reused: false };
  const step = 'timeStep' in r ? r.timeStep : Math.floor(epoch / 30) + r.delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reused: true };
  return { ok: true, step };
}

export async function signInMfa(ctx: Ctx, mfaToken: string, code: string) {
  const hash = sha256(mfaToken);
  const now = ctx.clock.now();
  const s = await ctx.db.selectFrom('sessions').selectAll().where('token_hash', '=', hash).where('kind', '=', 'mfa').executeTakeFirst();
  if (!s || new Date(s.expires_at).getTime() <= now.getTime()) {
    throw new ApiError(401, 'SESSION_EXPIRED', 'The sign-in took too long. Sign in again with your username and password.');
  }
  const a = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', s.account_id).executeTakeFirstOrThrow();
  disclose(a);
  if (a.locked) throw locked();
  const r = checkTotp(ctx, a.totp_secret ?? '', code, a.totp_last_step);
  if (!r.ok) {
    const key = `mfa:${hash}`;
    const n = await bumpUnknown(ctx, key);
    if (n >= MFA_MAX_ATTEMPTS) {
      await ctx.db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
      throw new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Too many wrong codes. Sign in again with your username and password.');
    }
    if (r.reused) throw new ApiError(400, 'CODE_REUSED', 'This code was already used. Wait for the next code in your authenticator app and enter it.');
    throw new ApiError(400, 'CODE_INVALID', 'The code is wrong. Enter the current 6-digit code from your authenticator app; check your phone’s clock.');
  }
  await ctx.db.updateTable('accounts').set({ totp_last_step: r.step }).where('id', '=', a.id).execute();
  await ctx.db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
  return completeSignIn(ctx, a);
}

/** The account behind a bearer session token; applies idle and absolute expiry. */
export async function authenticate(ctx: Ctx, header: string | undefined): Promise<{ account: Account; tokenHash: string }> {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first: this request needs a session token (Authorization: Bearer …).');
  const tokenHash = sha256(m[1] as string);
  const now = ctx.clock.now();
  // The session and its account in one statement: this runs before every signed-in request.
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .selectAll('accounts')
    .select(['sessions.expires_at as session_expires_at', 'sessions.last_seen_at as session_last_seen_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.kind', '=', 'session')
    .executeTakeFirst();
  const expired =
    !row ||
    new Date(row.session_expires_at).getTime() <= now.getTime() ||
    addSec(new Date(row.session_last_seen_at), ctx.config.sessionIdleSeconds).getTime() <= now.getTime() ||
    !['PENDING', 'ACTIVE'].includes(row.state);
  if (expired) {
    // Also removes a session whose account is gone (the join found nothing).
    await ctx.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    throw new ApiError(401, 'SESSION_EXPIRED', 'Your session has ended. Sign in again.');
  }
  const { session_expires_at: _expires, session_last_seen_at: lastSeen, ...account } = row;
  // A read is not a write: the idle clock is moved at most once a minute (so a session idles out up to a minute
  // early), instead of an UPDATE on every request.
  if (now.getTime() - new Date(lastSeen).getTime() >= SESSION_TOUCH_SECONDS * 1000) {
    await ctx.db.updateTable('sessions').set({ last_seen_at: iso(now) }).where('token_hash', '=', tokenHash).execute();
  }
  return { account, tokenHash };
}

export async function signOut(ctx: Ctx, tokenHash: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function revokeSessions(ctx: Ctx, accountId: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}

export const newId = (): string => randomUUID();
