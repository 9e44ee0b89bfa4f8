import type { Decision, SeedAccountInputs } from './types';

const NO_SESSION =
  'No signed-in TechPass session was given to the check, so this account check could not run. Sign in through the wizard to evaluate it.';

/** Typical SEED/Tanium maintenance hours when no feed is available (SGT). */
const USUAL_MAINTENANCE_SGT = { startHour: 18, endHour: 21 };

function sgtHour(now: Date): number {
  return (now.getUTCHours() + 8) % 24;
}

export function accountChecks(inputs: SeedAccountInputs | undefined, now: Date): Record<string, Decision> {
  return {
    'ACC-1': acc1(inputs),
    'ACC-2': acc2(inputs),
    'ACC-3': acc3(inputs, now),
    'ACC-4': acc4(inputs),
    'ACC-5': acc5(inputs),
    'ACC-6': acc6(inputs, now),
  };
}

function acc1(i: SeedAccountInputs | undefined): Decision {
  if (!i?.accountState) return { status: 'UNKNOWN', evidence: NO_SESSION };
  const s = i.accountState;
  if (s === 'ACTIVE' && i.onboardingComplete)
    return { status: 'PASS', evidence: 'Account ACTIVE with onboarding complete.' };
  if (s === 'ACTIVE')
    return {
      status: 'FAIL',
      evidence: 'Account ACTIVE, but onboarding is not complete.',
      remediation: 'Accept the Privacy Policy, Terms of Use and MDM AUP in the wizard.',
    };
  if (s === 'PENDING')
    return {
      status: 'FAIL',
      evidence: 'Account not activated yet (PENDING).',
      remediation: 'Sign in for the first time and set up MFA to activate the account.',
    };
  if (s === 'DISABLED')
    return {
      status: 'FAIL',
      evidence: 'Account DISABLED.',
      remediation: 'Raise a re-enable service request at https://go.gov.sg/seed-techpass-support.',
    };
  return {
    status: 'FAIL',
    evidence: `Account ${s}.`,
    remediation: 'A terminated account cannot be recovered: ask your PM/RO for a new provisioning request.',
  };
}

function acc2(i: SeedAccountInputs | undefined): Decision {
  if (!i?.seed) return { status: 'UNKNOWN', evidence: NO_SESSION };
  const s = i.seed.state;
  switch (s) {
    case 'PROVISIONED':
    case 'INVITE_EXPIRED':
    case 'DEVICE_ONBOARDING':
    case 'ONBOARDED':
      return { status: 'PASS', evidence: `SEED licence assigned (state ${s}).` };
    case 'NOT_REQUIRED':
      return {
        status: 'FAIL',
        evidence: 'No SEED licence (NOT_REQUIRED).',
        remediation: 'Request SEED in the TechPass Portal (My Account → "Request for SEED") or ask your PM/RO.',
      };
    case 'DEPROVISIONED':
      return {
        status: 'FAIL',
        evidence: 'SEED was declined ("I don\'t need SEED").',
        remediation: 'Request SEED again in the TechPass Portal (My Account → "Request for SEED").',
      };
    case 'INELIGIBLE':
      return {
        status: 'FAIL',
        evidence: 'This account is not eligible for SEED.',
        remediation:
          'Your identity provider or domain does not use SEED. If you need SEED, ask your PM/RO or raise a service request.',
      };
    case 'LICENCE_REVOKED':
      return {
        status: 'FAIL',
        evidence: 'SEED licence revoked because the account was disabled.',
        remediation: 'Raise a re-enable service request; the licence returns when the account is re-enabled.',
      };
    default:
      return { status: 'UNKNOWN', evidence: `Unrecognised SEED state ${s}.` };
  }
}

function acc3(i: SeedAccountInputs | undefined, now: Date): Decision {
  if (!i?.seed) return { status: 'UNKNOWN', evidence: NO_SESSION };
  const s = i.seed.state;
  if (s === 'INVITE_EXPIRED') return { status: 'FAIL', evidence: 'The SEED onboarding email has expired (30 days).' };
  if (s !== 'PROVISIONED') return { status: 'N/A', evidence: `No pending SEED onboarding email (state ${s}).` };
  if (!i.seed.emailExpiresAt)
    return { status: 'UNKNOWN', evidence: 'SEED is provisioned but the email expiry date is not known.' };
  const expires = Date.parse(i.seed.emailExpiresAt);
  if (Number.isNaN(expires)) return { status: 'UNKNOWN', evidence: `Unreadable expiry date ${i.seed.emailExpiresAt}.` };
  if (expires <= now.getTime())
    return { status: 'FAIL', evidence: `The SEED onboarding email expired at ${i.seed.emailExpiresAt}.` };
  const days = Math.floor((expires - now.getTime()) / 86_400_000);
  if (days < 3)
    return {
      status: 'WARN',
      evidence: `The SEED onboarding email expires at ${i.seed.emailExpiresAt} (less than 3 days left): onboard now.`,
    };
  return {
    status: 'PASS',
    evidence: `The SEED onboarding email is valid until ${i.seed.emailExpiresAt} (${days} days left).`,
  };
}

function acc4(i: SeedAccountInputs | undefined): Decision {
  if (!i?.loginId) return { status: 'UNKNOWN', evidence: NO_SESSION };
  const id = i.loginId.trim().toLowerCase();
  if (id.endsWith('@techpass.gov.sg'))
    return {
      status: 'PASS',
      evidence: `${i.loginId}: vendor route (enrol with the TechPass ID; no Intune Device ID registration).`,
    };
  if (/@([a-z0-9-]+\.)*gov\.sg$/.test(id))
    return {
      status: 'PASS',
      evidence: `${i.loginId}: public officer route (enrol with the WOG account, then register the Intune Device ID).`,
    };
  return {
    status: 'WARN',
    evidence: `${i.loginId} is neither a @techpass.gov.sg ID nor a government email; the onboarding route is unclear.`,
  };
}

function acc5(i: SeedAccountInputs | undefined): Decision {
  if (!i?.seed) return { status: 'UNKNOWN', evidence: NO_SESSION };
  const devices = i.seed.devices ?? [];
  if (devices.length > 0) {
    const list = devices.map((d) => `${d.name ?? 'device'}${d.state ? ` (${d.state})` : ''}`).join(', ');
    return { status: 'FAIL', evidence: `Already registered: ${list}. Each user may onboard only one device.` };
  }
  if (i.seed.state === 'DEVICE_ONBOARDING' || i.seed.state === 'ONBOARDED') {
    return { status: 'FAIL', evidence: `SEED state ${i.seed.state}: another device is onboarding or onboarded.` };
  }
  if (!i.seed.devices) return { status: 'UNKNOWN', evidence: 'The device list was not provided.' };
  return { status: 'PASS', evidence: 'No SEED device registered yet.' };
}

function acc6(i: SeedAccountInputs | undefined, now: Date): Decision {
  const hour = sgtHour(now);
  const usual = hour >= USUAL_MAINTENANCE_SGT.startHour && hour < USUAL_MAINTENANCE_SGT.endHour;
  if (!i?.maintenance) {
    return {
      status: 'INFO',
      evidence: `No maintenance feed available. SEED/Tanium maintenance is usually 18:00–21:00 SGT${usual ? '; it is within those hours now, so consider starting later' : ''}.`,
    };
  }
  const t = now.getTime();
  const current = i.maintenance.find((w) => Date.parse(w.start) <= t && t < Date.parse(w.end));
  if (current)
    return {
      status: 'WARN',
      evidence: `Inside a maintenance window ${current.start} – ${current.end}${current.description ? `: ${current.description}` : ''}.`,
    };
  const next = i.maintenance
    .filter((w) => Date.parse(w.start) > t)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0];
  if (next && Date.parse(next.start) - t < 2 * 3_600_000) {
    return { status: 'INFO', evidence: `A maintenance window starts soon: ${next.start} – ${next.end}.` };
  }
  return { status: 'PASS', evidence: 'No maintenance window now.' };
}
