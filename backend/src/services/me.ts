import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { generateSecret } from 'otplib';
import { DEFAULT_LOCALE, supportedLocaleOr, type Locale } from '../../../shared/domain/locale';
import { checkPassword, describeFailures } from '../../../shared/domain/password-policy';
import { fieldProblem } from '../../../shared/domain/field-problems';
import type { Ctx } from '../context';
import type { DB } from '../db/schema';
import { isSealed } from '../security/data-keys';
import { iso } from '../context';
import { ApiError } from '../http/errors';
import { activateBy, passwordExpiresAt, recordOnboardingProgress, refreshOnboarding, requiredActions, seedView, type Account } from './accounts';
import { accountActor, audit, auditMany } from './audit';
import { recordCodeVerified } from '../observability/metrics';
import { judgeAccountPassword } from './auth';
import { consumeSmsCode, endSessions, notifyPasswordChanged, sendSmsCode } from './codes';
import { mobileProblem } from './registration';
import { termsDoc, TERMS_DOCUMENTS } from './terms';
import { openTotpSecret, sealTotpSecret, totpStep } from './totp';
import { seedProvisioned } from './accounts';

const HISTORY = 5;

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

async function actionResult(ctx: Ctx, accountId: string) {
  const { account, actions } = await refreshOnboarding(ctx, accountId);
  return { requiredActions: actions, onboardingComplete: actions.length === 0 && account.state === 'ACTIVE', state: account.state };
}

// ---------- authenticator (TOTP) ----------

const otpauthUri = (a: Account, secret: string) => `otpauth://totp/TechPass:${a.login_id}?secret=${secret}&issuer=TechPass`;

export async function startAuthenticator(ctx: Ctx, a: Account) {
  if (a.mfa_registered) throw new ApiError({ status: 409, code: 'CONFLICT', message: 'An authenticator is already registered. To use a new phone, ask support to reset your MFA.' });
  // Asking again (the app restarted, the QR code was lost) shows the same pending key: a user who already added it to
  // their authenticator app keeps a working entry. A reset-mfa clears it. The key is stored sealed; of concurrent
  // first requests one stores its key and the others show that one.
  if (!a.totp_pending_secret) {
    const secret = generateSecret();
    const res = await ctx.db
      .updateTable('accounts')
      .set({ totp_pending_secret: sealTotpSecret(ctx, a.id, secret) })
      .where('id', '=', a.id)
      .where('totp_pending_secret', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) return { secret, otpauthUri: otpauthUri(a, secret) };
  }
  const row = await ctx.db.selectFrom('accounts').select('totp_pending_secret').where('id', '=', a.id).executeTakeFirstOrThrow();
  if (!row.totp_pending_secret) throw new ApiError({ status: 409, code: 'CONFLICT', message: 'The authenticator set-up was reset meanwhile. Start it again.' });
  const secret = openTotpSecret(ctx, a.id, row.totp_pending_secret);
  return { secret, otpauthUri: otpauthUri(a, secret) };
}

export async function verifyAuthenticator(ctx: Ctx, a: Account, code: string) {
  if (a.mfa_registered) throw new ApiError({ status: 409, code: 'CONFLICT', message: 'An authenticator is already registered.' });
  const pending = a.totp_pending_secret;
  if (!pending) throw new ApiError({ status: 409, code: 'CONFLICT', message: 'Start the authenticator set-up first (scan a new QR code).' });
  const step = totpStep(ctx, openTotpSecret(ctx, a.id, pending), code);
  if (step === undefined) {
    recordCodeVerified('totp', false);
    throw new ApiError({ status: 400, code: 'CODE_INVALID', message: 'The code is wrong. Enter the current 6-digit code shown in the authenticator app for TechPass; check your phone’s clock.' });
  }
  const now = iso(ctx.clock.now());
  const activate = a.state === 'PENDING';
  // One conditional update enrols the key and consumes the step: a step is accepted once, and a concurrent
  // enrolment or MFA reset in between makes this one refuse instead of overwrite.
  const res = await ctx.db
    .updateTable('accounts')
    .set({
      totp_secret: isSealed(pending) ? pending : sealTotpSecret(ctx, a.id, pending),
      totp_pending_secret: null,
      totp_last_step: step,
      mfa_registered: 1,
      mfa_failed_count: 0,
      ...(activate ? { state: 'ACTIVE', activated_at: now, status_modified_at: now, last_reminder_key: null } : {}),
      last_sign_in_at: now,
      mfa_registered_at: sql<string>`coalesce(mfa_registered_at, ${now})`,
    })
    .where('id', '=', a.id)
    .where('mfa_registered', '=', 0)
    .where('totp_pending_secret', '=', pending)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    const fresh = await ctx.db.selectFrom('accounts').select(['mfa_registered', 'totp_pending_secret']).where('id', '=', a.id).executeTakeFirstOrThrow();
    if (fresh.mfa_registered) throw new ApiError({ status: 409, code: 'CONFLICT', message: 'An authenticator is already registered.' });
    if (fresh.totp_pending_secret !== pending) throw new ApiError({ status: 409, code: 'CONFLICT', message: 'The authenticator set-up was restarted. Scan the new QR code.' });
    throw new ApiError({ status: 400, code: 'CODE_REUSED', message: 'This code was already used. Wait for the next code in your authenticator app.' });
  }
  recordCodeVerified('totp', true);
  await auditMany(ctx.db, ctx.clock.now(), [
    { actor: accountActor(a.username), action: 'mfa.register', subject: a.username },
    ...(activate ? [{ actor: accountActor(a.username), action: 'account.activate' as const, subject: a.username }] : []),
  ]);
  return actionResult(ctx, a.id);
}

// ---------- phone ----------

export async function sendPhoneCode(ctx: Ctx, a: Account, mobile: string) {
  const problem = mobileProblem(ctx, mobile, a.business_operation);
  if (problem) {
    throw new ApiError({ status: 400, code: 'VALIDATION_FAILED', message: 'The mobile number is not valid. Enter it with its country code, for example +65 9123 4567.', fields: { mobile: problem } });
  }
  const sent = await sendSmsCode(ctx, a.id, 'phone', mobile, 'N-PHONE-CODE', supportedLocaleOr(a.locale));
  // Only a quiet send (a password reset's) answers undefined instead of throwing its refusal.
  if (!sent) throw new Error('sendSmsCode answered undefined for a send that is not quiet');
  // The number is the holder's own and not a secret; it is what support asks about when a code never arrives.
  await audit(ctx.db, ctx.clock.now(), accountActor(a.username), 'phone.code-sent', a.username, { to: mobile });
  return { status: 'sent' as const, resendAfterSeconds: sent.resendAfterSeconds, expiresAt: sent.expiresAt };
}

export async function verifyPhoneCode(ctx: Ctx, a: Account, code: string) {
  await consumeSmsCode(ctx, a.id, 'phone', code, {
    apply: async (tx, phone, now) => {
      await tx
        .updateTable('accounts')
        .set({ phone_verified: 1, phone_e164: phone, phone_verified_at: sql<string>`coalesce(phone_verified_at, ${iso(now)})` })
        .where('id', '=', a.id)
        .execute();
      await audit(tx, now, accountActor(a.username), 'phone.verify', a.username, { phone });
    },
  }).catch(async (err: unknown) => {
    // A wrong, expired or reused code is a security event too: guessing shows in the trail, not only in the metrics.
    if (err instanceof ApiError) {
      await audit(ctx.db, ctx.clock.now(), accountActor(a.username), 'phone.verify-failure', a.username, { code: err.code }, 'failure');
    }
    throw err;
  });
  return actionResult(ctx, a.id);
}

// ---------- password ----------

export interface NewPassword {
  hash: string;
  history: string;
}

/** Policy (§4.4) + not the initial/current/recent passwords; returns the new hash. Writes nothing. */
export async function prepareNewPassword(ctx: Ctx, a: Account, newPassword: string): Promise<NewPassword> {
  const check = checkPassword(newPassword, { username: a.username, names: [a.first_name, a.last_name] });
  if (!check.ok) {
    const text = describeFailures(check.failed).join(' ');
    throw new ApiError({ status: 400, code: 'PASSWORD_POLICY', message: `The new password does not meet the policy: ${text}`, fields: { newPassword: fieldProblem('password.policy', { rules: check.failed.join(',') }) }, details: { rules: check.failed } });
  }
  const history = JSON.parse(a.password_history) as string[];
  const previous = [a.password_hash, ...(a.initial_password_hash ? [a.initial_password_hash] : []), ...history];
  for (const h of new Set(previous)) {
    if (await ctx.hasher.verify(h, newPassword)) {
      throw new ApiError({ status: 400, code: 'PASSWORD_REUSED', message: 'Choose a password you have not used before (not the initial or a recent one).', fields: { newPassword: fieldProblem('password.reused') }, details: { rules: ['not-previous'] } });
    }
  }
  const hash = await ctx.hasher.hash(newPassword);
  return { hash, history: JSON.stringify([hash, ...history].slice(0, HISTORY)) };
}

/**
 * Stores a prepared password and clears both locks (wrong passwords and wrong authenticator codes: a password
 * reset is the unlock path for both). `expectedHash`: only if the password is still the one the change was judged
 * against (compare-and-set). Returns whether it was written.
 */
export async function writeNewPassword(db: Kysely<DB>, now: Date, accountId: string, p: NewPassword, expectedHash?: string): Promise<boolean> {
  let q = db
    .updateTable('accounts')
    .set({
      password_hash: p.hash,
      password_history: p.history,
      password_changed_at: iso(now),
      password_first_changed_at: sql<string>`coalesce(password_first_changed_at, ${iso(now)})`,
      must_change_password: 0,
      locked: 0,
      failed_login_count: 0,
      mfa_failed_count: 0,
      pwd_expiry_notice_for: null,
    })
    .where('id', '=', accountId);
  if (expectedHash !== undefined) q = q.where('password_hash', '=', expectedHash);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Self-service change: every other session and MFA sign-in of the account ends (this one stays) and the holder is
 * told by email. Of two concurrent changes judged against the same current password only the first is written.
 */
export async function changePassword(ctx: Ctx, a: Account, current: string, next: string, currentSessionHash: string) {
  // Counted like a sign-in guess: a session is no way around the lock.
  if (!(await judgeAccountPassword(ctx, a, current))) {
    throw new ApiError({ status: 400, code: 'INVALID_CREDENTIALS', message: 'The current password is wrong. Enter the password you signed in with.', fields: { currentPassword: fieldProblem('password.current_wrong') } });
  }
  const prepared = await prepareNewPassword(ctx, a, next);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await writeNewPassword(tx, now, a.id, prepared, a.password_hash))) {
      throw new ApiError({ status: 409, code: 'CONFLICT', message: 'Your password was changed by another request just now. Sign in again with the new password, or reset it if that was not you.' });
    }
    await endSessions(tx, a.id, currentSessionHash);
    await notifyPasswordChanged(tx, now, a, 'change');
    await audit(tx, now, accountActor(a.username), 'password.change', a.username, {});
  });
  return actionResult(ctx, a.id);
}

/**
 * Serialises the transactions of one account on PostgreSQL (a row lock held to commit), so a check and the write it
 * allows cannot interleave with another request's; SQLite runs one write transaction at a time already.
 */
async function lockAccountRow(ctx: Ctx, tx: Kysely<DB>, accountId: string): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`select id from accounts where id = ${accountId} for update`.execute(tx);
}

// ---------- terms ----------

export function termsList(a?: Account) {
  return TERMS_DOCUMENTS.map((d) => ({ ...d, required: d.id !== 'mdm-aup' || (a ? seedProvisioned(a) : false) }));
}

/** `language`: the language the text was shown in, as the host reports it (English when it does not say). */
export async function acceptTerm(ctx: Ctx, a: Account, id: string, version: string, client: Record<string, string | undefined>, language: Locale | undefined) {
  const doc = termsDoc(id);
  if (!doc) throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'There is no such terms document.' });
  if (doc.version !== version) {
    throw new ApiError({ status: 409, code: 'CONFLICT', message: `A newer version (${doc.version}) of “${doc.title}” exists. Reload the terms and accept the current version.` });
  }
  const now = iso(ctx.clock.now());
  // Recorded once however many acceptances arrive at once: the check and the insert run in one transaction that
  // first locks the account row on PostgreSQL (SQLite runs one write transaction at a time).
  await ctx.db.transaction().execute(async (tx) => {
    await lockAccountRow(ctx, tx, a.id);
    const already = await tx.selectFrom('terms_acceptances').select('id').where('account_id', '=', a.id).where('doc', '=', id).where('version', '=', version).executeTakeFirst();
    if (!already) {
      await tx.insertInto('terms_acceptances').values({ id: randomUUID(), account_id: a.id, doc: id, version, language: language ?? DEFAULT_LOCALE, accepted_at: now, client: JSON.stringify(client) }).execute();
      await audit(tx, ctx.clock.now(), accountActor(a.username), 'terms.accept', a.username, { doc: id, version, language: language ?? DEFAULT_LOCALE, client });
    }
  });
  return actionResult(ctx, a.id);
}

// ---------- SEED ----------

export async function getMeSeed(ctx: Ctx, a: Account) {
  const devices = await ctx.db.selectFrom('seed_devices').selectAll().where('account_id', '=', a.id).orderBy('triggered_at').execute();
  return {
    ...seedView(ctx, a),
    devices: devices.map((d) => ({ id: d.id, name: d.name, os: d.os, status: d.status, onboardedAt: d.onboarded_at })),
  };
}

/**
 * Records the device the user hands over to SEED onboarding (§2.4). The account must be ACTIVE (E-SEED-NOT-ACTIVE),
 * the SEED email valid, and there may be only one device onboarded or pending (A27: 409 SEED_ONE_DEVICE).
 */
export async function registerSeedDevice(ctx: Ctx, a: Account, name: string, os: string) {
  if (a.state !== 'ACTIVE') throw new ApiError({ status: 409, code: 'CONFLICT', message: 'Activate TechPass (set up the authenticator) before onboarding a device.' });
  const seed = seedView(ctx, a);
  if (seed.state === 'INVITE_EXPIRED') throw new ApiError({ status: 409, code: 'CONFLICT', message: 'Your SEED onboarding email has expired. Request a new one in the portal, through your PM/RO, or by service request.' });
  if (!['PROVISIONED', 'DEVICE_ONBOARDING', 'ONBOARDED'].includes(seed.state)) {
    throw new ApiError({ status: 409, code: 'CONFLICT', message: `SEED is ${seed.state} for your account: request SEED first (portal, PM/RO or service request).` });
  }
  const now = ctx.clock.now();
  const id = randomUUID();
  // One device per user under concurrency: the check and the insert share a transaction that locks the account row.
  await ctx.db.transaction().execute(async (tx) => {
    await lockAccountRow(ctx, tx, a.id);
    const existing = await tx.selectFrom('seed_devices').select(['id', 'status']).where('account_id', '=', a.id).where('status', 'in', ['pending', 'onboarded']).execute();
    if (existing.length) throw new ApiError({ status: 409, code: 'SEED_ONE_DEVICE', message: 'Only one device per user. Offboard the existing device first.' });
    await tx.insertInto('seed_devices').values({ id, account_id: a.id, name, os, status: 'pending', triggered_at: iso(now), onboarded_at: null }).execute();
    await tx
      .updateTable('accounts')
      .set({ seed_state: 'DEVICE_ONBOARDING', seed_device_at: sql<string>`coalesce(seed_device_at, ${iso(now)})` })
      .where('id', '=', a.id)
      .execute();
    await audit(tx, now, accountActor(a.username), 'seed.device-register', a.username, { deviceId: id, name, os });
  });
  return getMeSeed(ctx, { ...a, seed_state: 'DEVICE_ONBOARDING' });
}

/** Offboards (removes) a device record; SEED returns to PROVISIONED. */
export async function removeSeedDevice(ctx: Ctx, a: Account, id: string) {
  // In one transaction on the locked account row, like registerSeedDevice: the devices left and the SEED state are
  // read after a registration in progress committed, so a new device never ends beside a PROVISIONED state.
  const state = await ctx.db.transaction().execute(async (tx) => {
    await lockAccountRow(ctx, tx, a.id);
    const res = await tx.deleteFrom('seed_devices').where('id', '=', id).where('account_id', '=', a.id).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'There is no such device on your account.' });
    const left = await tx.selectFrom('seed_devices').select('id').where('account_id', '=', a.id).execute();
    const { seed_state: current } = await tx.selectFrom('accounts').select('seed_state').where('id', '=', a.id).executeTakeFirstOrThrow();
    const next = left.length === 0 && ['DEVICE_ONBOARDING', 'ONBOARDED'].includes(current) ? 'PROVISIONED' : current;
    if (next !== current) await tx.updateTable('accounts').set({ seed_state: next }).where('id', '=', a.id).execute();
    await audit(tx, ctx.clock.now(), accountActor(a.username), 'seed.device-remove', a.username, { deviceId: id, seedState: next });
    return next;
  });
  return getMeSeed(ctx, { ...a, seed_state: state });
}

export function seedStatus(ctx: Ctx) {
  const now = ctx.clock.now();
  let windows = ctx.config.maintenanceWindows;
  if (!windows) {
    // The usual SEED/Tanium window, 18:00–21:00 SGT (10:00–13:00 UTC), today and tomorrow (ACC-6).
    const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    windows = [0, 1].map((i) => ({
      startsAt: iso(new Date(day + i * 86_400_000 + 10 * 3_600_000)),
      endsAt: iso(new Date(day + i * 86_400_000 + 13 * 3_600_000)),
      description: 'Routine SEED/Tanium maintenance (18:00–21:00 SGT). Device onboarding may fail in this period.',
    }));
  }
  windows = windows.filter((w) => new Date(w.endsAt).getTime() > now.getTime());
  const active = windows.some((w) => new Date(w.startsAt).getTime() <= now.getTime() && now.getTime() < new Date(w.endsAt).getTime());
  return { maintenance: { active, windows }, serverTime: iso(now) };
}

