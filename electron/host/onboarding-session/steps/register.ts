/** Steps "welcome" → "register": open the invitation (pasted link or deep link), then submit the registration form. */
import type { JourneyState, RegistrationForm } from '../../../../shared/contract';
import { parseDeepLink, parseInvitationLink } from '../../deep-link';
import { HostError } from '../../host-error';
import { maskMobile, phoneCodeDeliveryView, validateMobile, type PhoneCodeDeliveryView } from '../../phone';
import { ProvisioningClient, type RegistrationBody } from '../../provisioning-client';
import type { SessionContext } from '../context';

export async function openInvitation(ctx: SessionContext, link: string): Promise<JourneyState> {
  const parsed = parseInvitationLink(link);
  if (!parsed) {
    throw HostError.of('INVALID_LINK', 'pasted text is not a registration link', {
      params: { reason: 'link_not_registration' },
      fields: { link: { code: 'registration_link.required' } },
    });
  }
  return applyInvitationToken(ctx, parsed.token);
}

/**
 * Whether opening `token` would replace a journey the user is in the middle of (an invitation opened, an account
 * registered or signed in, not yet finished): the host then asks before applying it. Reads only; changes nothing.
 */
export async function wouldReplaceJourney(ctx: SessionContext, token: string): Promise<boolean> {
  if (ctx.progress.finished) return false;
  if (!ctx.progress.invitation && !ctx.progress.registration && !ctx.progress.loginId) return false;
  return (await ctx.vault.get('registration-token')) !== token;
}

export async function openDeepLink(ctx: SessionContext, url: string): Promise<JourneyState> {
  const parsed = parseDeepLink(url);
  if (!parsed) {
    ctx.log.warn('deep link ignored: not a techpass-onboarding://register link', { length: url.length });
    throw HostError.of('INVALID_LINK', 'deep link is not a techpass-onboarding://register link', {
      params: { reason: 'link_not_registration' },
    });
  }
  return applyInvitationToken(ctx, parsed.token);
}

async function applyInvitationToken(ctx: SessionContext, token: string): Promise<JourneyState> {
  const info = await ctx.client.getRegistration(token);
  if (ctx.progress.registration || ctx.progress.loginId || ctx.progress.finished || ctx.progress.verified) {
    // A new, valid invitation after an earlier registration (Done included): a new journey (the old account is
    // untouched).
    await ctx.forgetSecrets();
    ctx.progress = ctx.freshProgress();
    ctx.log.info('new invitation opened after an earlier registration; starting a new journey');
  }
  await ctx.storeSecret('registration-token', token);
  const sameInvitation =
    ctx.progress.invitation?.expiresAt === info.expiresAt && ctx.progress.invitation.emailMasked === info.email;
  ctx.save({
    step: 'register',
    invitation: {
      emailMasked: info.email,
      businessOperation: info.businessOperation,
      odc: info.odc,
      ...(info.sponsoringAgency ? { sponsoringAgency: info.sponsoringAgency } : {}),
      ...(info.offshoreCompanyName ? { offshoreCompanyName: info.offshoreCompanyName } : {}),
      seedRequested: info.seedRequested,
      passwordDelivery: info.passwordDelivery,
      requiredFields: info.requiredFields,
      expiresAt: info.expiresAt,
    },
    businessOperation: info.businessOperation,
    passwordDelivery: info.passwordDelivery,
    finished: false,
    ...(sameInvitation ? {} : { registrationIdempotencyKey: undefined }),
  });
  ctx.log.info('invitation opened', {
    businessOperation: info.businessOperation,
    passwordDelivery: info.passwordDelivery,
  });
  return ctx.journey();
}

export async function submitRegistration(ctx: SessionContext, form: RegistrationForm): Promise<JourneyState> {
  const token = await ctx.vault.get('registration-token');
  if (!token || !ctx.progress.invitation) {
    throw HostError.of('INVALID_LINK', 'registration submitted without an opened invitation', {
      params: { reason: 'link_needed' },
    });
  }
  const mobile = validateMobile(form.mobile);
  if (!mobile.valid || !mobile.e164) {
    throw HostError.of('VALIDATION_FAILED', 'registration mobile refused by the shared rule', {
      fields: { mobile: mobile.problem ?? { code: 'mobile.invalid' } },
    });
  }
  const body: RegistrationBody = {
    username: form.username.trim(),
    firstName: form.firstName.trim(),
    lastName: form.lastName.trim(),
    mobile: mobile.e164,
    department: form.department.trim(),
  };
  if (form.password !== undefined && form.password !== '') body.password = form.password;
  if (form.offshoreReportingOfficer) {
    body.offshoreReportingOfficer = {
      name: form.offshoreReportingOfficer.name.trim(),
      email: form.offshoreReportingOfficer.email.trim(),
    };
  }
  if (form.offshoreCompanyAddress) body.offshoreCompanyAddress = form.offshoreCompanyAddress.trim();
  if (form.locale) body.locale = form.locale;

  // One key per logical submission, saved first: a retry after a dropped connection or a restart replays it.
  const key = ctx.progress.registrationIdempotencyKey ?? ProvisioningClient.newIdempotencyKey();
  ctx.save({ registrationIdempotencyKey: key });
  let result;
  try {
    result = await ctx.client.submitRegistration(token, body, key);
  } catch (err) {
    // A definite answer (4xx) means nothing was created: the corrected form gets a new key. Unknown outcomes keep it.
    if (
      err instanceof HostError &&
      !err.bridgeError.retryable &&
      !['OFFLINE', 'TIMEOUT', 'BACKEND_UNREACHABLE'].includes(err.code)
    ) {
      ctx.save({ registrationIdempotencyKey: undefined });
    }
    throw err;
  }
  await ctx.vault.delete('registration-token');
  // The initial-password SMS's reference stays in the host (account-created asks with it how the SMS is doing).
  const { initialPasswordDelivery, ...registered } = result;
  ctx.save({
    step: 'account-created',
    initialPasswordDelivery,
    registration: {
      ...registered,
      emailSentTo: ctx.progress.invitation.emailMasked,
      ...(result.passwordDelivery === 'sms' ? { smsSentTo: maskMobile(mobile.e164) } : {}),
    },
    registrationIdempotencyKey: undefined,
    registeredMobile: mobile.e164,
    username: result.username,
    loginId: result.loginId,
    passwordDelivery: result.passwordDelivery,
    activateBy: result.activateBy,
    seed: result.seed,
    accountState: 'PENDING',
    requiredActions: [],
    onboardingComplete: false,
  });
  ctx.log.info('registration submitted', { passwordDelivery: result.passwordDelivery, seedState: result.seed.state });
  return ctx.journey();
}

/** How the registration's initial-password SMS is doing (account-created polls it; `none` without one). */
export async function initialPasswordDelivery(ctx: SessionContext): Promise<PhoneCodeDeliveryView> {
  const ref = ctx.progress.initialPasswordDelivery;
  const mobile = ctx.progress.registeredMobile;
  if (!ref || !mobile) return { state: 'none', isChina: false, undelivered: false };
  const { state } = await ctx.client.getInitialPasswordDelivery(ref);
  return phoneCodeDeliveryView({ state, to: mobile, attempts: 0, lastAttemptAt: null });
}
