import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely, type UpdateObject } from 'kysely';
import { usernameFromLoginId, usernameProblem } from '../../../../shared/domain/registration-rules';
import type { Ctx } from '../../context';
import { addSec, iso } from '../../context';
import type { DB } from '../../db/schema';
import { preparedQuery } from '../../db/prepared';
import { randomToken, sha256 } from '../../crypto';
import { ApiError } from '../../http/errors';
import { findByUsername, onboardingOf, type AcceptedTerm, type Account, type RequiredActionId } from '../me/accounts';
import { openTotpSecret, totpStep } from '../authenticator/totp';
import { accountActor, anonymousActor, audit } from '../../db/audit';
import { recordCodeVerified, recordLockout, recordSignIn, type SignInOutcome } from '../../observability/metrics';

const MFA_TOKEN_SECONDS = 5 * 60;
/** How stale a session's last_seen_at may get before a request moves it. */
const SESSION_TOUCH_SECONDS = 60;
const MFA_MAX_ATTEMPTS = 5;
/** Wrong authenticator codes in a row on one account, across MFA tokens, before the account locks. */
export const MFA_ACCOUNT_MAX_FAILURES = 10;

const invalidCredentials = () =>
  new ApiError({
    status: 401,
    code: 'INVALID_CREDENTIALS',
    message:
      'The username or password is wrong. Sign in with your TechPass username, not your email. After several failures the account will be locked.',
  });
const locked = () =>
  new ApiError({
    status: 423,
    code: 'ACCOUNT_LOCKED',
    message:
      'This account is locked after repeated failed sign-ins. Reset your password to unlock it; if that fails, raise a service request.',
  });
const lockedByCodes = () =>
  new ApiError({
    status: 423,
    code: 'ACCOUNT_LOCKED',
    message:
      'This account is locked after too many wrong authenticator codes. Reset your password to unlock it; if that fails, raise a service request.',
  });
const mfaExpired = () =>
  new ApiError({
    status: 401,
    code: 'SESSION_EXPIRED',
    message: 'The sign-in took too long. Sign in again with your username and password.',
  });
const tooManyCodes = () =>
  new ApiError({
    status: 429,
    code: 'TOO_MANY_ATTEMPTS',
    message: 'Too many wrong codes. Sign in again with your username and password.',
  });

/**
 * Reserves one password guess for an unknown username before it is judged: the counter row is created or
 * incremented only while it is below the threshold, in one statement. Undefined = no guess left (locked).
 */
async function reserveUnknownGuess(ctx: Ctx, key: string, threshold: number): Promise<number | undefined> {
  const now = iso(ctx.clock.now());
  const row = await ctx.db
    .insertInto('signin_failures')
    .values({ key, count: 1, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet((eb) => ({
          count: eb('signin_failures.count', '+', 1),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('signin_failures.count', '<', threshold),
    )
    .returning('count')
    .executeTakeFirst();
  return row?.count;
}

/**
 * Reserves one password guess on an account before the slow argon2 verification: the failure counter is raised
 * only while the account is unlocked and below the threshold, and the database returns the slot taken. Parallel
 * guesses therefore get slots 1…threshold and every later one is refused unjudged, however they interleave.
 */
async function reservePasswordGuess(ctx: Ctx, accountId: string, threshold: number): Promise<number | undefined> {
  const row = await ctx.db
    .updateTable('accounts')
    .set((eb) => ({ failed_login_count: eb('failed_login_count', '+', 1) }))
    .where('id', '=', accountId)
    .where('locked', '=', 0)
    .where('failed_login_count', '<', threshold)
    .returning('failed_login_count')
    .executeTakeFirst();
  return row?.failed_login_count;
}

/**
 * Judges a password of a known account the way sign-in does, for any endpoint that checks one (the current password
 * of a self-service change): a slot is reserved first, the guess that takes the last slot locks the account, a
 * locked account is refused unjudged (423), and a right password ends the run of failures. So a signed-in session
 * cannot try passwords without limit either. Returns whether the password was right.
 */
export async function judgeAccountPassword(
  ctx: Ctx,
  account: Pick<Account, 'id' | 'password_hash'>,
  password: string,
): Promise<boolean> {
  const guess = await judgeGuess(ctx, account, password);
  if (guess === 'locked') throw locked();
  if (guess !== 'right') return false;
  const [ended] = await endFailureRun(ctx.db, account.id);
  if (!ended) throw locked();
  return true;
}

/**
 * The lockout rule (domain.md §4.6, F1), once for every path that judges a password of a known account. A slot is
 * reserved before the hash is compared; the guess holding the last slot locks the account; a right password then
 * ends the run of failures with endFailureRun, a conditional write, so a guess judged meanwhile that locked the
 * account wins.
 *  - locked: no slot was left, so nothing was judged (a dummy verify keeps the timing);
 *  - wrong / wrong_now_locked: the password was wrong (and its guess locked the account);
 *  - right: the password was right; the caller ends the run of failures (with what else it writes).
 */
async function judgeGuess(
  ctx: Ctx,
  account: Pick<Account, 'id' | 'password_hash'>,
  password: string,
): Promise<'locked' | 'wrong' | 'wrong_now_locked' | 'right'> {
  const threshold = ctx.deadlines.lockoutThreshold;
  const slot = await reservePasswordGuess(ctx, account.id, threshold);
  if (slot === undefined) {
    await ctx.hasher.verifyDummy(password);
    return 'locked';
  }
  if (!(await ctx.hasher.verify(account.password_hash, password))) {
    if (slot < threshold) return 'wrong';
    await ctx.db.updateTable('accounts').set({ locked: 1 }).where('id', '=', account.id).execute();
    return 'wrong_now_locked';
  }
  return 'right';
}

/**
 * A conditional write of the account: only while it is unlocked and, with `passwordHash`, still has the password
 * that was verified (see openSession). The account as written, or none.
 */
function writeUnlockedAccount(
  db: Kysely<DB>,
  accountId: string,
  passwordHash: string | undefined,
  set: UpdateObject<DB, 'accounts'>,
): Promise<Account[]> {
  let q = db.updateTable('accounts').set(set).where('id', '=', accountId).where('locked', '=', 0);
  if (passwordHash !== undefined) q = q.where('password_hash', '=', passwordHash);
  return q.returningAll().execute();
}

/**
 * A right password ends the run of failures, in the conditional write above (a guess judged meanwhile that locked
 * the account wins). `also`: what the caller writes to the account with it.
 */
function endFailureRun(
  db: Kysely<DB>,
  accountId: string,
  passwordHash?: string,
  also: UpdateObject<DB, 'accounts'> = {},
): Promise<Account[]> {
  return writeUnlockedAccount(db, accountId, passwordHash, { ...also, failed_login_count: 0 });
}

/**
 * Inserts a new session or MFA token; its token (shown once) is returned and only its hash is kept. Sign-in calls it
 * inside openSession's transaction, after the account write that checks the password is still the verified one.
 */
async function createSession(db: Kysely<DB>, ctx: Ctx, accountId: string, kind: 'session' | 'mfa'): Promise<string> {
  const token = randomToken(32);
  const now = ctx.clock.now();
  const ttl = kind === 'mfa' ? MFA_TOKEN_SECONDS : ctx.config.sessionAbsoluteSeconds;
  await insertSession(db, sha256(token), accountId, kind, iso(now), iso(addSec(now, ttl)));
  return token;
}

/** Compiled once (db/prepared.ts): every sign-in inserts one. */
const insertSession = preparedQuery(
  (db, tokenHash, accountId, kind, createdAt, expiresAt) =>
    db.insertInto('sessions').values({
      token_hash: tokenHash,
      account_id: accountId,
      kind,
      created_at: createdAt,
      last_seen_at: createdAt,
      expires_at: expiresAt,
    }),
  5,
);

const passwordChangedMeanwhile = () =>
  new ApiError({
    status: 401,
    code: 'INVALID_CREDENTIALS',
    message: 'The password of this account was changed just now. Sign in with the new password.',
  });

function disclose(a: Account): void {
  if (a.state === 'DISABLED') {
    throw new ApiError({
      status: 403,
      code: 'ACCOUNT_DISABLED',
      message:
        'This account is disabled (after 90 days without use, or by an administrator). Raise a service request to re-enable it, then sign in within 5 days.',
    });
  }
  if (a.state === 'TERMINATED') {
    throw new ApiError({
      status: 403,
      code: 'ACCOUNT_TERMINATED',
      message: 'This account has been closed and cannot be recovered. Ask for a new account or invitation.',
    });
  }
  if (a.risk_high) {
    throw new ApiError({
      status: 403,
      code: 'ACCOUNT_RISK',
      message:
        'Sign-in is blocked for your protection. Check your email for remediation steps, or contact TechPass support.',
    });
  }
}

/**
 * A refused sign-in, counted and audited before its error is thrown. `subject` is the username asked for (an
 * unknown one too: guessing names is what the trail must show); never the password.
 */
async function refuseSignIn(
  ctx: Ctx,
  subject: string,
  outcome: Exclude<SignInOutcome, 'success'>,
  reason: string,
  err: ApiError,
  known: boolean,
): Promise<ApiError> {
  recordSignIn(outcome);
  await audit(
    ctx.db,
    ctx.clock.now(),
    known ? accountActor(subject) : anonymousActor(subject),
    'sign-in.failure',
    subject,
    { reason },
    'failure',
  );
  return err;
}

/** The guess that took the last slot locked the account: one lockout, counted and audited once. */
async function accountLocked(ctx: Ctx, username: string, by: 'password' | 'code'): Promise<void> {
  recordLockout(by);
  await audit(ctx.db, ctx.clock.now(), accountActor(username), 'account.lock', username, {
    after: by === 'password' ? 'wrong passwords' : 'wrong authenticator codes',
  });
}

export type SignInResult =
  { kind: 'session'; token: string; requiredActions: RequiredActionId[] } | { kind: 'mfa'; mfaToken: string };

/**
 * Ends a verified sign-in in one transaction. The account write comes first and is conditional: the account must
 * be unlocked (a guess judged meanwhile that locked it wins) and still have the password that was verified, so a
 * password change or reset, which ends every session in its own transaction, cannot leave a session opened with the
 * old password (on PostgreSQL the write holds the account's row until commit; SQLite runs one writer at a time).
 * With it: the run of password failures ends (password factor), the sign-in is stamped (a session, not an MFA
 * token); then the session or MFA token, the required actions and the audit record, committed together. 'locked':
 * nothing was written because the account is locked.
 */
async function openSession(ctx: Ctx, a: Account, factor: 'password' | 'totp'): Promise<SignInResult | 'locked'> {
  const kind = factor === 'password' && a.mfa_registered ? 'mfa' : 'session';
  const now = iso(ctx.clock.now());
  const stamp: UpdateObject<DB, 'accounts'> =
    kind === 'session'
      ? {
          last_sign_in_at: now,
          last_reminder_key: null,
          first_sign_in_at: sql<string>`coalesce(first_sign_in_at, ${now})`,
        }
      : {};
  const opened = await ctx.db.transaction().execute(async (db): Promise<SignInResult | undefined> => {
    const [written] =
      factor === 'password'
        ? await endFailureRun(db, a.id, a.password_hash, stamp)
        : await writeUnlockedAccount(db, a.id, a.password_hash, stamp);
    if (!written) return undefined;
    const token = await createSession(db, ctx, a.id, kind);
    if (kind === 'mfa') return { kind: 'mfa', mfaToken: token };
    const { actions } = await onboardingOf({ ...ctx, db }, written);
    await audit(db, ctx.clock.now(), accountActor(a.username), 'sign-in.success', a.username, { factor });
    return { kind: 'session', token, requiredActions: actions };
  });
  if (opened) {
    if (opened.kind === 'session') recordSignIn('success');
    return opened;
  }
  const current = await ctx.db.selectFrom('accounts').select('locked').where('id', '=', a.id).executeTakeFirst();
  if (current?.locked) return 'locked';
  throw passwordChangedMeanwhile();
}

/**
 * Password sign-in. Unknown usernames, wrong passwords and locked accounts all cost one argon2 verification, and
 * unknown usernames lock like real ones, so nothing about an account leaks before a correct password.
 * A guess is judged only after it has reserved a slot (see reservePasswordGuess); the lock is decided from the slot
 * number the database returned, never from a copy of the account read before the verification.
 */
export async function signIn(ctx: Ctx, loginId: string, password: string): Promise<SignInResult> {
  const username = usernameFromLoginId(loginId);
  const account = username ? await findByUsername(ctx, username) : undefined;
  const threshold = ctx.deadlines.lockoutThreshold;
  if (!account) {
    // Only a well-formed username is recorded (trail and counter key): a password typed into the username field
    // would otherwise be stored in plain text; anything else is counted under its hash.
    const wellFormed = username !== undefined && usernameProblem(username) === undefined ? username : undefined;
    const slot = await reserveUnknownGuess(
      ctx,
      `unknown:${wellFormed ?? `sha256:${sha256(loginId.trim().toLowerCase())}`}`,
      threshold,
    );
    await ctx.hasher.verifyDummy(password);
    const subject = wellFormed ?? '(not a username)';
    throw slot === undefined
      ? await refuseSignIn(ctx, subject, 'locked', 'unknown username, locked', locked(), false)
      : await refuseSignIn(ctx, subject, 'wrong_password', 'unknown username', invalidCredentials(), false);
  }
  const verdict = await judgeGuess(ctx, account, password);
  if (verdict === 'wrong_now_locked') await accountLocked(ctx, account.username, 'password');
  if (verdict === 'wrong' || verdict === 'wrong_now_locked')
    throw await refuseSignIn(ctx, account.username, 'wrong_password', 'wrong password', invalidCredentials(), true);
  if (verdict !== 'right') throw await refuseSignIn(ctx, account.username, 'locked', 'locked', locked(), true);
  try {
    disclose(account);
  } catch (err) {
    // A right password still ends the run of failures of an account that may not sign in.
    await endFailureRun(ctx.db, account.id);
    throw err instanceof ApiError ? await refuseSignIn(ctx, account.username, 'blocked', err.code, err, true) : err;
  }
  const opened = await openSession(ctx, account, 'password');
  if (opened === 'locked') throw await refuseSignIn(ctx, account.username, 'locked', 'locked', locked(), true);
  return opened;
}

/**
 * Second factor. Each submission first reserves one of the MFA token's attempts (a conditional increment), so at most
 * MFA_MAX_ATTEMPTS codes are judged per token however many arrive at once. A wrong code also takes one of the
 * account's MFA_ACCOUNT_MAX_FAILURES slots (the last one locks the account in the same statement), so new
 * password sign-ins do not bring fresh guesses. A right code consumes its time step with a conditional update:
 * of parallel submissions of one code exactly one gets a session.
 */
export async function submitMfaCode(ctx: Ctx, mfaToken: string, code: string) {
  const hash = sha256(mfaToken);
  const now = ctx.clock.now();
  const s = await ctx.db
    .updateTable('sessions')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', hash)
    .where('kind', '=', 'mfa')
    .where('expires_at', '>', iso(now))
    .where('attempts', '<', MFA_MAX_ATTEMPTS)
    .returning(['account_id', 'attempts'])
    .executeTakeFirst();
  if (!s) {
    const row = await ctx.db
      .selectFrom('sessions')
      .select(['attempts', 'expires_at'])
      .where('token_hash', '=', hash)
      .where('kind', '=', 'mfa')
      .executeTakeFirst();
    if (row && new Date(row.expires_at).getTime() > now.getTime() && row.attempts >= MFA_MAX_ATTEMPTS)
      throw tooManyCodes();
    throw mfaExpired();
  }
  const lastAttempt = s.attempts >= MFA_MAX_ATTEMPTS;
  const a = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', s.account_id).executeTakeFirstOrThrow();
  disclose(a);
  if (a.locked) throw locked();
  const step = a.totp_secret ? totpStep(ctx, openTotpSecret(ctx, a.id, a.totp_secret), code) : undefined;
  const refuse = async (err: ApiError): Promise<never> => {
    if (lastAttempt) {
      await ctx.db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
      throw tooManyCodes();
    }
    throw err;
  };
  if (step === undefined) {
    const counted = await ctx.db
      .updateTable('accounts')
      .set((eb) => ({
        mfa_failed_count: eb('mfa_failed_count', '+', 1),
        locked: sql<number>`case when mfa_failed_count + 1 >= ${MFA_ACCOUNT_MAX_FAILURES} then 1 else locked end`,
      }))
      .where('id', '=', a.id)
      .where('locked', '=', 0)
      .where('mfa_failed_count', '<', MFA_ACCOUNT_MAX_FAILURES)
      .returning('mfa_failed_count')
      .executeTakeFirst();
    recordCodeVerified('totp', false);
    if (!counted) throw await refuseSignIn(ctx, a.username, 'locked', 'locked', locked(), true);
    if (counted.mfa_failed_count >= MFA_ACCOUNT_MAX_FAILURES) {
      await accountLocked(ctx, a.username, 'code');
      throw await refuseSignIn(ctx, a.username, 'mfa_failed', 'wrong authenticator code', lockedByCodes(), true);
    }
    const wrong = new ApiError({
      status: 400,
      code: 'CODE_INVALID',
      message:
        'The code is wrong. Enter the current 6-digit code from your authenticator app; check your phone’s clock.',
    });
    return refuse(await refuseSignIn(ctx, a.username, 'mfa_failed', 'wrong authenticator code', wrong, true));
  }
  const consumed = await ctx.db
    .updateTable('accounts')
    .set({ totp_last_step: step, mfa_failed_count: 0 })
    .where('id', '=', a.id)
    .where('locked', '=', 0)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  if (Number(consumed.numUpdatedRows) !== 1) {
    const fresh = await ctx.db.selectFrom('accounts').select('locked').where('id', '=', a.id).executeTakeFirst();
    if (fresh?.locked) throw locked();
    return refuse(
      new ApiError({
        status: 400,
        code: 'CODE_REUSED',
        message: 'This code was already used. Wait for the next code in your authenticator app and enter it.',
      }),
    );
  }
  const spent = await ctx.db
    .deleteFrom('sessions')
    .where('token_hash', '=', hash)
    .where('kind', '=', 'mfa')
    .executeTakeFirst();
  if (Number(spent.numDeletedRows) !== 1) throw mfaExpired();
  recordCodeVerified('totp', true);
  const opened = await openSession(ctx, a, 'totp');
  if (opened === 'locked') throw locked();
  if (opened.kind !== 'session') throw new Error('openSession: a second factor opens a session');
  return { token: opened.token, requiredActions: opened.requiredActions };
}

/**
 * The session (by its token's hash) and its account, compiled once (db/prepared.ts): this runs on every signed-in
 * request. `withTerms`: also the account's accepted terms, for the routes that declare they need them
 * (`termsWithSession`, GET /v1/me); elsewhere the column is a constant null, so the other signed-in requests skip
 * the aggregate (on PostgreSQL a round trip about 70 µs shorter).
 */
const sessionWithAccount = (withTerms: boolean) =>
  preparedQuery((db, tokenHash) => {
    const session = (eb: ExpressionBuilder<DB, 'accounts'>) =>
      eb.selectFrom('sessions').where('token_hash', '=', tokenHash).where('kind', '=', 'session');
    return db
      .selectFrom('accounts')
      .selectAll('accounts')
      .select((eb) => [
        session(eb).select('expires_at').as('session_expires_at'),
        session(eb).select('last_seen_at').as('session_last_seen_at'),
        // The account's accepted terms as "doc version" pairs (string_agg: PostgreSQL, and SQLite since 3.44), so
        // that GET /v1/me is this one statement; see acceptedTermsOf.
        withTerms
          ? eb
              .selectFrom('terms_acceptances')
              .select(sql<string | null>`string_agg(doc || ' ' || version, ',')`.as('pairs'))
              .whereRef('terms_acceptances.account_id', '=', 'accounts.id')
              .as('accepted_terms')
          : sql<string | null>`null`.as('accepted_terms'),
      ])
      .where('accounts.id', '=', (eb) => session(eb).select('account_id'));
  }, 1);
const sessionAccountOnly = sessionWithAccount(false);
const sessionAccountAndTerms = sessionWithAccount(true);

/**
 * The accepted terms read with the session: documents ids and versions are our own (features/terms/documents.ts,
 * the only values an acceptance can hold), and none contains a space or a comma.
 */
function acceptedTermsOf(pairs: string | null): AcceptedTerm[] {
  if (!pairs) return [];
  return pairs.split(',').map((pair) => {
    const [doc = '', version = ''] = pair.split(' ');
    return { doc, version };
  });
}

/**
 * The account behind a bearer session token. With `withTerms`, also the terms it had accepted when the request began
 * (GET /v1/me reads its required actions from them; a request that changes the terms reads them afresh); without,
 * `acceptedTerms` is undefined. Applies idle and absolute expiry.
 */
export async function authenticate(
  ctx: Ctx,
  header: string | undefined,
  withTerms = false,
): Promise<{ account: Account; tokenHash: string; acceptedTerms: AcceptedTerm[] | undefined }> {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m)
    throw new ApiError({
      status: 401,
      code: 'UNAUTHORIZED',
      message: 'Sign in first: this request needs a session token (Authorization: Bearer …).',
    });
  const tokenHash = sha256(m[1] as string);
  const now = ctx.clock.now();
  // The session and its account in one statement: this runs before every signed-in request. Written as the account
  // by id with the session's columns as scalar subqueries (three lookups of the session's primary key) rather than
  // a join: SQLite 3.54 took ~200 µs for the join of the wide accounts row against ~20 µs for this form.
  const [row] = await (withTerms ? sessionAccountAndTerms : sessionAccountOnly)(ctx.db, tokenHash);
  if (
    !row ||
    row.session_expires_at === null ||
    row.session_last_seen_at === null ||
    new Date(row.session_expires_at).getTime() <= now.getTime() ||
    addSec(new Date(row.session_last_seen_at), ctx.config.sessionIdleSeconds).getTime() <= now.getTime() ||
    !['PENDING', 'ACTIVE'].includes(row.state)
  ) {
    // Also removes a session whose account is gone (the statement found nothing).
    await ctx.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    throw new ApiError({ status: 401, code: 'SESSION_EXPIRED', message: 'Your session has ended. Sign in again.' });
  }
  const { session_expires_at: _expires, session_last_seen_at: lastSeen, accepted_terms: pairs, ...account } = row;
  // A read is not a write: the idle clock is moved at most once a minute (so a session idles out up to a minute
  // early), instead of an UPDATE on every request.
  if (now.getTime() - new Date(lastSeen).getTime() >= SESSION_TOUCH_SECONDS * 1000) {
    await ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: iso(now) })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return { account, tokenHash, acceptedTerms: withTerms ? acceptedTermsOf(pairs) : undefined };
}

export async function signOut(ctx: Ctx, tokenHash: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function revokeSessions(ctx: Ctx, accountId: string, keepTokenHash?: string): Promise<void> {
  let q = ctx.db.deleteFrom('sessions').where('account_id', '=', accountId);
  if (keepTokenHash) q = q.where('token_hash', '!=', keepTokenHash);
  await q.execute();
}

export const newId = (): string => randomUUID();
