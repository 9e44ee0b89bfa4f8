import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureHeader } from '../fixtures/load';
import { compareVersions, keyValues, yesNo } from './common';
import * as lin from './linux';
import * as mac from './macos';
import * as win from './windows';

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

describe('fixtures', () => {
  const files = ['windows', 'macos', 'linux'].flatMap((d) =>
    readdirSync(path.join(fixturesDir, d)).map((f) => `${d}/${f}`),
  );
  it.each(files)('%s names its source, provenance and command', (file) => {
    const h = fixtureHeader(file);
    expect(h.source).toBeTruthy();
    expect(h.provenance).toMatch(/^(recorded on this machine|written from documentation)/);
    expect(h.command).toBeTruthy();
    if (!file.startsWith('linux/')) expect(h.provenance).toMatch(/^written from documentation/);
  });
});

describe('common helpers', () => {
  it.each([
    ['15.7.2', '15.7.2', 0],
    ['15.10', '15.7.2', 1],
    ['15.7', '15.7.2', -1],
    ['26.1', '26.1.0', 0],
    ['14.8.1', '14.8.2', -1],
  ])('compareVersions(%s, %s) = %i', (a, b, r) => expect(compareVersions(a, b)).toBe(r));
  it.each([
    ['YES', true],
    ['JA', true],
    ['oui', true],
    ['NEIN', false],
    ['NO', false],
    ['maybe', undefined],
    [undefined, undefined],
  ])('yesNo(%s)', (v, r) => expect(yesNo(v)).toBe(r));
  it('keyValues keeps the first of duplicate keys and ignores lines without a key', () => {
    const kv = keyValues('a: 1\n: x\nA : 2\nno separator');
    expect(kv.get('a')).toBe('1');
    expect(kv.size).toBe(1);
  });
});

describe('Windows parsers', () => {
  it('reads CurrentBuild, UBR (hex DWORD), DisplayVersion and EditionID from reg query', () => {
    expect(win.parseWindowsVersion(fixture('windows/reg-currentversion-24h2-pro.txt'))).toEqual({
      currentBuild: 26100,
      ubr: 7623,
      displayVersion: '24H2',
      editionId: 'Professional',
      productName: 'Windows 10 Pro',
    });
    expect(win.parseWindowsVersion(fixture('windows/reg-currentversion-win10-home.txt'))).toMatchObject({
      currentBuild: 19045,
      editionId: 'Core',
    });
  });
  it('tolerates a missing UBR and empty output', () => {
    expect(win.parseWindowsVersion(fixture('windows/reg-currentversion-no-ubr-education.txt'))).toMatchObject({
      currentBuild: 22621,
      ubr: undefined,
      editionId: 'Education',
    });
    expect(win.parseWindowsVersion('')).toEqual({
      currentBuild: undefined,
      ubr: undefined,
      displayVersion: undefined,
      editionId: undefined,
      productName: undefined,
    });
  });
  it('reads an empty REG_SZ value as empty', () => {
    const v = win.parseRegQuery('\nHKEY_LOCAL_MACHINE\\X\n    OrgID    REG_SZ    \n');
    expect(v.get('orgid')).toEqual({ name: 'OrgID', type: 'REG_SZ', value: '' });
  });
  it('parses dsregcmd /status (English, clean)', () => {
    expect(win.parseDsregcmd(fixture('windows/dsregcmd-clean-en.txt'))).toEqual({
      azureAdJoined: false,
      enterpriseJoined: false,
      domainJoined: false,
      workplaceJoined: false,
      tenantName: undefined,
      domainName: undefined,
      mdmUrl: undefined,
      fieldsFound: 4,
    });
  });
  it('parses dsregcmd /status with Azure AD join and Intune MDM URL', () => {
    const s = win.parseDsregcmd(fixture('windows/dsregcmd-aadj-intune-en.txt'));
    expect(s).toMatchObject({ azureAdJoined: true, workplaceJoined: false, tenantName: 'Contoso Ltd' });
    expect(s.mdmUrl).toBe('https://enrollment.manage.microsoft.com/enrollmentserver/discovery.svc');
  });
  it('parses German dsregcmd (JA/NEIN, translated headers)', () => {
    expect(win.parseDsregcmd(fixture('windows/dsregcmd-workplace-de.txt'))).toMatchObject({
      azureAdJoined: false,
      workplaceJoined: true,
      domainJoined: false,
    });
  });
  it('reports no fields for output that is not dsregcmd', () => {
    expect(win.parseDsregcmd('Der Befehl wurde nicht gefunden.').fieldsFound).toBe(0);
  });
  it('finds the Administrators SID in English and German whoami /groups', () => {
    expect(win.parseWhoamiGroups(fixture('windows/whoami-groups-admin-en.txt')).isAdmin).toBe(true);
    const de = win.parseWhoamiGroups(fixture('windows/whoami-groups-user-de.txt'));
    expect(de.isAdmin).toBe(false);
    expect(de.sids).toContain('S-1-5-32-545');
  });
  it('reads the user SID from whoami /user', () => {
    expect(win.parseWhoamiUser(fixture('windows/whoami-user-en.txt'))).toEqual({
      name: 'desktop-7q2\\alice',
      sid: 'S-1-5-21-1004336348-1177238915-682003330-1001',
    });
    expect(win.parseWhoamiUser(fixture('windows/whoami-user-builtin-admin.txt')).sid).toMatch(/-500$/);
    expect(win.parseWhoamiUser('')).toEqual({});
  });
  it('parses the PowerShell inventories, including a single object where an array was expected', () => {
    const clean = win.parseInventory(win.WinSystemInventory, fixture('windows/ps-system-clean.json'));
    expect(clean.value).toMatchObject({ services: [], enrollments: [], bitLockerProtection: 1 });
    const managed = win.parseInventory(win.WinSystemInventory, fixture('windows/ps-system-managed.json'));
    expect(managed.value?.enrollments).toEqual([{ ProviderID: 'MS DM Server', UPN: 'alice@contoso.com' }]);
    expect(managed.value?.services.map((s) => s.Name)).toContain('Tanium Client');
    const av = win.parseInventory(win.WinSecurityInventory, fixture('windows/ps-security-sophos.json'));
    expect(av.value?.antivirus.map((a) => a.displayName)).toEqual(['Windows Defender', 'Sophos Anti-Virus']);
    const net = win.parseInventory(win.WinNetworkInventory, fixture('windows/ps-network-vpn.json'));
    expect(net.value?.vpnConnections[0]?.Name).toBe('Office VPN');
  });
  it('explains empty, invalid and unexpected PowerShell output', () => {
    expect(win.parseInventory(win.WinSystemInventory, '').error).toMatch(/printed nothing/);
    expect(win.parseInventory(win.WinSystemInventory, 'Get-Service : Zugriff verweigert').error).toMatch(
      /not valid JSON/,
    );
    expect(win.parseInventory(win.WinSecurityInventory, '{"antivirus":[{"productState":1}]}').error).toMatch(
      /unexpected/,
    );
  });
  it.each([
    [1, 'on'],
    [6, 'on'],
    [2, 'off'],
    [3, 'encrypting'],
    [4, 'decrypting'],
    [5, 'suspended'],
    ['1', 'on'],
    [null, 'unknown'],
    [0, 'unknown'],
  ])('bitLockerState(%s) = %s', (v, r) => expect(win.bitLockerState(v)).toBe(r));
});

describe('macOS parsers', () => {
  it('parses sw_vers', () => {
    expect(mac.parseSwVers(fixture('macos/sw_vers-15.7.2.txt'))).toEqual({
      productName: 'macOS',
      productVersion: '15.7.2',
      buildVersion: '24G325',
    });
    expect(mac.parseSwVers('')).toEqual({ productName: undefined, productVersion: undefined, buildVersion: undefined });
  });
  it('detects beta builds', () => {
    expect(mac.isBetaBuild(mac.parseSwVers(fixture('macos/sw_vers-26-beta.txt')).buildVersion)).toBe(true);
    expect(mac.isBetaBuild('24G325')).toBe(false);
    expect(mac.isBetaBuild(undefined)).toBe(false);
  });
  it('parses profiles status -type enrollment', () => {
    expect(mac.parseProfilesEnrollment(fixture('macos/profiles-clean.txt'))).toEqual({
      dep: false,
      mdm: false,
      server: undefined,
    });
    expect(mac.parseProfilesEnrollment(fixture('macos/profiles-mdm.txt'))).toMatchObject({
      dep: false,
      mdm: true,
      server: expect.stringContaining('manage.microsoft.com'),
    });
    expect(mac.parseProfilesEnrollment(fixture('macos/profiles-dep.txt'))).toMatchObject({ dep: true, mdm: true });
    expect(mac.parseProfilesEnrollment('profiles: command not found')).toEqual({
      dep: undefined,
      mdm: undefined,
      server: undefined,
    });
  });
  it.each([
    ['macos/csrutil-enabled.txt', 'enabled'],
    ['macos/csrutil-disabled.txt', 'disabled'],
    ['macos/csrutil-custom.txt', 'custom'],
  ])('parses csrutil status %s', (f, r) => expect(mac.parseCsrutil(fixture(f))).toBe(r));
  it('csrutil: unknown for empty output', () => expect(mac.parseCsrutil('')).toBe('unknown'));
  it('parses fdesetup status', () => {
    expect(mac.parseFdesetup(fixture('macos/fdesetup-on.txt'))).toEqual({ state: 'on' });
    expect(mac.parseFdesetup(fixture('macos/fdesetup-off.txt'))).toEqual({ state: 'off' });
    expect(mac.parseFdesetup(fixture('macos/fdesetup-encrypting.txt'))).toEqual({
      state: 'encrypting',
      percent: 37.51,
    });
    expect(mac.parseFdesetup('')).toEqual({ state: 'unknown' });
  });
  it('parses mdatp org_id', () => {
    expect(mac.parseMdatpOrgId(fixture('macos/mdatp-orgid-hive.txt'))).toBe('6389e966-e334-461d-86ce-0fed12484620');
    expect(mac.parseMdatpOrgId(fixture('macos/mdatp-no-license.txt'))).toBeUndefined();
    expect(mac.parseMdatpOrgId('""')).toBeUndefined();
  });
  it('parses dseditgroup checkmember', () => {
    expect(mac.parseDseditgroup(fixture('macos/dseditgroup-yes.txt'))).toBe(true);
    expect(mac.parseDseditgroup(fixture('macos/dseditgroup-no.txt'))).toBe(false);
    expect(mac.parseDseditgroup('Group not found.')).toBeUndefined();
  });
  it('parses mdutil -s', () => {
    expect(mac.parseMdutil(fixture('macos/mdutil-enabled.txt'))).toBe('enabled');
    expect(mac.parseMdutil(fixture('macos/mdutil-disabled.txt'))).toBe('disabled');
    expect(mac.parseMdutil('Error: unknown indexing state.')).toBe('unknown');
  });
  it('parses scutil --nc list', () => {
    expect(mac.parseScutilNcList(fixture('macos/scutil-nc-list.txt'))).toEqual([
      { enabled: true, status: 'Disconnected', name: 'Office L2TP', kind: 'PPP/L2TP' },
      { enabled: true, status: 'Connected', name: 'wg-home', kind: 'VPN/WireGuard' },
    ]);
    expect(mac.parseScutilNcList(fixture('macos/scutil-nc-list-empty.txt'))).toEqual([]);
  });
  it('parses systemextensionsctl list by category', () => {
    const ext = mac.parseSystemExtensions(fixture('macos/systemextensionsctl-list.txt'));
    expect(ext.map((e) => [e.category, e.bundleId])).toEqual([
      ['network_extension', 'com.cloudflare.1dot1dot1dot1.macos.extension'],
      ['network_extension', 'com.wireguard.macos.network-extension'],
      ['endpoint_security', 'com.crowdstrike.falcon.Agent'],
    ]);
    expect(ext[2]).toMatchObject({ teamId: 'X9E956P446', name: 'Agent', state: 'activated enabled' });
  });
  it('parses df -k and launchctl', () => {
    expect(mac.parseDfAvailableKb(fixture('macos/df-k-root.txt'))).toBe(198405820);
    expect(mac.parseDfAvailableKb('')).toBeUndefined();
    expect(mac.parseLaunchctlPrintRunning(fixture('macos/launchctl-print-screensharing.txt'))).toBe(true);
    expect(
      mac.parseLaunchctlPrintRunning('Could not find service "com.apple.screensharing" in domain for system'),
    ).toBe(false);
    expect(mac.parseLaunchctlList(fixture('macos/launchctl-list.txt'))).toEqual([
      'com.apple.SafariHistoryServiceAgent',
      'com.cloudflare.1dot1dot1dot1.macos.loginlauncherapp',
    ]);
  });
});

describe('Linux parsers', () => {
  it('parses /etc/os-release (recorded here and from documentation)', () => {
    expect(lin.parseOsRelease(fixture('linux/os-release-debian12.txt'))).toMatchObject({
      ID: 'debian',
      VERSION_ID: '12',
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
    });
    expect(lin.parseOsRelease(fixture('linux/os-release-ubuntu.txt'))).toMatchObject({
      ID: 'ubuntu',
      VERSION_ID: '24.04',
    });
    expect(lin.parseOsRelease('')).toEqual({});
  });
  it('parses id -nG', () => expect(lin.parseIdGroups(fixture('linux/id-groups.txt'))).toContain('sudo'));
  it('parses systemctl is-active lines', () => {
    expect(lin.parseSystemctlIsActive('active\n')).toBe('active');
    expect(lin.parseSystemctlIsActive('')).toBe('unknown');
  });
  it('parses nmcli terse output with escaped colons', () => {
    expect(lin.parseNmcliActive(fixture('linux/nmcli-active.txt'))).toEqual([
      { name: 'Wired connection 1', type: '802-3-ethernet', device: 'enp0s3' },
      { name: 'office:vpn', type: 'vpn', device: 'enp0s3' },
      { name: 'wg0', type: 'wireguard', device: 'wg0' },
    ]);
  });
  it('parses ip link, ip tuntap and lsblk', () => {
    expect(lin.parseIpLinkNames(fixture('linux/ip-link-wireguard.txt'))).toEqual(['wg0']);
    expect(lin.parseIpTuntap(fixture('linux/ip-tuntap.txt'))).toEqual([
      { name: 'tun0', mode: 'tun' },
      { name: 'tap1', mode: 'tap' },
    ]);
    expect(lin.parseLsblk(fixture('linux/lsblk-recorded.txt')).map((d) => d.type)).toEqual(['disk', 'disk']);
    expect(lin.parseLsblk(fixture('linux/lsblk-luks.txt')).some((d) => d.type === 'crypt')).toBe(true);
  });
});
