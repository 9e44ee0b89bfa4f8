import { supportedLocaleOr } from '../../../../shared/domain/locale';
import { generateInitialPassword } from '../../../../shared/domain/password-policy';
import { usernameFromLoginId } from '../../../../shared/domain/registration-rules';
import type { Ctx } from '../../context';
import { iso } from '../../context';
import { randomInt, sha256 } from '../../crypto';
import { ApiError } from '../../http/errors';
import type { ApiErrorDetails } from '../../../../shared/api/errors';
import { enqueue } from '../../outbox/outbox-store';
import { accountActor, audit } from '../../db/audit';
import { findByLoginId, type Account } from '../me/accounts';
import { dayStart, endSessions, cooldownWaitSeconds, takeCooldown, takeWindowSlot } from '../phone/codes';

/** "Send my first password again": at most this many a day (UTC day) per username and mobile, 60 s apart. */
export const INITIAL_PASSWORD_RESENDS_PER_DAY = 5;

export interface ResendAnswer {
  status: 'accepted';
  /** Resends asked for today with this username and mobile (this one included), and the daily limit. */
  sentToday: number;
  dailyLimit: number;
  resendAfterSeconds: number;
}

/**
 * Who asks is named by the username and the registered mobile together, and every limit is counted for that pair,
 * whether or not an account matches it: the answer (its counts, cooldown and refusals) is then the same for an unknown
 * user as for a real one, so the endpoint tells nobody which usernames exist or which number belongs to whom. The
 * password goes only to the number the account registered, which the asker must already know.
 */
function subjectOf(loginId: string, mobile: string): string {
  const username = usernameFromLoginId(loginId) ?? loginId.trim().toLowerCase();
  return sha256(`${username}|${mobile}`);
}

class Refused extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

const rateLimited = (message: string, wait: number, extra: Omit<ApiErrorDetails, 'retryAfterSeconds'> = {}) =>
  new Refused(
    new ApiError({
      status: 429,
      code: 'RATE_LIMITED',
      message,
      details: { retryAfterSeconds: wait, ...extra },
      headers: { 'Retry-After': String(wait) },
    }),
  );

/** An account that is still waiting for its first password change (SMS delivery), or undefined. */
function awaitingFirstChange(a: Account | undefined, mobile: string): a is Account {
  return (
    a !== undefined &&
    a.password_delivery === 'sms' &&
    a.must_change_password === 1 &&
    ['PENDING', 'ACTIVE'].includes(a.state) &&
    (a.mobile === mobile || a.phone_e164 === mobile)
  );
}

/**
 * Self-service resend of the initial-password SMS (domain.md A18: the resend makes the old one invalid). The cooldown
 * and the day's count are claimed first, each in one conditional statement, in the transaction that then replaces
 * the password and queues the SMS: of any number of parallel requests exactly the allowed ones send (counter rows stay
 * locked until the transaction ends, on SQLite and PostgreSQL alike).
 */
export async function resendInitialPassword(ctx: Ctx, loginId: string, mobile: string): Promise<ResendAnswer> {
  const now = ctx.clock.now();
  const subject = subjectOf(loginId, mobile);
  const cooldown = ctx.deadlines.smsCodeResendCooldown;
  const account = await findByLoginId(ctx, loginId);
  const match = awaitingFirstChange(account, mobile) ? account : undefined;
  // Hashed for every request, matching or not, so the answer takes as long for an unknown user as for a real one.
  const password = generateInitialPassword((max) => randomInt(0, max), undefined, {
    username: match?.username ?? loginId,
    names: match ? [match.first_name, match.last_name] : [],
  });
  const hash = await ctx.hasher.hash(password);
  const cooldownKey = `initpwd-cooldown:${subject}`;
  const dayKey = `initpwd-day:${subject}`;
  try {
    const sentToday = await ctx.db.transaction().execute(async (tx) => {
      if (!(await takeCooldown(tx, cooldownKey, now, cooldown))) {
        const wait = await cooldownWaitSeconds(tx, cooldownKey, now, cooldown);
        throw rateLimited(
          `Your first password was sent again less than a minute ago. Wait ${wait} seconds, then try again.`,
          wait,
        );
      }
      const count = await takeWindowSlot(tx, dayKey, dayStart(now), INITIAL_PASSWORD_RESENDS_PER_DAY);
      if (count === undefined) {
        const untilTomorrow = Math.ceil((new Date(dayStart(now)).getTime() + 86_400_000 - now.getTime()) / 1000);
        throw rateLimited(
          `Your first password was already sent again ${INITIAL_PASSWORD_RESENDS_PER_DAY} times today, the most a day. Try again tomorrow, or raise a service request if no SMS arrives.`,
          untilTomorrow,
          { sentToday: INITIAL_PASSWORD_RESENDS_PER_DAY, dailyLimit: INITIAL_PASSWORD_RESENDS_PER_DAY },
        );
      }
      if (match) {
        // Conditional on the account still waiting for its first change: a password changed meanwhile is never replaced.
        const res = await tx
          .updateTable('accounts')
          .set({
            password_hash: hash,
            initial_password_hash: hash,
            password_changed_at: iso(now),
            password_history: JSON.stringify([hash]),
          })
          .where('id', '=', match.id)
          .where('must_change_password', '=', 1)
          .where('password_delivery', '=', 'sms')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) {
          // A new password: whoever signed in with the replaced one (perhaps someone who read that SMS) is signed out.
          await endSessions(tx, match.id);
          await enqueue(tx, now, {
            channel: 'sms',
            to: match.phone_e164 ?? match.mobile,
            template: 'N-INITPWD',
            data: { password, loginId: match.login_id },
            locale: supportedLocaleOr(match.locale),
            accountId: match.id,
          });
          await audit(tx, now, accountActor(match.username), 'account.resend-initial-password', match.username, {
            via: 'self-service',
          });
        }
      }
      return count;
    });
    return {
      status: 'accepted',
      sentToday,
      dailyLimit: INITIAL_PASSWORD_RESENDS_PER_DAY,
      resendAfterSeconds: cooldown,
    };
  } catch (err) {
    if (err instanceof Refused) throw err.error;
    throw err;
  }
}
