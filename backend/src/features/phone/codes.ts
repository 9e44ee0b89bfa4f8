import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { supportedLocaleOr, type Locale } from '../../../../shared/domain/locale';
import type { Ctx } from '../../context';
import { addSec, iso } from '../../context';
import { safeEqualHex, sha256, sixDigitCode } from '../../crypto';
import type { DB } from '../../db/schema';
import { ApiError } from '../../http/errors';
import { enqueue } from '../../outbox/outbox-store';
import { keyedHash, keyedHashMatches } from '../../security/data-keys';
import type { Account } from '../me/accounts';
import { recordCodeSent, recordCodeVerified } from '../../observability/metrics';

/**
 * SMS limits (SMS-pumping and brute-force protection). Hours and days are UTC clock windows; every send must fit in
 * all four, and the 60 s resend cooldown per account and purpose, or none is counted.
 */
export const SMS_LIMITS = {
  perAccountPerHour: 5,
  perAccountPerDay: 10,
  perNumberPerHour: 5,
  perNumberPerDay: 10,
} as const;

type Purpose = 'phone' | 'reset';
type Tx = Kysely<DB>;

/** Keyed with the server's data key and salted with the code's row id: a database copy alone cannot reverse it. */
const codeHash = (ctx: Ctx, id: string, code: string): string =>
  keyedHash(ctx.config.dataKeys, `${id}:${code}`, 'sms-code');

function codeMatches(ctx: Ctx, row: { id: string; code_hash: string }, code: string): boolean {
  // Rows written before codes were keyed hold an unsalted SHA-256 (they expire within 10 minutes of an upgrade).
  if (!row.code_hash.includes(':')) return safeEqualHex(row.code_hash, sha256(code));
  return keyedHashMatches(ctx.config.dataKeys, row.code_hash, `${row.id}:${code}`, 'sms-code');
}

class SmsRefused extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

const hourStart = (d: Date): string => iso(new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000));
export const dayStart = (d: Date): string => iso(new Date(Math.floor(d.getTime() / 86_400_000) * 86_400_000));

/**
 * Takes one unit of a fixed-window counter in one statement: the row is created, restarted for a new window, or
 * incremented while below `limit`. The count in the window including this one; undefined = the window is full
 * (nothing was counted). The one home of every SMS and resend limit.
 */
export async function takeWindowSlot(
  db: Tx,
  key: string,
  windowStart: string,
  limit: number,
): Promise<number | undefined> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet((eb) => ({
          count: sql<number>`case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end`,
          window_start: eb.ref('excluded.window_start'),
        }))
        .where((eb) =>
          eb.or([
            eb('rate_limits.window_start', '<>', eb.ref('excluded.window_start')),
            eb('rate_limits.count', '<', limit),
          ]),
        ),
    )
    .returning('count')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.count);
}

/** Takes the resend cooldown: succeeds only when the last send under `key` is at least `seconds` old. */
export async function takeCooldown(db: Tx, key: string, now: Date, seconds: number): Promise<boolean> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: iso(now), count: 1 })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet((eb) => ({
          count: eb('rate_limits.count', '+', 1),
          window_start: eb.ref('excluded.window_start'),
        }))
        .where('rate_limits.window_start', '<=', iso(addSec(now, -seconds))),
    )
    .returning('count')
    .executeTakeFirst();
  return row !== undefined;
}

/** After a refused takeCooldown: whole seconds (at least 1) until the cooldown under `key` lets the next send go. */
export async function cooldownWaitSeconds(db: Tx, key: string, now: Date, seconds: number): Promise<number> {
  const last = await db.selectFrom('rate_limits').select('window_start').where('key', '=', key).executeTakeFirst();
  const lastSent = new Date(last?.window_start ?? iso(now));
  return Math.max(1, Math.ceil((addSec(lastSent, seconds).getTime() - now.getTime()) / 1000));
}

const limited = (message: string, wait: number) =>
  new SmsRefused(
    new ApiError({
      status: 429,
      code: 'RATE_LIMITED',
      message,
      details: { retryAfterSeconds: wait },
      headers: { 'Retry-After': String(wait) },
    }),
  );

/**
 * Sends a 6-digit SMS code (10 min, 3 attempts). The cooldown and the SMS_LIMITS counters are taken in the same
 * transaction as the code and its outbox row, each by one conditional statement, so a parallel burst sends exactly
 * what the limits allow on SQLite and PostgreSQL alike (counter rows are locked until the transaction ends).
 * `quiet`: do not disclose a refusal (password reset answers 202 whatever happens).
 */
export async function sendSmsCode(
  ctx: Ctx,
  accountId: string,
  purpose: Purpose,
  phone: string,
  template: string,
  locale: Locale,
  quiet = false,
) {
  const now = ctx.clock.now();
  const cooldown = ctx.deadlines.smsCodeResendCooldown;
  const code = sixDigitCode();
  const id = randomUUID();
  const expiresAt = iso(addSec(now, ctx.deadlines.smsCodeValidity));
  const number = sha256(phone);
  const cooldownKey = `sms-cooldown:${purpose}:${accountId}`;
  try {
    await ctx.db.transaction().execute(async (tx) => {
      if (!(await takeCooldown(tx, cooldownKey, now, cooldown))) {
        const wait = await cooldownWaitSeconds(tx, cooldownKey, now, cooldown);
        throw limited(`A code was sent less than a minute ago. Wait ${wait} seconds, then ask for a new one.`, wait);
      }
      const untilNextHour = Math.ceil((new Date(hourStart(now)).getTime() + 3_600_000 - now.getTime()) / 1000);
      const untilNextDay = Math.ceil((new Date(dayStart(now)).getTime() + 86_400_000 - now.getTime()) / 1000);
      if (!(await takeWindowSlot(tx, `sms-account-hour:${accountId}`, hourStart(now), SMS_LIMITS.perAccountPerHour))) {
        throw limited(
          `Too many codes were sent for this account. Wait ${Math.ceil(untilNextHour / 60)} minutes and try again, or raise a service request.`,
          untilNextHour,
        );
      }
      if (!(await takeWindowSlot(tx, `sms-account-day:${accountId}`, dayStart(now), SMS_LIMITS.perAccountPerDay))) {
        throw limited(
          'Too many codes were sent for this account today. Try again tomorrow, or raise a service request.',
          untilNextDay,
        );
      }
      if (!(await takeWindowSlot(tx, `sms-number-hour:${number}`, hourStart(now), SMS_LIMITS.perNumberPerHour))) {
        throw limited(
          'Too many codes were sent to this number. Wait an hour and try again, or raise a service request.',
          untilNextHour,
        );
      }
      if (!(await takeWindowSlot(tx, `sms-number-day:${number}`, dayStart(now), SMS_LIMITS.perNumberPerDay))) {
        throw limited(
          'Too many codes were sent to this number today. Try again tomorrow, or raise a service request.',
          untilNextDay,
        );
      }
      // A new code replaces any earlier unused one for the same purpose.
      await tx
        .updateTable('codes')
        .set({ used_at: iso(now) })
        .where('account_id', '=', accountId)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .execute();
      await tx
        .insertInto('codes')
        .values({
          id,
          account_id: accountId,
          purpose,
          target: phone,
          code_hash: codeHash(ctx, id, code),
          attempts: 0,
          created_at: iso(now),
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
      await enqueue(tx, now, { channel: 'sms', to: phone, template, data: { code }, locale, accountId });
    });
  } catch (err) {
    if (!(err instanceof SmsRefused)) throw err;
    if (quiet) return undefined;
    throw err.error;
  }
  recordCodeSent('sms');
  return { resendAfterSeconds: cooldown, expiresAt };
}

const codeInvalid = () =>
  new ApiError({
    status: 400,
    code: 'CODE_INVALID',
    message: 'The code is wrong. Ask for a new code and enter the one in the latest SMS.',
  });
const codeReused = () =>
  new ApiError({ status: 400, code: 'CODE_REUSED', message: 'This code was already used. Ask for a new code.' });
const tooManyAttempts = () =>
  new ApiError({ status: 429, code: 'TOO_MANY_ATTEMPTS', message: 'Too many wrong codes. Ask for a new code.' });

export interface CodeUse {
  /** Runs once the code is known to be right, before it is claimed: a failure here (password policy) keeps it usable. */
  check?: (target: string) => Promise<void>;
  /** The effect the code authorises; runs in the transaction that claims the code, so only the claimant acts. */
  apply: (tx: Tx, target: string, now: Date) => Promise<void>;
}

/**
 * Checks the latest code for a purpose and, when right, claims it and applies its effect (claim first, then act).
 * A wrong code is answered only after it has reserved one of the code's attempts (a conditional increment), so at
 * most smsCodeMaxAttempts wrong codes are judged however many arrive at once. A right code is claimed by a
 * conditional update that also requires attempts to be left: once the attempts are used up the right code is
 * refused too, and of concurrent right submissions exactly one claims the code and only its effect is applied.
 * Returns the code's target.
 */
export async function consumeSmsCode(
  ctx: Ctx,
  accountId: string,
  purpose: Purpose,
  code: string,
  use: CodeUse,
): Promise<string> {
  const now = ctx.clock.now();
  const max = ctx.deadlines.smsCodeMaxAttempts;
  const row = await ctx.db
    .selectFrom('codes')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row) throw codeInvalid();
  const right = codeMatches(ctx, row, code);
  if (row.used_at) throw right ? codeReused() : codeInvalid();
  if (new Date(row.expires_at).getTime() <= now.getTime()) {
    throw new ApiError({
      status: 400,
      code: 'CODE_EXPIRED',
      message: 'The code has expired (codes last 10 minutes). Ask for a new code.',
    });
  }
  recordCodeVerified('sms', right);
  if (!right) {
    const slot = await ctx.db
      .updateTable('codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .where('attempts', '<', max)
      .returning('attempts')
      .executeTakeFirst();
    if (slot)
      throw new ApiError({
        status: 400,
        code: 'CODE_INVALID',
        message: 'The code is wrong. Check the latest SMS and try again, or ask for a new code.',
      });
    const fresh = await ctx.db.selectFrom('codes').select('used_at').where('id', '=', row.id).executeTakeFirst();
    throw fresh?.used_at ? codeInvalid() : tooManyAttempts();
  }
  if (use.check) await use.check(row.target);
  await ctx.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .updateTable('codes')
      .set({ used_at: iso(now) })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .where('attempts', '<', max)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      const fresh = await tx.selectFrom('codes').select('used_at').where('id', '=', row.id).executeTakeFirst();
      throw fresh?.used_at ? codeReused() : tooManyAttempts();
    }
    await use.apply(tx, row.target, now);
  });
  return row.target;
}

/** Ends every session of the account (all of them, or all but the one kept: a self-service change keeps its own). */
export async function endSessions(db: Tx, accountId: string, keepTokenHash?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('account_id', '=', accountId);
  if (keepTokenHash) q = q.where('token_hash', '!=', keepTokenHash);
  await q.execute();
}

/** The security notice after a password change or reset ("not you? …"). */
export async function notifyPasswordChanged(
  db: Tx,
  now: Date,
  a: Pick<Account, 'id' | 'email' | 'login_id' | 'locale'>,
  via: 'change' | 'reset' | 'support-link' | 'initial-password',
): Promise<void> {
  await enqueue(db, now, {
    channel: 'email',
    to: a.email,
    template: 'N-PWD-CHANGED',
    data: { loginId: a.login_id, at: iso(now), via },
    locale: supportedLocaleOr(a.locale),
    accountId: a.id,
  });
}
