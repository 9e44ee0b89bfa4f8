/** English messages: the reference text every other catalogue translates. */
import { LOGIN_ID_DOMAIN } from '../../../../shared/domain/registration-rules';
import type { Catalogue } from './catalogue';
import { ACCOUNTS_FAQ_URL, registrationDeepLink, SEED_PERSONA_URL, SEED_PREREQUISITES_URL, SUPPORT_URL } from './links';

const SERVICE_REQUEST = `raise a service request at ${SUPPORT_URL}`;
const JUNK = 'If you cannot find an email from TechPass, check your junk, spam, deleted items and archive folders.';

export const en: Catalogue = {
  locale: 'en',
  intlLocale: 'en-SG',
  otherLanguagePointer: 'English: open the link below in the TechPass Onboarding app to continue in English.',
  templates: {
    'N-REG-LINK': (d, f) => ({
      subject: 'Complete your TechPass registration',
      body: [
        `You have been invited to TechPass${d.inviterEmail ? ` by ${d.inviterEmail}` : ''}.`,
        '',
        `Complete your registration by ${f.dateTime(d.expiresAt)}. The link works once.`,
        '',
        `If you have the TechPass Onboarding app, open this link to continue in the app:`,
        registrationDeepLink(d.token),
        '',
        'Or open this link in your browser:',
        d.registrationUrl,
        '',
        'If the link has expired, ask the person who invited you to send a new invitation.',
        'Do not forward this email: anyone with the link can register in your name.',
      ].join('\n'),
    }),
    'N-REG-RESULT': (d, f) =>
      d.outcome === 'registered'
        ? {
            subject: `TechPass invitation accepted: ${d.inviteeEmail}`,
            body: `The invitation you sent to ${d.inviteeEmail} was used to register on ${f.dateTime(d.at)}${d.username ? ` (TechPass ID ${d.username}@${LOGIN_ID_DOMAIN})` : ''}.\n\nNo action is needed. The user must activate the account within 30 days.`,
          }
        : {
            subject: `TechPass invitation expired: ${d.inviteeEmail}`,
            body: `The invitation you sent to ${d.inviteeEmail} expired on ${f.dateTime(d.at)} without being used.\n\nTo invite this person again, send a new invitation from the TechPass Portal.`,
          },
    'N-REG-UNDELIVERED': (d, f) => ({
      subject: `TechPass invitation not delivered: ${d.inviteeEmail}`,
      body: [
        d.reason === 'rejected'
          ? `The invitation email you sent to ${d.inviteeEmail} was refused by the recipient's mail server on ${f.dateTime(d.at)}.`
          : `The invitation email you sent to ${d.inviteeEmail} could not be delivered; TechPass stopped retrying on ${f.dateTime(d.at)}.`,
        '',
        'The person has not received a registration link. Check the email address (a typing mistake is the usual cause);',
        'if it is right, ask them whether their organisation blocks mail from TechPass, then send a new invitation from',
        `the TechPass Portal. If it fails again, ${SERVICE_REQUEST}.`,
      ].join('\n'),
    }),
    'N-ONBOARD': (d, f) => ({
      subject: 'Your TechPass account is ready',
      body: [
        'Your TechPass account has been created.',
        '',
        `Username: ${d.username}`,
        `TechPass ID: ${d.loginId}`,
        '',
        'Log in with this username (or TechPass ID), not with your email address. The TechPass ID has no mailbox;',
        'TechPass emails keep coming to this address.',
        '',
        `Sign in and set up the Authenticator app by ${f.dateTime(d.activateBy)}, or the account will be closed.`,
        '',
        JUNK,
      ].join('\n'),
    }),
    'N-INITPWD': (d, f) => {
      const rest = `${d.password}\nYou must change it at your first sign-in. Never share it.`;
      // The TechPass ID only when the SMS still fits one segment with it (the onboarding email names it too).
      return {
        body: f.oneSms(
          ...(d.loginId ? [`TechPass initial password for ${d.loginId}: ${rest}`] : []),
          `TechPass initial password: ${rest}`,
        ),
      };
    },
    'N-SEED-INVITE': (d, f) => {
      const vendor = d.loginId.toLowerCase().endsWith(`@${LOGIN_ID_DOMAIN}`);
      return {
        subject: 'Onboard your Internet Device to SEED',
        body: [
          `A SEED licence has been assigned to your TechPass account ${d.loginId}.`,
          '',
          `This email is valid until ${f.dateTime(d.expiresAt)}. After that, ask your PM/RO to resend it, use "Request for SEED" in the TechPass Portal, or ${SERVICE_REQUEST}.`,
          '',
          'Before you start: activate your TechPass account (sign in and set up the Authenticator app). You can onboard only one device.',
          `Your onboarding route: ${vendor ? 'vendor (TechPass ID ending in @techpass.gov.sg)' : 'public officer'}. Persona guide: ${SEED_PERSONA_URL}`,
          `Prerequisites: ${SEED_PREREQUISITES_URL}`,
          'Before onboarding, run the device check in the TechPass Onboarding app: it lists anything you must remove or update first.',
        ].join('\n'),
      };
    },
    'N-REMIND-TERM-PENDING': (d, f) => ({
      subject: 'Activate your TechPass account or it will be closed',
      body: `Your TechPass account ${d.loginId} has not been activated yet.\n\nSign in and set up the Authenticator app by ${f.dateTime(d.deadline)}, or the account will be closed and you will need a new invitation.\n\n${JUNK}`,
    }),
    'N-REMIND-DISABLE': (d, f) => ({
      subject: 'Sign in to TechPass or your account will be disabled',
      body: `You have not signed in to your TechPass account ${d.loginId} for over 60 days.\n\nSign in by ${f.dateTime(d.deadline)} to keep it. Otherwise it will be disabled and its SEED licence revoked; you would then need to ${SERVICE_REQUEST} to re-enable it.`,
    }),
    'N-REMIND-TERM': (d, f) => ({
      subject: 'Sign in to TechPass or your account will be closed',
      body: `You have not signed in to your TechPass account ${d.loginId} for a long time.\n\nSign in by ${f.dateTime(d.deadline)} (if the account is disabled, ${SERVICE_REQUEST} to re-enable it first). Otherwise it will be closed for good and cannot be recovered.`,
    }),
    'N-STATUS': (d, f) => {
      const next = {
        enabled: 'Sign in within 5 days, or automatic rules may disable it again.',
        disabled: `To use it again, ${SERVICE_REQUEST} to re-enable it, then sign in within 5 days.`,
        terminated: 'A closed account cannot be recovered. If you still need TechPass, ask for a new invitation.',
        deleted: 'The account and its data have been deleted. If you still need TechPass, ask for a new invitation.',
      }[d.status];
      const by =
        d.source === 'scheduled-job' ? ' automatically' : d.source === 'cam' ? ' by your organisation’s HR feed' : '';
      const reason =
        d.reason &&
        {
          'not-activated': 'not activated within 30 days',
          'inactive-disable': 'no sign-in for 90 days',
          'inactive-terminate': 'no sign-in for 180 days',
          administrator: `${d.status === 'enabled' ? 're-enabled' : d.status} by an administrator`,
        }[d.reason];
      return {
        subject: `TechPass account ${d.loginId} ${d.status}`,
        body: `The TechPass account ${d.loginId} was ${d.status}${by} on ${f.dateTime(d.at)}${reason ? ` (${reason})` : ''}.\n\n${next}\n\nAccounts FAQ: ${ACCOUNTS_FAQ_URL}`,
      };
    },
    'N-SEED-REVOKED': (d, f) => ({
      subject: 'Your SEED licence was revoked',
      body: `The SEED licence of ${d.loginId} was revoked${d.at ? ` on ${f.dateTime(d.at)}` : ''} because the account was disabled.\n\nIf the account is re-enabled (${SERVICE_REQUEST}), the licence is reinstated for a device that was onboarded.`,
    }),
    'N-PWD-EXPIRY': (d, f) => ({
      subject: 'Your TechPass password expires soon',
      body: `The password of ${d.loginId} expires on ${f.dateTime(d.expiresAt)}.\n\nChange it before then. If it has already expired, reset it with "Forgot password" using the code sent to your registered mobile.`,
    }),
    'N-PWD-RESET-CODE': (d) => ({
      body: `${d.code} is your TechPass password reset code. It expires in 10 minutes. Never share it. If you did not ask for it, ignore this SMS.`,
    }),
    'N-PHONE-CODE': (d) => ({
      body: `${d.code} is your TechPass verification code. It expires in 10 minutes. Never share it.`,
    }),
    'N-PWD-RESET-LINK': (d, f) => ({
      subject: 'Set a new TechPass password',
      body: [
        `TechPass support${d.ticket ? ` (ticket ${d.ticket})` : ''} sent you a one-time link to set a new password for ${d.loginId},`,
        'because the SMS code could not reach your mobile.',
        '',
        `The link works once and expires on ${f.dateTime(d.expiresAt)}:`,
        d.resetUrl,
        '',
        'If you did not ask TechPass support for this, do not use the link and contact support.',
      ].join('\n'),
    }),
    'N-DUP-REG': (d) => ({
      subject: 'Your email was used for a new TechPass registration request',
      body: `Someone asked for a new TechPass account with your email address, which already has the account ${d.loginId}. No second account was created.\n\nSign in with ${d.loginId}. If this was not you, contact TechPass support at ${SUPPORT_URL}.`,
    }),
    'N-PWD-CHANGED': (d, f) => ({
      subject: 'Your TechPass password was changed',
      body: [
        `The password of ${d.loginId} was ${{ change: 'changed', reset: 'reset with a code sent to your mobile', 'support-link': 'reset with a link from TechPass support', 'initial-password': 'replaced by a new initial password' }[d.via]} on ${f.dateTime(d.at)}.`,
        'Every other session of this account was signed out.',
        '',
        'If this was you, there is nothing else to do.',
        `Not you? Reset your password now with "Forgot password" in the TechPass Onboarding app, then contact TechPass support at ${SUPPORT_URL}.`,
      ].join('\n'),
    }),
  },
};
