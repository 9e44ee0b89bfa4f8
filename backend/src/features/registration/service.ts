import type { BusinessOperation, PasswordDelivery } from '../../../../shared/domain/states';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DEFAULT_LOCALE, type Locale } from '../../../../shared/domain/locale';
import { checkMobileNumber, mobileFieldProblem } from '../../../../shared/domain/phone';
import { fieldProblem, type FieldProblem } from '../../../../shared/domain/field-problems';
import { checkPassword, generateInitialPassword } from '../../../../shared/domain/password-policy';
import { describePasswordFailures } from '../../password-rule-english';
import {
  loginIdFor,
  maskEmail,
  requiredRegistrationFields,
  seedAtRegistration,
  SG_MOBILE_RE,
} from '../../../../shared/domain/registration-rules';
import { registrationBodyFor, type RegistrationBody } from '../../../../shared/domain/registration-schemas';
import type { Ctx } from '../../context';
import { addSec, iso } from '../../context';
import { randomInt, sha256 } from '../../crypto';
import { isUniqueViolation } from '../../db/connect';
import { ApiError, issueFields } from '../../http/errors';
import { INVITER_LOCALE } from '../../delivery/templates';
import { enqueue } from '../../outbox/outbox-store';
import { anonymousActor, audit } from '../../db/audit';
import { invitationStatus, type Invitation } from '../invitations/service';

function statusError(status: string): ApiError {
  switch (status) {
    case 'registered':
      return new ApiError({
        status: 409,
        code: 'INVITATION_USED',
        message: 'Registration with this link is already done. Sign in with your TechPass username.',
      });
    case 'expired':
      return new ApiError({
        status: 410,
        code: 'INVITATION_EXPIRED',
        message: 'This registration link has expired. Ask the person who invited you to send a new invitation.',
      });
    case 'superseded':
      return new ApiError({
        status: 410,
        code: 'INVITATION_SUPERSEDED',
        message: 'A newer invitation was sent to you. Use the link in the most recent invitation email.',
      });
    case 'revoked':
      return new ApiError({
        status: 410,
        code: 'INVITATION_REVOKED',
        message: 'This invitation was withdrawn. Ask the person who invited you for a new one.',
      });
    default:
      return new ApiError({
        status: 409,
        code: 'CONFLICT',
        message: 'This invitation cannot be used. Ask for a new one.',
      });
  }
}

async function byToken(ctx: Ctx, token: string): Promise<Invitation> {
  const inv = await ctx.db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!inv)
    throw new ApiError({
      status: 404,
      code: 'NOT_FOUND',
      message:
        'This registration link is not valid. Open the link from your most recent invitation email, or ask for a new invitation.',
    });
  return inv;
}

/** The first opening of a registration link (the funnel's second step): one conditional write, one audit record. */
async function recordLinkOpened(ctx: Ctx, invitationId: string, email: string): Promise<void> {
  const now = ctx.clock.now();
  const res = await ctx.db
    .updateTable('invitations')
    .set({ opened_at: iso(now) })
    .where('id', '=', invitationId)
    .where('opened_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 1)
    await audit(ctx.db, now, anonymousActor('invitee'), 'invitation.open', email, { id: invitationId });
}

/** GET reads the invitation without consuming it (mail scanners open links). */
export async function getRegistration(ctx: Ctx, token: string) {
  const inv = await byToken(ctx, token);
  const status = invitationStatus(ctx, inv);
  if (status !== 'sent') throw statusError(status);
  await recordLinkOpened(ctx, inv.id, inv.email);
  const facts = {
    businessOperation: inv.business_operation as BusinessOperation,
    odc: inv.odc,
    passwordDelivery: inv.password_delivery as PasswordDelivery,
  };
  return {
    email: maskEmail(inv.email),
    businessOperation: facts.businessOperation,
    odc: inv.odc,
    sponsoringAgency: inv.sponsoring_agency,
    offshoreCompanyName: inv.offshore_company_name,
    seedRequested: inv.seed_requested === 1,
    passwordDelivery: facts.passwordDelivery,
    requiredFields: requiredRegistrationFields(facts),
    expiresAt: inv.expires_at,
  };
}

/** A valid E.164 number (libphonenumber-js); in production also a mobile, SG numbers SG mobiles, onshore users +65. */
export function mobileProblem(ctx: Ctx, mobile: string, businessOperation: string): FieldProblem | undefined {
  // The wizard and the host run this same shared rule, so what they accept is accepted here.
  const check = checkMobileNumber(mobile);
  if (!check.valid) return mobileFieldProblem(check);
  const parsed = parsePhoneNumberFromString(mobile);
  if (!parsed) return fieldProblem('mobile.invalid');
  if (ctx.config.mode === 'production') {
    // Only in production (domain.md A10: non-prod skips the SG format rule, so test numbers stay easy to pick).
    const type = parsed.getType();
    if (type && !['MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(type)) return fieldProblem('mobile.not_a_mobile');
    if (mobile.startsWith('+65') && !SG_MOBILE_RE.test(mobile)) return fieldProblem('mobile.singapore_format');
    if (businessOperation === 'onshore' && !mobile.startsWith('+65')) return fieldProblem('mobile.singapore_required');
  }
  return undefined;
}

/** `locale`: the language the user chose in the wizard; the account keeps it for every later email and SMS. */
export async function submitRegistration(ctx: Ctx, token: string, request: RegistrationBody & { locale?: Locale }) {
  const { locale = DEFAULT_LOCALE, ...raw } = request;
  const inv = await byToken(ctx, token);
  const status = invitationStatus(ctx, inv);
  if (status !== 'sent') throw statusError(status);
  const delivery = inv.password_delivery as PasswordDelivery;
  const parsed = registrationBodyFor({
    businessOperation: inv.business_operation as BusinessOperation,
    odc: inv.odc,
    passwordDelivery: delivery,
  }).safeParse(raw);
  const fields: Record<string, FieldProblem> = parsed.success ? {} : issueFields(parsed.error.issues);
  const body = parsed.success ? parsed.data : raw;
  const mp = mobileProblem(ctx, body.mobile, inv.business_operation);
  if (mp) fields.mobile = mp;
  if (Object.keys(fields).length)
    throw new ApiError({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Some fields are missing or not valid. Correct them and try again.',
      fields,
    });
  const username = body.username.toLowerCase();
  const names = [body.firstName, body.lastName];
  let password: string;
  if (delivery === 'self_set') {
    password = body.password as string;
    const check = checkPassword(password, { username, names });
    if (!check.ok) {
      throw new ApiError({
        status: 400,
        code: 'PASSWORD_POLICY',
        message: `The password does not meet the policy: ${describePasswordFailures(check.failed)}`,
        fields: { password: fieldProblem('password.policy', { rules: check.failed.join(',') }) },
        details: { rules: check.failed },
      });
    }
  } else {
    password = generateInitialPassword((max) => randomInt(0, max), undefined, { username, names });
  }
  if (await ctx.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirst()) {
    throw new ApiError({
      status: 409,
      code: 'USERNAME_TAKEN',
      message: 'This username is taken. Choose another one (for example add a number).',
      fields: { username: fieldProblem('username.taken') },
    });
  }
  const hash = await ctx.hasher.hash(password);
  const now = ctx.clock.now();
  const nowIso = iso(now);
  const loginId = loginIdFor(username);
  const seed = seedAtRegistration({
    seedRequested: inv.seed_requested === 1,
    businessOperation: inv.business_operation as BusinessOperation,
  });
  const accountId = randomUUID();
  const activateBy = iso(addSec(now, ctx.deadlines.activationWindow));
  let initialPasswordDelivery: string | undefined;
  try {
    await ctx.db.transaction().execute(async (tx) => {
      // Compare-and-set: of many concurrent submissions of one token exactly one moves it out of SENT.
      const res = await tx
        .updateTable('invitations')
        .set({ status: 'registered', account_id: accountId, opened_at: sql<string>`coalesce(opened_at, ${nowIso})` })
        .where('id', '=', inv.id)
        .where('status', '=', 'sent')
        .where('expires_at', '>', nowIso)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new InvitationRace();
      await tx
        .insertInto('accounts')
        .values({
          id: accountId,
          username,
          login_id: loginId,
          email: inv.email,
          first_name: body.firstName,
          last_name: body.lastName,
          mobile: body.mobile,
          department: body.department,
          account_type: 'vendor',
          business_operation: inv.business_operation,
          odc: inv.odc,
          offshore_ro_name: body.offshoreReportingOfficer?.name ?? null,
          offshore_ro_email: body.offshoreReportingOfficer?.email ?? null,
          offshore_company_address: body.offshoreCompanyAddress ?? null,
          password_delivery: delivery,
          locale,
          state: 'PENDING',
          must_change_password: delivery === 'sms' ? 1 : 0,
          created_at: nowIso,
          status_modified_at: nowIso,
          password_hash: hash,
          initial_password_hash: delivery === 'sms' ? hash : null,
          password_changed_at: nowIso,
          password_history: JSON.stringify([hash]),
          inviter_email: inv.inviter_email,
          seed_state: seed ? 'PROVISIONED' : 'NOT_REQUIRED',
          seed_invite_sent_at: seed ? nowIso : null,
          locked: 0,
          risk_high: 0,
          under_investigation: 0,
          onboarding_complete: 0,
          mfa_registered: 0,
          phone_verified: 0,
          phone_e164: null,
          activated_at: null,
          last_sign_in_at: null,
          terminated_at: null,
          failed_login_count: 0,
          totp_secret: null,
          totp_pending_secret: null,
          totp_last_step: null,
          seed_revoked_at: null,
          last_reminder_key: null,
          last_reminder_at: null,
          pwd_expiry_notice_for: null,
        })
        .execute();
      await enqueue(tx, now, {
        channel: 'email',
        to: inv.email,
        template: 'N-ONBOARD',
        data: { username, loginId, activateBy },
        locale,
        accountId,
        invitationId: inv.id,
      });
      if (delivery === 'sms') {
        initialPasswordDelivery = await enqueue(tx, now, {
          channel: 'sms',
          to: body.mobile,
          template: 'N-INITPWD',
          data: { password, loginId },
          locale,
          accountId,
        });
      }
      if (seed) {
        await enqueue(tx, now, {
          channel: 'email',
          to: inv.email,
          template: 'N-SEED-INVITE',
          data: { loginId, expiresAt: iso(addSec(now, ctx.deadlines.seedEmailValidity)) },
          locale,
          accountId,
        });
      }
      await enqueue(tx, now, {
        channel: 'email',
        to: inv.inviter_email,
        template: 'N-REG-RESULT',
        data: { outcome: 'registered', inviteeEmail: inv.email, at: nowIso },
        locale: INVITER_LOCALE,
        invitationId: inv.id,
      });
      await tx.updateTable('invitations').set({ result_notified: 1 }).where('id', '=', inv.id).execute();
      await audit(tx, now, anonymousActor('invitee'), 'account.register', username, { invitationId: inv.id });
    });
  } catch (err) {
    if (err instanceof InvitationRace) {
      const again = await byToken(ctx, token);
      throw statusError(invitationStatus(ctx, again) === 'sent' ? 'expired' : invitationStatus(ctx, again));
    }
    if (isUniqueViolation(err)) {
      const again = await byToken(ctx, token);
      if (again.status !== 'sent') throw statusError(again.status);
      // One live account per email is the unique index accounts_one_live_per_email: a second registration for an
      // address that already has an account is refused (the holder's onboarding email names the username).
      if (violates(err, 'accounts_one_live_per_email')) {
        throw new ApiError({
          status: 409,
          code: 'CONFLICT',
          message:
            'This email already has a TechPass account. Sign in with the TechPass username from your onboarding email, or use "Forgot password".',
        });
      }
      throw new ApiError({
        status: 409,
        code: 'USERNAME_TAKEN',
        message: 'This username is taken. Choose another one (for example add a number).',
        fields: { username: fieldProblem('username.taken') },
      });
    }
    throw err;
  }
  return {
    username,
    loginId,
    passwordDelivery: delivery,
    activateBy,
    seed: seed
      ? { state: 'PROVISIONED', emailExpiresAt: iso(addSec(now, ctx.deadlines.seedEmailValidity)) }
      : { state: 'NOT_REQUIRED' },
    ...(initialPasswordDelivery ? { initialPasswordDelivery } : {}),
  };
}

class InvitationRace extends Error {}

/** Whether a unique violation is the named index's (PostgreSQL names the constraint; SQLite puts it in the message). */
function violates(err: unknown, index: string): boolean {
  const e = err as { constraint?: string; message?: string };
  return e?.constraint === index || (e?.message ?? '').includes(index);
}
