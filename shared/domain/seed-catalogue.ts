/**
 * domain.md §6.3 and §6.5: the SEED prerequisite checks as data. The desktop host's probes decide a status per
 * check; the texts here say what the check is and what to do when it does not pass. No code decides anything here.
 */

export type SeedPlatform = 'windows' | 'macos' | 'linux';

export interface SeedCatalogueEntry {
  id: string;
  kind: 'account' | 'device';
  title: string;
  /** The severity rule as the docs state it (what makes it FAIL / WARN / INFO). */
  severity: string;
  /** Platforms on which the device probe applies; account checks apply everywhere. */
  platforms: readonly SeedPlatform[];
  /** What to do when the check does not pass. Probes may append case-specific steps. */
  remediation: string;
  /** For checks that can WARN: exactly what clears the warning (a warning that says nothing about that never goes away). */
  clearWarning?: string;
  /** Platform-specific steps (e.g. documented removal commands), appended to `remediation` for that platform. */
  platformRemediation?: Partial<Record<SeedPlatform, string>>;
  docUrl: string;
}

const SEED_DOCS = 'https://docs.developer.tech.gov.sg/docs/security-suite-for-engineering-endpoint-devices/';
const SEED_PREREQS = `${SEED_DOCS}#/prerequisites-for-onboarding`;
const SEED_FAQ = `${SEED_DOCS}faqs/seed-faq-general`;
export const SEED_SUPPORT_URL = 'https://go.gov.sg/seed-techpass-support';

const ALL: readonly SeedPlatform[] = ['windows', 'macos', 'linux'];

/** SEED-12: what an existing Defender for Endpoint org id means and what to do about it. */
export interface DefenderOrg {
  orgId: string;
  name: string;
  action: string;
}

export const DEFENDER_ORGS: readonly DefenderOrg[] = [
  {
    orgId: 'faa36a5e-2da6-4225-8e27-226177c801a0',
    name: 'WOG',
    action:
      'This device was probably onboarded to SEED under another TechPass profile. Sign in to TechPass, download that organisation’s Defender offboarding package and run it. Then submit the Intune Device ID on the form that opens and verify it with the OTP sent to your organisation email.',
  },
  {
    orgId: '49237d71-42ac-425a-a803-881b92cc18ce',
    name: 'TechPass',
    action:
      'This device was probably onboarded to SEED under another TechPass profile. Sign in to TechPass, download that organisation’s Defender offboarding package and run it. Then submit the Intune Device ID on the form that opens and verify it with the OTP sent to your organisation email.',
  },
  {
    orgId: '6389e966-e334-461d-86ce-0fed12484620',
    name: 'Hive',
    action: 'Get the Defender offboarding package from Hive support (GDS_DEN@hive.gov.sg), run it, then check again.',
  },
];

/** SEED-12's table of known Defender org ids and what to do for each, as the remediation lists it. */
export function defenderOrgList(): string {
  return (
    'By org id:\n' +
    DEFENDER_ORGS.map((o) => `• ${o.orgId} (${o.name}): ${o.action}`).join('\n') +
    `\n• Any other org id: ${DEFENDER_OTHER_ORG_ACTION}`
  );
}

export const DEFENDER_OTHER_ORG_ACTION =
  'The device is onboarded to Microsoft Defender for Endpoint by another organisation. Contact the IT team of whoever supplied the device to offboard it, then check again.';

export const SEED_CATALOGUE: readonly SeedCatalogueEntry[] = [
  {
    id: 'ACC-1',
    kind: 'account',
    title: 'TechPass account activated and terms accepted',
    severity: 'FAIL unless the account is ACTIVE with onboarding complete (terms and MDM AUP accepted).',
    platforms: ALL,
    remediation:
      'Finish TechPass onboarding first: sign in, set up MFA and accept the Privacy Policy, Terms of Use and MDM AUP. A disabled account needs a re-enable service request; a terminated account needs a new provisioning request.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'ACC-2',
    kind: 'account',
    title: 'SEED licence assigned',
    severity: 'FAIL unless a SEED licence is assigned (state PROVISIONED).',
    platforms: ALL,
    remediation:
      'Request SEED in the TechPass Portal (My Account → "Request for SEED"), or ask the PM/RO who invited you. SE GSIB users raise a service request.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'ACC-3',
    kind: 'account',
    title: 'SEED onboarding email still valid (30 days)',
    severity: 'FAIL when the SEED onboarding email is 30 days old or more.',
    platforms: ALL,
    remediation:
      'Get a new SEED onboarding email: use "Request for SEED" in the TechPass Portal again, or ask the PM/RO who invited you to resend it, or raise a service request. The new email is valid for 30 days.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'ACC-4',
    kind: 'account',
    title: 'Onboarding persona known (vendor or public officer)',
    severity: 'WARN when the login ID is neither a @techpass.gov.sg ID nor a government (WOG) ID.',
    platforms: ALL,
    remediation:
      'Vendors use their username@techpass.gov.sg ID; public officers use their WOG email and must register the Intune Device ID after enrolment. If unsure, contact the TechPass-SEED service desk.',
    clearWarning:
      'Sign in with your username@techpass.gov.sg ID (vendors) or your WOG email (public officers), then check again.',
    docUrl: SEED_DOCS,
  },
  {
    id: 'ACC-5',
    kind: 'account',
    title: 'Only one SEED device per user',
    severity: 'FAIL when another device is onboarding or onboarded.',
    platforms: ALL,
    remediation:
      'Each user may onboard only one device. Offboard the existing device first (raise a service request), or continue on that device.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'ACC-6',
    kind: 'account',
    title: 'Not inside a SEED maintenance window',
    severity: 'WARN inside an announced SEED/Tanium maintenance window (usually 18:00–21:00 SGT); INFO otherwise.',
    platforms: ALL,
    remediation: 'Start onboarding outside the maintenance window; onboarding started during maintenance may fail.',
    clearWarning: 'Wait until the maintenance window has ended, then check again.',
    docUrl: SEED_DOCS,
  },
  {
    id: 'SEED-01',
    kind: 'device',
    title: 'Supported operating system (Windows or macOS)',
    severity: 'FAIL if the device is not Windows or macOS.',
    platforms: ALL,
    remediation:
      'SEED supports only Windows 11 and macOS devices. Use a supported Windows or Mac device for SEED onboarding.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-02',
    kind: 'device',
    title: 'OS version at or above the SEED baseline',
    severity: 'FAIL below the baseline or for a version not in the baseline; WARN for beta builds; INFO on Linux.',
    platforms: ALL,
    remediation: 'Update the operating system to a supported version at or above the SEED baseline, then check again.',
    platformRemediation: {
      macos: 'Check: Apple menu → About This Mac. Update: System Settings → General → Software Update.',
      windows:
        'Check: Settings → System → About → Windows specifications → OS Build. Update: Settings → Windows Update.',
    },
    clearWarning: 'Install the stable (non-beta) release of your operating system, then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-03',
    kind: 'device',
    title: 'Windows edition Pro or Enterprise',
    severity: 'FAIL for Home (Core); PASS for Pro and Enterprise; WARN for Education (not documented).',
    platforms: ['windows'],
    remediation:
      'Windows Home cannot be onboarded. Upgrade to Windows 11 Pro (Settings → System → Activation → Upgrade your edition) or use a Pro/Enterprise device.',
    clearWarning: 'Use Windows 11 Pro or Enterprise (Education is not documented for SEED), then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-04',
    kind: 'device',
    title: 'Hardware meets the OS minimum',
    severity: 'INFO only.',
    platforms: ['windows', 'macos'],
    remediation:
      'Check the device against the Microsoft Windows 11 or Apple macOS hardware requirements (TPM 2.0 and Secure Boot for Windows 11).',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-05',
    kind: 'device',
    title: 'Local administrator rights available',
    severity: 'FAIL when the signed-in user is not a local administrator.',
    platforms: ALL,
    remediation:
      'Onboarding needs local administrator rights. Sign in with an administrator account, or ask whoever manages the device to grant them. Offshore (SEED+) users: admin rights are removed after onboarding.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-06',
    kind: 'device',
    title: 'Personal local admin account, not the built-in Administrator',
    severity:
      'FAIL when signed in as the built-in Administrator (SID ending in -500); WARN when the account is not an admin.',
    platforms: ['windows'],
    remediation:
      'Create your own local account: Computer Management → Local Users and Groups → Users → New User, untick "User must change password at next logon", add it to Administrators, then sign in with it.',
    clearWarning: 'Sign in with a local account that is an administrator, then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-07',
    kind: 'device',
    title: 'Supported browser present',
    severity:
      'WARN if no supported browser (Chrome, Edge, Firefox, Safari); INFO when Firefox does not trust the OS root store.',
    platforms: ALL,
    remediation:
      'Install Chrome, Edge, Firefox or Safari. In Firefox, set security.enterprise_roots.enabled to true in about:config (or the ImportEnterpriseRoots policy) so it trusts the OS certificate store.',
    clearWarning:
      'Install Chrome, Edge, Firefox or Safari (in Firefox, turn on security.enterprise_roots.enabled), then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-08',
    kind: 'device',
    title: 'No existing MDM enrolment',
    severity:
      'FAIL when the device is already enrolled in an MDM or joined to a work/school tenant; WARN for a domain join or configuration agents.',
    platforms: ALL,
    remediation: 'Remove the existing management before onboarding.',
    platformRemediation: {
      macos:
        'System Settings → Privacy & Security → Profiles → Management Profile shows the vendor. Intune: Company Portal → Devices → ⋯ → Remove, then sign out. Enrolled via DEP or another MDM: ask that organisation’s IT admin to release the device.',
      windows:
        'Settings → Accounts → Access work or school: select each work or school account and choose Disconnect. An Azure AD-joined device must be released by its IT admin.',
      linux: 'Remove the Intune portal (intune-portal package) and other management agents.',
    },
    clearWarning: 'Leave the domain or remove the configuration agent, with its owner’s agreement, then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-09',
    kind: 'device',
    title: 'No Tanium client or other endpoint management platform',
    severity: 'FAIL for an existing Tanium client; WARN for other unified endpoint management agents.',
    platforms: ALL,
    remediation:
      'Uninstall the existing Tanium client (and other endpoint management agents, with their owner’s agreement).',
    platformRemediation: {
      macos: [
        'Documented removal (Terminal):',
        'sudo launchctl unload /Library/LaunchDaemons/com.tanium.taniumclient.plist',
        'sudo launchctl remove com.tanium.taniumclient',
        'sudo rm /Library/LaunchDaemons/com.tanium.taniumclient.plist /Library/LaunchDaemons/com.tanium.trace.taniumclient.plist',
        'sudo rm -rf /Library/Tanium/',
        'sudo rm -f /var/db/receipts/com.tanium.*',
      ].join('\n'),
      windows: 'Settings → Apps → Installed apps, search "Tanium Client", Uninstall.',
      linux: 'Remove the taniumclient package with your package manager.',
    },
    clearWarning: 'Uninstall the other endpoint management agent, with its owner’s agreement, then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-10',
    kind: 'device',
    title: 'No Cloudflare WARP installed',
    severity: 'FAIL when Cloudflare WARP is installed (SEED installs its own).',
    platforms: ALL,
    remediation: 'Uninstall Cloudflare WARP before onboarding; SEED installs and configures its own.',
    platformRemediation: {
      macos:
        'Documented removal (Terminal): sudo /bin/sh "/Applications/Cloudflare WARP.app/Contents/Resources/uninstall.sh"',
      windows: 'Settings → Apps → Installed apps, "Cloudflare WARP", Uninstall.',
      linux: 'Remove the cloudflare-warp package with your package manager.',
    },
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-11',
    kind: 'device',
    title: 'No other VPN or secure-connection software',
    severity: 'WARN when other VPN software is installed; FAIL when a VPN is connected now.',
    platforms: ALL,
    remediation:
      'Disconnect other VPNs now and uninstall them before onboarding: after onboarding, Cloudflare WARP must not run alongside another VPN.',
    clearWarning: 'Uninstall the other VPN software, then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-12',
    kind: 'device',
    title: 'Not onboarded to Microsoft Defender for Endpoint by another organisation',
    severity: 'FAIL when a Defender for Endpoint org id is present. The built-in Defender Antivirus alone is fine.',
    platforms: ALL,
    remediation:
      'Offboard the device from the other organisation’s Defender for Endpoint tenant (see below), then check again.',
    platformRemediation: {
      macos:
        'Check yourself: run `mdatp health` in Terminal and note org_id ("command not found" means Defender is absent).',
      windows:
        'Check yourself: in an admin PowerShell, read HKLM\\SOFTWARE\\Microsoft\\Windows Advanced Threat Protection\\Status value OrgID (empty means absent).',
    },
    docUrl: SEED_FAQ,
  },
  {
    id: 'SEED-13',
    kind: 'device',
    title: 'No other antivirus or EDR (including CrowdStrike Falcon from another organisation)',
    severity: 'FAIL for an EDR already present (CrowdStrike Falcon, SentinelOne); WARN for other antivirus.',
    platforms: ALL,
    remediation:
      'Ask the administrator of the other antivirus/EDR to remove it before onboarding. Leftover CrowdStrike or antivirus is a known cause of a missing success email and of the device not being renamed.',
    clearWarning: 'Uninstall the other antivirus (Microsoft Defender stays), then check again.',
    docUrl: SEED_FAQ,
  },
  {
    id: 'SEED-14',
    kind: 'device',
    title: 'System Integrity Protection on (macOS)',
    severity: 'FAIL when SIP is disabled.',
    platforms: ['macos'],
    remediation: 'Restart into Recovery, open Terminal, run `csrutil enable`, then restart.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-15',
    kind: 'device',
    title: 'Disk encryption on',
    severity: 'FAIL when off; WARN while encrypting (default severity).',
    platforms: ALL,
    remediation: 'Turn on disk encryption and keep the recovery key somewhere other than this device.',
    platformRemediation: {
      macos:
        'System Settings → Privacy & Security → FileVault → Turn On. Choose "Create a recovery key and do not use my iCloud account" and save the key on another device.',
      windows:
        'Open "Manage BitLocker" → Turn on BitLocker for the OS drive → unlock with a password → save the recovery key to removable media → encrypt the entire drive → new encryption mode.',
    },
    clearWarning: 'Wait until disk encryption has finished, then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-16',
    kind: 'device',
    title: 'Recovery keys and device password at hand',
    severity: 'WARN until you confirm you have them.',
    platforms: ALL,
    remediation:
      'During onboarding the device may restart and ask for a new device password. Keep your FileVault or BitLocker recovery key at hand before you start.',
    clearWarning: 'Once your recovery key and device password are at hand, tick the confirmation under this check.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-17',
    kind: 'device',
    title: 'Internet Device, not a GSIB or DWP device',
    severity: 'WARN when the device looks government-managed; otherwise you confirm it.',
    platforms: ALL,
    remediation:
      'GSIB (SE or non-SE) and DWP devices cannot be onboarded (a DWP device fails with "DWP device used"). Use an Internet Device.',
    clearWarning: 'If this is an Internet Device (not a GSIB or DWP device), tick the confirmation under this check.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-18',
    kind: 'device',
    title: 'Network reachability',
    severity: 'WARN when a required service cannot be reached.',
    platforms: ALL,
    remediation:
      'Onboarding needs a stable internet connection until it finishes. Check your connection, proxy or firewall, then check again.',
    clearWarning: 'Connect to a network that reaches the SEED services (check proxy and firewall), then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-19',
    kind: 'device',
    title: 'macOS readiness (disk space, no remote control)',
    severity: 'WARN for less than 20 GB free or screen sharing running.',
    platforms: ['macos'],
    remediation:
      'Free up at least 20 GB on the system disk. Do the onboarding at the Mac itself, not through remote control: profiles cannot be approved through remote or automated input. On macOS 15, allow Cloudflare WARP through the firewall when asked after onboarding.',
    clearWarning: 'Free up at least 20 GB on the system disk and stop screen sharing, then check again.',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-20',
    kind: 'device',
    title: 'Spotlight indexing on (macOS)',
    severity: 'INFO when indexing is off.',
    platforms: ['macos'],
    remediation: 'SEED uses Spotlight to detect installed applications. Turn indexing back on: sudo mdutil -i on /',
    docUrl: SEED_PREREQS,
  },
  {
    id: 'SEED-21',
    kind: 'device',
    title: 'Offshore (SEED+) controls after onboarding',
    severity: 'INFO for offshore users.',
    platforms: ALL,
    remediation: [
      'After onboarding a SEED+ device:',
      '• admin rights are removed; elevation goes through CyberArk EPM and needs your POC’s approval;',
      '• USB storage is blocked;',
      '• Cloudflare WARP is always on;',
      '• DNS is fixed to 1.1.1.1 and 1.0.0.1;',
      '• the device is offboarded after 30 idle days.',
    ].join('\n'),
    docUrl: SEED_DOCS,
  },
];

export function catalogueEntry(id: string): SeedCatalogueEntry {
  const entry = SEED_CATALOGUE.find((e) => e.id === id);
  if (!entry) throw new Error(`Unknown SEED check id ${id}`);
  return entry;
}
