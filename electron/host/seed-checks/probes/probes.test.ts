import { describe, expect, it } from 'vitest';
import type { CheckResult, SeedReport } from '../../../../shared/domain/seed-report';
import { fakeFs, fakeHttp, fakeRunner, type FakeAnswer, type FakeDevice } from '../fixtures/fake-env';
import { fixture } from '../fixtures/load';
import { runSeedChecks } from '../run';
import type { SeedAccountInputs } from '../types';
import { LINUX_UNITS } from './linux';
import { REG_APP_PATHS, REG_ATP_STATUS, REG_CURRENT_VERSION, REG_TANIUM } from './windows';

const NOW = new Date('2026-03-02T02:00:00Z'); // 10:00 SGT, outside the usual maintenance hours

const GOOD_ACCOUNT: SeedAccountInputs = {
  accountState: 'ACTIVE',
  onboardingComplete: true,
  seed: { state: 'PROVISIONED', emailExpiresAt: '2026-03-20T00:00:00Z', devices: [] },
  loginId: 'alice@techpass.gov.sg',
  businessOperation: 'onshore',
  maintenance: [],
};

const NOT_FOUND = { code: 1, stderr: 'ERROR: The system was unable to find the specified registry key or value.' };

function windowsDevice(): FakeDevice {
  return {
    commands: {
      [`reg query ${REG_CURRENT_VERSION} /reg:64`]: fixture('windows/reg-currentversion-24h2-pro.txt'),
      [`reg query HKLM\\${REG_APP_PATHS} /reg:64`]: fixture('windows/reg-app-paths-hklm.txt'),
      [`reg query HKCU\\${REG_APP_PATHS}`]: NOT_FOUND,
      [`reg query ${REG_ATP_STATUS} /v OrgID /reg:64`]: NOT_FOUND,
      [`reg query ${REG_TANIUM}`]: NOT_FOUND,
      'dsregcmd /status': fixture('windows/dsregcmd-clean-en.txt'),
      'whoami /groups': fixture('windows/whoami-groups-admin-en.txt'),
      'whoami /user': fixture('windows/whoami-user-en.txt'),
      'powershell <system>': fixture('windows/ps-system-clean.json'),
      'powershell <security>': '{"errors":[],"antivirus":{"displayName":"Windows Defender","productState":397568}}',
      'powershell <network>': '{"errors":[],"vpnConnections":[],"adapters":[]}',
    },
    dirs: { 'C:\\Users\\alice\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles': ['abcd.default-release'] },
    texts: {
      'C:\\Users\\alice\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles/abcd.default-release/prefs.js':
        'user_pref("security.enterprise_roots.enabled", true);\n',
    },
  };
}

function macDevice(): FakeDevice {
  return {
    commands: {
      sw_vers: fixture('macos/sw_vers-15.7.2.txt'),
      'dseditgroup -o checkmember -m alice admin': fixture('macos/dseditgroup-yes.txt'),
      'profiles status -type enrollment': fixture('macos/profiles-clean.txt'),
      'launchctl print system/com.tanium.taniumclient': {
        code: 113,
        stdout: 'Could not find service "com.tanium.taniumclient" in domain for system',
      },
      'launchctl print system/com.apple.screensharing': {
        code: 113,
        stdout: 'Could not find service "com.apple.screensharing" in domain for system',
      },
      'launchctl list': 'PID\tStatus\tLabel\n-\t0\tcom.apple.SafariHistoryServiceAgent\n',
      'scutil --nc list': fixture('macos/scutil-nc-list-empty.txt'),
      'systemextensionsctl list': '0 extension(s)\n',
      'csrutil status': fixture('macos/csrutil-enabled.txt'),
      'fdesetup status': fixture('macos/fdesetup-on.txt'),
      'fdesetup haspersonalrecoverykey': { code: 1, stderr: 'Error: This command requires root access.' },
      'df -k /': fixture('macos/df-k-root.txt'),
      'mdutil -s /': fixture('macos/mdutil-enabled.txt'),
    },
    files: ['/Applications/Safari.app'],
  };
}

function linuxDevice(): FakeDevice {
  return {
    commands: {
      'id -nG': fixture('linux/id-groups.txt'),
      'id -u': '1000\n',
      [`systemctl is-active ${LINUX_UNITS.join(' ')}`]: {
        code: 3,
        stdout: LINUX_UNITS.map(() => 'inactive').join('\n') + '\n',
      },
      'nmcli -t -f NAME,TYPE,DEVICE connection show --active': 'Wired connection 1:802-3-ethernet:enp0s3\n',
      'ip -d link show type wireguard': '',
      'ip tuntap show': '',
      'lsblk -rno NAME,TYPE': fixture('linux/lsblk-luks.txt'),
    },
    texts: { '/etc/os-release': fixture('linux/os-release-ubuntu.txt') },
    path: {
      id: '/usr/bin/id',
      systemctl: '/usr/bin/systemctl',
      nmcli: '/usr/bin/nmcli',
      ip: '/usr/sbin/ip',
      lsblk: '/usr/bin/lsblk',
      'google-chrome': '/usr/bin/google-chrome',
    },
  };
}

const PLATFORM = { windows: 'win32', macos: 'darwin', linux: 'linux' } as const;
const DEVICES = { windows: windowsDevice, macos: macDevice, linux: linuxDevice };
type Os = keyof typeof PLATFORM;

async function run(
  os: Os,
  tweak: (d: FakeDevice) => void = () => {},
  extra: Partial<Parameters<typeof runSeedChecks>[0]> = {},
  calls: string[] = [],
): Promise<SeedReport> {
  const device = DEVICES[os]();
  tweak(device);
  return runSeedChecks({
    platform: PLATFORM[os],
    runner: fakeRunner(device, calls),
    fs: fakeFs(device),
    httpHead: fakeHttp(device),
    account: GOOD_ACCOUNT,
    attestations: { recoveryKeysReady: true, internetDevice: true },
    now: () => NOW,
    username: 'alice',
    homeDir: os === 'windows' ? 'C:\\Users\\alice' : '/Users/alice',
    env:
      os === 'windows'
        ? {
            SystemRoot: 'C:\\Windows',
            APPDATA: 'C:\\Users\\alice\\AppData\\Roaming',
            ProgramFiles: 'C:\\Program Files',
            'ProgramFiles(x86)': 'C:\\Program Files (x86)',
          }
        : {},
    ...extra,
  });
}

function check(report: SeedReport, id: string): CheckResult {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id}`);
  return c;
}

const set = (key: string, answer: FakeAnswer) => (d: FakeDevice) => {
  d.commands[key] = answer;
};
const addFile =
  (...paths: string[]) =>
  (d: FakeDevice) => {
    d.files = [...(d.files ?? []), ...paths];
  };

describe('a clean device', () => {
  it.each(['windows', 'macos'] as const)(
    '%s: READY, every check PASS/INFO/N/A, all 27 checks in catalogue order',
    async (os) => {
      const report = await run(os);
      expect(report.checks.map((c) => c.id)).toEqual([
        ...['1', '2', '3', '4', '5', '6'].map((n) => `ACC-${n}`),
        ...Array.from({ length: 21 }, (_, i) => `SEED-${String(i + 1).padStart(2, '0')}`),
      ]);
      const bad = report.checks
        .filter((c) => !['PASS', 'INFO', 'N/A'].includes(c.status))
        .map((c) => `${c.id} ${c.status}: ${c.evidence}`);
      expect(bad).toEqual([]);
      expect(report.verdict).toBe('READY');
      expect(report.platform).toBe(os);
    },
  );

  it('linux: always BLOCKED by SEED-01, while the other probes still report what they found', async () => {
    const report = await run('linux');
    expect(report.verdict).toBe('BLOCKED');
    expect(check(report, 'SEED-01')).toMatchObject({
      status: 'FAIL',
      evidence: expect.stringContaining('Ubuntu 24.04.1 LTS'),
    });
    expect(report.checks.filter((c) => c.status === 'FAIL').map((c) => c.id)).toEqual(['SEED-01']);
    expect(check(report, 'SEED-02')).toMatchObject({
      status: 'INFO',
      evidence: expect.stringContaining('ubuntu 24.04'),
    });
    expect(check(report, 'SEED-05')).toMatchObject({ status: 'PASS', evidence: expect.stringContaining('sudo') });
    expect(check(report, 'SEED-07')).toMatchObject({ status: 'PASS', evidence: expect.stringContaining('Chrome') });
    expect(check(report, 'SEED-15')).toMatchObject({ status: 'INFO', evidence: expect.stringContaining('luks-') });
  });

  it('an unknown platform is BLOCKED by SEED-01 and its probes are N/A', async () => {
    const report = await runSeedChecks({
      platform: 'freebsd',
      runner: fakeRunner({ commands: {} }),
      fs: fakeFs({ commands: {} }),
      httpHead: fakeHttp({ commands: {} }),
      now: () => NOW,
    });
    expect(report.verdict).toBe('BLOCKED');
    expect(check(report, 'SEED-01')).toMatchObject({ status: 'FAIL', evidence: expect.stringContaining('freebsd') });
    expect(check(report, 'SEED-14').status).toBe('N/A');
  });

  it('runs commands once each even when several checks use them (memoised)', async () => {
    const calls: string[] = [];
    await run('windows', () => {}, {}, calls);
    expect(calls.filter((c) => c === 'powershell <system>')).toHaveLength(1);
    expect(calls.filter((c) => c === 'dsregcmd /status')).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith(`reg query ${REG_CURRENT_VERSION}`))).toHaveLength(1);
  });
});

type Row = [
  label: string,
  os: Os,
  tweak: (d: FakeDevice) => void,
  id: string,
  status: CheckResult['status'],
  evidence?: RegExp,
];

const CV = `reg query ${REG_CURRENT_VERSION} /reg:64`;
const rows: Row[] = [
  // SEED-02 OS version
  [
    'Windows 11 23H2 below its UBR minimum',
    'windows',
    set(CV, fixture('windows/reg-currentversion-23h2-enterprise-old.txt')),
    'SEED-02',
    'FAIL',
    /below the minimum revision 22631\.6491/,
  ],
  [
    'Windows 10 (build 19045) even though it is 22H2',
    'windows',
    set(CV, fixture('windows/reg-currentversion-win10-home.txt')),
    'SEED-02',
    'FAIL',
    /not Windows 11/,
  ],
  [
    'Windows build not in the table',
    'windows',
    set(CV, fixture('windows/reg-currentversion-24h2-pro.txt').replace(/26100/g, '27000')),
    'SEED-02',
    'FAIL',
    /not in the SEED baseline/,
  ],
  [
    'Windows UBR missing',
    'windows',
    set(CV, fixture('windows/reg-currentversion-no-ubr-education.txt')),
    'SEED-02',
    'UNKNOWN',
    /UBR/,
  ],
  ['reg query times out', 'windows', set(CV, 'timeout'), 'SEED-02', 'UNKNOWN', /did not answer in time/],
  ['macOS 15.7.2', 'macos', () => {}, 'SEED-02', 'PASS', /meets the minimum 15\.7\.2/],
  [
    'macOS 14.6.1 below 14.8.2',
    'macos',
    set('sw_vers', fixture('macos/sw_vers-14.6.txt')),
    'SEED-02',
    'FAIL',
    /below the minimum 14\.8\.2/,
  ],
  [
    'macOS 13 unsupported',
    'macos',
    set('sw_vers', fixture('macos/sw_vers-13.7.txt')),
    'SEED-02',
    'FAIL',
    /not a supported version/,
  ],
  ['macOS 26 beta build', 'macos', set('sw_vers', fixture('macos/sw_vers-26-beta.txt')), 'SEED-02', 'WARN', /beta/],
  ['sw_vers prints nothing', 'macos', set('sw_vers', ''), 'SEED-02', 'UNKNOWN', /No ProductVersion/],
  // SEED-03 edition
  ['Windows Home', 'windows', set(CV, fixture('windows/reg-currentversion-win10-home.txt')), 'SEED-03', 'FAIL', /Core/],
  [
    'Windows Enterprise',
    'windows',
    set(CV, fixture('windows/reg-currentversion-23h2-enterprise-old.txt')),
    'SEED-03',
    'PASS',
    /Enterprise/,
  ],
  [
    'Windows Education',
    'windows',
    set(CV, fixture('windows/reg-currentversion-no-ubr-education.txt')),
    'SEED-03',
    'WARN',
    /Education/,
  ],
  ['edition on macOS', 'macos', () => {}, 'SEED-03', 'N/A'],
  // SEED-04 hardware
  [
    'Windows RAM reported; TPM needs admin',
    'windows',
    () => {},
    'SEED-04',
    'INFO',
    /15\.9 GB RAM; TPM unknown; Secure Boot unknown.*admin rights/,
  ],
  [
    'Windows TPM and Secure Boot read (elevated)',
    'windows',
    set(
      'powershell <system>',
      '{"errors":[],"services":[],"enrollments":[],"totalPhysicalMemory":8589934592,"tpm":{"present":true,"ready":true},"secureBoot":false}',
    ),
    'SEED-04',
    'INFO',
    /8\.0 GB RAM; TPM present and ready; Secure Boot off\. Windows 11 requires TPM 2\.0 and Secure Boot\.$/,
  ],
  // SEED-05 admin
  [
    'Windows standard user (German whoami)',
    'windows',
    set('whoami /groups', fixture('windows/whoami-groups-user-de.txt')),
    'SEED-05',
    'FAIL',
    /Not a member of Administrators/,
  ],
  [
    'macOS not admin',
    'macos',
    set('dseditgroup -o checkmember -m alice admin', fixture('macos/dseditgroup-no.txt')),
    'SEED-05',
    'FAIL',
    /NOT a member/,
  ],
  ['Linux without sudo/wheel/admin', 'linux', set('id -nG', 'alice users\n'), 'SEED-05', 'FAIL', /Not in sudo/],
  [
    'Linux root',
    'linux',
    (d) => ((d.commands['id -nG'] = 'root\n'), (d.commands['id -u'] = '0\n')),
    'SEED-05',
    'PASS',
    /root/,
  ],
  // SEED-06 built-in administrator
  [
    'built-in Administrator (-500)',
    'windows',
    set('whoami /user', fixture('windows/whoami-user-builtin-admin.txt')),
    'SEED-06',
    'FAIL',
    /built-in Administrator/,
  ],
  [
    'personal account without admin rights',
    'windows',
    set('whoami /groups', fixture('windows/whoami-groups-user-de.txt')),
    'SEED-06',
    'WARN',
    /not a local administrator/,
  ],
  ['personal admin account', 'windows', () => {}, 'SEED-06', 'PASS'],
  // SEED-07 browsers
  ['Windows Edge + Firefox', 'windows', () => {}, 'SEED-07', 'PASS', /Edge, Firefox.*trusts the OS root store/],
  [
    'Windows only Firefox without the trust setting',
    'windows',
    (d) => {
      d.commands[`reg query HKLM\\${REG_APP_PATHS} /reg:64`] = 'HKEY_LOCAL_MACHINE\\x\\App Paths\\firefox.exe\n';
      d.texts = {
        'C:\\Users\\alice\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles/abcd.default-release/prefs.js':
          'user_pref("browser.startup.page", 3);\n',
      };
    },
    'SEED-07',
    'INFO',
    /does not trust/,
  ],
  [
    'Windows no browser',
    'windows',
    set(`reg query HKLM\\${REG_APP_PATHS} /reg:64`, 'HKEY_LOCAL_MACHINE\\x\\App Paths\\wordpad.exe\n'),
    'SEED-07',
    'WARN',
    /No supported browser/,
  ],
  [
    'Windows Edge only in its install folder',
    'windows',
    (d) => {
      d.commands[`reg query HKLM\\${REG_APP_PATHS} /reg:64`] = 'HKEY_LOCAL_MACHINE\\x\\App Paths\\wordpad.exe\n';
      d.files = ['C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'];
    },
    'SEED-07',
    'PASS',
    /Found: Edge\./,
  ],
  ['Linux no browser on PATH', 'linux', (d) => delete d.path!['google-chrome'], 'SEED-07', 'WARN'],
  // SEED-08 MDM
  [
    'Windows Azure AD joined with Intune',
    'windows',
    set('dsregcmd /status', fixture('windows/dsregcmd-aadj-intune-en.txt')),
    'SEED-08',
    'FAIL',
    /Azure AD joined to Contoso Ltd.*MDM URL/,
  ],
  [
    'Windows work account connected (German dsregcmd)',
    'windows',
    set('dsregcmd /status', fixture('windows/dsregcmd-workplace-de.txt')),
    'SEED-08',
    'FAIL',
    /WorkplaceJoined/,
  ],
  [
    'Windows Intune enrolment in the registry',
    'windows',
    set('powershell <system>', fixture('windows/ps-system-managed.json')),
    'SEED-08',
    'FAIL',
    /MS DM Server \(Intune\) as alice@contoso\.com/,
  ],
  [
    'Windows domain joined only',
    'windows',
    set('dsregcmd /status', fixture('windows/dsregcmd-govt-domain-en.txt')),
    'SEED-08',
    'WARN',
    /domain joined \(GOV\)/,
  ],
  [
    'dsregcmd and PowerShell both unavailable',
    'windows',
    (d) => ((d.commands['dsregcmd /status'] = 'missing'), (d.commands['powershell <system>'] = 'timeout')),
    'SEED-08',
    'UNKNOWN',
    /command not found.*did not answer/s,
  ],
  [
    'macOS MDM enrolled',
    'macos',
    set('profiles status -type enrollment', fixture('macos/profiles-mdm.txt')),
    'SEED-08',
    'FAIL',
    /MDM enrollment: Yes/,
  ],
  [
    'macOS DEP',
    'macos',
    set('profiles status -type enrollment', fixture('macos/profiles-dep.txt')),
    'SEED-08',
    'FAIL',
    /DEP/,
  ],
  [
    'macOS Intune agent leftover',
    'macos',
    addFile('/Library/Intune/Microsoft Intune Agent.app'),
    'SEED-08',
    'WARN',
    /Intune Agent/,
  ],
  ['Linux Intune', 'linux', addFile('/opt/microsoft/intune'), 'SEED-08', 'FAIL', /Intune/],
  // SEED-09 Tanium / UEM
  [
    'Windows Tanium service',
    'windows',
    set('powershell <system>', fixture('windows/ps-system-managed.json')),
    'SEED-09',
    'FAIL',
    /Tanium Client \[Tanium Client\] \(Running\)/,
  ],
  [
    'Windows Tanium registry key only',
    'windows',
    set(`reg query ${REG_TANIUM}`, `\n${REG_TANIUM}\n    Version    REG_SZ    7.4.10\n`),
    'SEED-09',
    'FAIL',
    /registry key/,
  ],
  [
    'Windows SCCM agent only',
    'windows',
    set(
      'powershell <system>',
      '{"errors":[],"services":{"Name":"ccmexec","DisplayName":"SMS Agent Host","Status":"Running"},"enrollments":[]}',
    ),
    'SEED-09',
    'WARN',
    /SMS Agent Host/,
  ],
  ['macOS Tanium folder', 'macos', addFile('/Library/Tanium/TaniumClient'), 'SEED-09', 'FAIL', /TaniumClient/],
  [
    'macOS Tanium launchd job',
    'macos',
    set('launchctl print system/com.tanium.taniumclient', 'system/com.tanium.taniumclient = {\n\tstate = running\n}'),
    'SEED-09',
    'FAIL',
    /launchd/,
  ],
  ['macOS Jamf', 'macos', addFile('/usr/local/jamf'), 'SEED-09', 'WARN', /jamf/],
  ['Linux Tanium', 'linux', addFile('/opt/Tanium/TaniumClient'), 'SEED-09', 'FAIL'],
  // SEED-10 WARP
  [
    'Windows WARP service',
    'windows',
    set('powershell <system>', fixture('windows/ps-system-managed.json')),
    'SEED-10',
    'FAIL',
    /CloudflareWARP/,
  ],
  [
    'Windows warp-cli.exe',
    'windows',
    addFile('C:\\Program Files\\Cloudflare\\Cloudflare WARP\\warp-cli.exe'),
    'SEED-10',
    'FAIL',
    /warp-cli\.exe/,
  ],
  ['macOS WARP app', 'macos', addFile('/Applications/Cloudflare WARP.app'), 'SEED-10', 'FAIL', /Cloudflare WARP\.app/],
  [
    'macOS WARP launchd job',
    'macos',
    set('launchctl list', fixture('macos/launchctl-list.txt')),
    'SEED-10',
    'FAIL',
    /com\.cloudflare/,
  ],
  [
    'Linux warp-svc active',
    'linux',
    set(`systemctl is-active ${LINUX_UNITS.join(' ')}`, {
      code: 0,
      stdout: LINUX_UNITS.map((u) => (u === 'warp-svc' ? 'active' : 'inactive')).join('\n'),
    }),
    'SEED-10',
    'FAIL',
    /warp-svc active/,
  ],
  // SEED-11 VPN
  [
    'Windows VPN profile and TAP adapter present',
    'windows',
    set('powershell <network>', fixture('windows/ps-network-vpn.json')),
    'SEED-11',
    'WARN',
    /Office VPN.*TAP-Windows/,
  ],
  [
    'Windows WireGuard tunnel up',
    'windows',
    set('powershell <network>', fixture('windows/ps-network-connected.json')),
    'SEED-11',
    'FAIL',
    /WireGuard Tunnel/,
  ],
  [
    'Windows network probe prints garbage',
    'windows',
    set('powershell <network>', 'Get-VpnConnection : The term is not recognized'),
    'SEED-11',
    'UNKNOWN',
    /not valid JSON/,
  ],
  [
    'macOS VPN connected',
    'macos',
    set('scutil --nc list', fixture('macos/scutil-nc-list.txt')),
    'SEED-11',
    'FAIL',
    /wg-home/,
  ],
  [
    'macOS VPN network extension (WARP ignored here)',
    'macos',
    set('systemextensionsctl list', fixture('macos/systemextensionsctl-list.txt')),
    'SEED-11',
    'WARN',
    /com\.wireguard/,
  ],
  ['macOS VPN app installed', 'macos', addFile('/Applications/Tailscale.app'), 'SEED-11', 'WARN', /Tailscale/],
  [
    'Linux NetworkManager VPN active',
    'linux',
    set('nmcli -t -f NAME,TYPE,DEVICE connection show --active', fixture('linux/nmcli-active.txt')),
    'SEED-11',
    'FAIL',
    /office:vpn/,
  ],
  [
    'Linux WireGuard interface',
    'linux',
    set('ip -d link show type wireguard', fixture('linux/ip-link-wireguard.txt')),
    'SEED-11',
    'FAIL',
    /wg0/,
  ],
  [
    'Linux tun device only',
    'linux',
    set('ip tuntap show', fixture('linux/ip-tuntap.txt')),
    'SEED-11',
    'WARN',
    /tun device tun0/,
  ],
  // SEED-12 Defender org id
  [
    'Windows Defender onboarded to WOG',
    'windows',
    set(`reg query ${REG_ATP_STATUS} /v OrgID /reg:64`, fixture('windows/reg-atp-orgid-wog.txt')),
    'SEED-12',
    'FAIL',
    /faa36a5e.*WOG/,
  ],
  [
    'Windows ATP key needs admin (German)',
    'windows',
    set(`reg query ${REG_ATP_STATUS} /v OrgID /reg:64`, { code: 1, stderr: 'FEHLER: Zugriff verweigert' }),
    'SEED-12',
    'UNKNOWN',
    /admin rights/,
  ],
  [
    'Windows ATP OrgID empty',
    'windows',
    set(`reg query ${REG_ATP_STATUS} /v OrgID /reg:64`, `\n${REG_ATP_STATUS}\n    OrgID    REG_SZ    \n`),
    'SEED-12',
    'PASS',
  ],
  [
    'macOS mdatp onboarded to Hive',
    'macos',
    (d) => (
      (d.path = { mdatp: '/usr/local/bin/mdatp' }),
      (d.commands['mdatp health --field org_id'] = fixture('macos/mdatp-orgid-hive.txt'))
    ),
    'SEED-12',
    'FAIL',
    /Hive/,
  ],
  [
    'macOS mdatp without licence',
    'macos',
    (d) => (
      (d.path = { mdatp: '/usr/local/bin/mdatp' }),
      (d.commands['mdatp health --field org_id'] = fixture('macos/mdatp-no-license.txt'))
    ),
    'SEED-12',
    'PASS',
  ],
  [
    'macOS mdatp hangs',
    'macos',
    (d) => ((d.path = { mdatp: '/usr/local/bin/mdatp' }), (d.commands['mdatp health --field org_id'] = 'timeout')),
    'SEED-12',
    'UNKNOWN',
    /did not answer/,
  ],
  [
    'Linux mdatp other org',
    'linux',
    (d) => (
      (d.path!.mdatp = '/usr/bin/mdatp'),
      (d.commands['mdatp health --field org_id'] = '"11111111-2222-3333-4444-555555555555"\n')
    ),
    'SEED-12',
    'FAIL',
    /another organisation/,
  ],
  // SEED-13 AV / EDR
  [
    'Windows CrowdStrike service',
    'windows',
    set('powershell <system>', fixture('windows/ps-system-managed.json')),
    'SEED-13',
    'FAIL',
    /CrowdStrike/,
  ],
  [
    'Windows Sophos AV',
    'windows',
    set('powershell <security>', fixture('windows/ps-security-sophos.json')),
    'SEED-13',
    'WARN',
    /Sophos/,
  ],
  [
    'macOS Falcon endpoint security extension',
    'macos',
    set('systemextensionsctl list', fixture('macos/systemextensionsctl-list.txt')),
    'SEED-13',
    'FAIL',
    /crowdstrike/,
  ],
  ['macOS Falcon.app', 'macos', addFile('/Applications/Falcon.app'), 'SEED-13', 'FAIL', /Falcon\.app/],
  ['macOS other AV app', 'macos', addFile('/Applications/Bitdefender.app'), 'SEED-13', 'WARN', /Bitdefender/],
  ['Linux falcon-sensor', 'linux', addFile('/opt/CrowdStrike/falconctl'), 'SEED-13', 'FAIL'],
  // SEED-14 SIP
  ['SIP disabled', 'macos', set('csrutil status', fixture('macos/csrutil-disabled.txt')), 'SEED-14', 'FAIL'],
  ['SIP custom', 'macos', set('csrutil status', fixture('macos/csrutil-custom.txt')), 'SEED-14', 'WARN'],
  ['csrutil timing out', 'macos', set('csrutil status', 'timeout'), 'SEED-14', 'UNKNOWN', /did not answer in time/],
  ['SIP on Windows', 'windows', () => {}, 'SEED-14', 'N/A'],
  // SEED-15 encryption
  ['FileVault off', 'macos', set('fdesetup status', fixture('macos/fdesetup-off.txt')), 'SEED-15', 'FAIL'],
  [
    'FileVault encrypting',
    'macos',
    set('fdesetup status', fixture('macos/fdesetup-encrypting.txt')),
    'SEED-15',
    'WARN',
    /37\.51%/,
  ],
  [
    'BitLocker off',
    'windows',
    set('powershell <system>', fixture('windows/ps-system-managed.json')),
    'SEED-15',
    'FAIL',
    /off/,
  ],
  [
    'BitLocker encrypting',
    'windows',
    set('powershell <system>', '{"errors":[],"services":[],"enrollments":[],"bitLockerProtection":3}'),
    'SEED-15',
    'WARN',
  ],
  [
    'BitLocker unreadable',
    'windows',
    set(
      'powershell <system>',
      '{"errors":["bitlocker: denied"],"services":[],"enrollments":[],"bitLockerProtection":null}',
    ),
    'SEED-15',
    'UNKNOWN',
    /manage-bde/,
  ],
  [
    'Linux without dm-crypt',
    'linux',
    set('lsblk -rno NAME,TYPE', fixture('linux/lsblk-recorded.txt')),
    'SEED-15',
    'INFO',
    /No dm-crypt/,
  ],
  // SEED-16 / 17 attestations
  ['recovery keys not confirmed', 'windows', () => {}, 'SEED-16', 'WARN'],
  [
    'government image',
    'windows',
    set('dsregcmd /status', fixture('windows/dsregcmd-govt-domain-en.txt')),
    'SEED-17',
    'WARN',
    /SG Govt M365/,
  ],
  // SEED-18 network
  [
    'portal unreachable',
    'windows',
    (d) => (d.network = { 'portal.techpass.gov.sg': false }),
    'SEED-18',
    'WARN',
    /portal\.techpass\.gov\.sg: not reachable/,
  ],
  // SEED-19 / 20 macOS extras
  [
    'little disk space',
    'macos',
    set('df -k /', fixture('macos/df-k-root-full.txt')),
    'SEED-19',
    'WARN',
    /8\.0 GB free/,
  ],
  [
    'screen sharing running',
    'macos',
    set('launchctl print system/com.apple.screensharing', fixture('macos/launchctl-print-screensharing.txt')),
    'SEED-19',
    'WARN',
    /Screen Sharing is running/,
  ],
  ['Spotlight off', 'macos', set('mdutil -s /', fixture('macos/mdutil-disabled.txt')), 'SEED-20', 'INFO'],
];

describe.each(rows.map((r) => [r[3], r[0], r] as const))('%s: %s', (_id, _label, row) => {
  const [, os, tweak, id, status, evidence] = row;
  it(`→ ${status}`, async () => {
    const attest =
      id === 'SEED-16'
        ? { recoveryKeysReady: false, internetDevice: true }
        : { recoveryKeysReady: true, internetDevice: true };
    const report = await run(os, tweak, { attestations: attest });
    const c = check(report, id);
    expect({ status: c.status, evidence: c.evidence }).toMatchObject({
      status,
      ...(evidence ? { evidence: expect.stringMatching(evidence) } : {}),
    });
    if (status === 'FAIL') expect(report.verdict).toBe('BLOCKED');
    if (status !== 'PASS' && status !== 'N/A') expect(c.remediation.length).toBeGreaterThan(0);
    else expect(c.remediation).toBe('');
  });
});

describe('remediation texts', () => {
  it('SEED-12 names the action for the org found and lists every org-id case', async () => {
    const report = await run(
      'windows',
      set(`reg query ${REG_ATP_STATUS} /v OrgID /reg:64`, fixture('windows/reg-atp-orgid-wog.txt')),
    );
    const r = check(report, 'SEED-12').remediation;
    expect(r).toMatch(/^WOG tenant: .*Intune Device ID/);
    for (const s of [
      'faa36a5e-2da6-4225-8e27-226177c801a0 (WOG)',
      '49237d71-42ac-425a-a803-881b92cc18ce (TechPass)',
      '6389e966-e334-461d-86ce-0fed12484620 (Hive)',
      'GDS_DEN@hive.gov.sg',
      'Any other org id',
    ]) {
      expect(r).toContain(s);
    }
  });
  it('macOS Tanium FAIL shows the documented removal commands', async () => {
    const r = check(await run('macos', addFile('/Library/Tanium/TaniumClient')), 'SEED-09').remediation;
    expect(r).toContain('sudo launchctl remove com.tanium.taniumclient');
    expect(r).toContain('sudo rm -rf /Library/Tanium/');
    expect(r).toContain('/var/db/receipts/com.tanium.*');
  });
  it('macOS WARP FAIL shows the documented uninstall script', async () => {
    const r = check(await run('macos', addFile('/Applications/Cloudflare WARP.app')), 'SEED-10').remediation;
    expect(r).toContain('sudo /bin/sh "/Applications/Cloudflare WARP.app/Contents/Resources/uninstall.sh"');
  });
  it('Windows MDM FAIL says to disconnect the work or school account', async () => {
    const r = check(
      await run('windows', set('dsregcmd /status', fixture('windows/dsregcmd-workplace-de.txt'))),
      'SEED-08',
    ).remediation;
    expect(r).toContain('Access work or school');
  });
  it('SEED-21 lists the SEED+ controls for offshore users and warns about admin rights in SEED-05', async () => {
    const report = await run('macos', () => {}, { account: { ...GOOD_ACCOUNT, businessOperation: 'offshore' } });
    expect(check(report, 'SEED-21')).toMatchObject({ status: 'INFO' });
    expect(check(report, 'SEED-21').remediation).toMatch(
      /CyberArk EPM[\s\S]*USB storage[\s\S]*1\.1\.1\.1 and 1\.0\.0\.1[\s\S]*30 idle days/,
    );
    expect(check(report, 'SEED-05').evidence).toContain('admin rights are removed after onboarding');
    expect(check(await run('macos'), 'SEED-21').status).toBe('N/A');
  });
});

describe('robustness', () => {
  it('a runner that throws or a missing command make UNKNOWN, never a crash', async () => {
    const report = await run('macos', (d) => {
      for (const k of Object.keys(d.commands)) d.commands[k] = 'throw';
    });
    expect(check(report, 'SEED-14')).toMatchObject({
      status: 'UNKNOWN',
      evidence: expect.stringContaining('runner exploded'),
    });
    expect(check(report, 'SEED-02').status).toBe('UNKNOWN');
    const missing = await run('windows', (d) => (d.commands = {}));
    expect(check(missing, 'SEED-02')).toMatchObject({
      status: 'UNKNOWN',
      evidence: expect.stringContaining('command not found'),
    });
    expect(missing.verdict).toBe('READY');
  });
  it('a file system that throws makes UNKNOWN for that check only', async () => {
    const device = macDevice();
    const fs = fakeFs(device);
    const report = await runSeedChecks({
      platform: 'darwin',
      runner: fakeRunner(device),
      fs: {
        ...fs,
        exists: async () => {
          throw new Error('EIO');
        },
      },
      httpHead: fakeHttp(device),
      now: () => NOW,
      username: 'alice',
      homeDir: '/Users/alice',
    });
    expect(check(report, 'SEED-07')).toMatchObject({ status: 'UNKNOWN', evidence: expect.stringContaining('EIO') });
    expect(check(report, 'SEED-14').status).toBe('PASS');
  });
  it('caps every probe timeout at 10 s and passes the configured timeout to the runner', async () => {
    const seen = new Set<number>();
    const device = linuxDevice();
    const runner = fakeRunner(device);
    await runSeedChecks({
      platform: 'linux',
      runner: (f, a, o) => (seen.add(o.timeoutMs), runner(f, a, o)),
      fs: fakeFs(device),
      httpHead: fakeHttp(device),
      probeTimeoutMs: 60_000,
    });
    expect([...seen]).toEqual([10_000]);
    seen.clear();
    await runSeedChecks({
      platform: 'linux',
      runner: (f, a, o) => (seen.add(o.timeoutMs), runner(f, a, o)),
      fs: fakeFs(device),
      httpHead: fakeHttp(device),
    });
    expect([...seen]).toEqual([8_000]);
  });
  it('loads the baseline alongside the probes (a slow backend does not hold them up)', async () => {
    const calls: string[] = [];
    let release: (v: unknown) => void = () => {};
    const pending = run('macos', () => {}, { fetchBaseline: () => new Promise((r) => (release = r)) }, calls);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(calls).toContain('csrutil status');
    release(null);
    expect(check(await pending, 'SEED-02')).toMatchObject({
      status: 'PASS',
      evidence: expect.stringContaining('backend sent no baseline'),
    });
  });
  it('evidence is truncated', async () => {
    const huge = 'x'.repeat(10_000);
    const report = await run('macos', set('csrutil status', huge));
    expect(check(report, 'SEED-14').evidence.length).toBeLessThan(1700);
  });
  it('uses a served baseline and says so; falls back to the bundled copy when it is invalid', async () => {
    const served = await run('macos', () => {}, {
      fetchBaseline: async () => ({
        version: '2026-04',
        effectiveFrom: '2026-04-01',
        source: 'test',
        macos: { supported: [{ major: 15, minVersion: '15.8' }], unsupported: [], advice: 'Update.' },
        windows: {
          windows11MinBuild: 22000,
          supported: [{ release: '24H2', build: 26100, minUbr: 8000 }],
          unsupported: [],
          advice: 'Update.',
        },
        otherPlatforms: { label: 'Linux', note: 'No.' },
        graceDays: 7,
      }),
    });
    expect(check(served, 'SEED-02')).toMatchObject({ status: 'FAIL', evidence: expect.stringContaining('2026-04') });
    const invalid = await run('macos', () => {}, { fetchBaseline: async () => ({ version: 3 }) });
    expect(check(invalid, 'SEED-02')).toMatchObject({
      status: 'PASS',
      evidence: expect.stringMatching(/bundled copy: backend copy invalid/),
    });
  });
});

describe('probe coverage matches the catalogue', () => {
  it.each(['windows', 'macos', 'linux'] as const)(
    '%s: every device check listed for the platform has a probe that does not answer N/A',
    async (os) => {
      const report = await run(os, () => {}, { account: { ...GOOD_ACCOUNT, businessOperation: 'offshore' } });
      const { SEED_CATALOGUE } = await import('../../../../shared/domain/seed-catalogue');
      for (const entry of SEED_CATALOGUE.filter((e) => e.kind === 'device')) {
        const status = check(report, entry.id).status;
        if (entry.platforms.includes(os)) expect([entry.id, status]).not.toEqual([entry.id, 'N/A']);
        else expect([entry.id, status]).toEqual([entry.id, 'N/A']);
      }
    },
  );
});
