import {
  bitLockerState,
  parseDsregcmd,
  parseInventory,
  parseRegQuery,
  parseWhoamiGroups,
  parseWhoamiUser,
  parseWindowsVersion,
  WinNetworkInventory,
  WinSecurityInventory,
  WinSystemInventory,
} from '../parsers/windows';
import { decideWindowsVersion } from '../baseline';
import type { Decision, ProbeContext, RunResult } from '../types';
import { defenderDecision } from './defender';
import {
  allExisting,
  completed,
  decideBrowsers,
  decision,
  firefoxTrustsOsRoots,
  output,
  type ProbeSet,
  unknown,
  whyFailed,
} from './util';

/** System32 tools by absolute path, so a PATH entry cannot shadow them. */
function sys32(ctx: ProbeContext, exe: string): string {
  const root = ctx.env.SystemRoot ?? ctx.env.SYSTEMROOT ?? 'C:\\Windows';
  return `${root}\\System32\\${exe}`;
}
const powershell = (ctx: ProbeContext) => sys32(ctx, 'WindowsPowerShell\\v1.0\\powershell.exe');
const PS_ARGS = ['-NoProfile', '-NonInteractive', '-Command'] as const;

export const REG_CURRENT_VERSION = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
export const REG_ATP_STATUS = 'HKLM\\SOFTWARE\\Microsoft\\Windows Advanced Threat Protection\\Status';
export const REG_TANIUM = 'HKLM\\SOFTWARE\\WOW6432Node\\Tanium\\Tanium Client';
export const REG_APP_PATHS = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths';

/** Read-only inventory scripts: constant text, no user input, every section in its own try/catch. */
export const PS_SYSTEM = [
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  "$ErrorActionPreference = 'Stop'",
  '$r = [ordered]@{ errors = @() }',
  'try { $r.services = @(Get-Service | Where-Object { ($_.Name + \' \' + $_.DisplayName) -match \'Tanium|CSFalcon|CrowdStrike|Sentinel|Cloudflare|WARP|ManageEngine|Ivanti|LANDesk|AirWatch|Workspace ONE|ccmexec|SMS Agent|BESClient|BigFix|Kaseya\' } | ForEach-Object { [ordered]@{ Name = $_.Name; DisplayName = $_.DisplayName; Status = "$($_.Status)" } }) } catch { $r.errors += "services: $($_.Exception.Message)" }',
  'try { $r.enrollments = @(Get-ChildItem \'HKLM:\\SOFTWARE\\Microsoft\\Enrollments\' | Get-ItemProperty | Where-Object { $_.EnrollmentState -eq 1 -and $_.ProviderID } | ForEach-Object { [ordered]@{ ProviderID = "$($_.ProviderID)"; UPN = "$($_.UPN)" } }) } catch { $r.errors += "enrollments: $($_.Exception.Message)" }',
  'try { $r.totalPhysicalMemory = (Get-CimInstance -ClassName Win32_ComputerSystem).TotalPhysicalMemory } catch { $r.errors += "memory: $($_.Exception.Message)" }',
  'try { $t = Get-Tpm; $r.tpm = [ordered]@{ present = [bool]$t.TpmPresent; ready = [bool]$t.TpmReady } } catch { $r.errors += "tpm: $($_.Exception.Message)" }',
  'try { $r.secureBoot = [bool](Confirm-SecureBootUEFI) } catch { $r.errors += "secureboot: $($_.Exception.Message)" }',
  "try { $r.bitLockerProtection = (New-Object -ComObject Shell.Application).NameSpace($env:SystemDrive + '\\').Self.ExtendedProperty('System.Volume.BitLockerProtection') } catch { $r.errors += \"bitlocker: $($_.Exception.Message)\" }",
  '$r | ConvertTo-Json -Depth 4 -Compress',
].join('\n');

export const PS_SECURITY = [
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  "$ErrorActionPreference = 'Stop'",
  '$r = [ordered]@{ errors = @() }',
  'try { $r.antivirus = @(Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | ForEach-Object { [ordered]@{ displayName = $_.displayName; productState = $_.productState } }) } catch { $r.errors += "antivirus: $($_.Exception.Message)" }',
  '$r | ConvertTo-Json -Depth 4 -Compress',
].join('\n');

export const PS_NETWORK = [
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  "$ErrorActionPreference = 'Stop'",
  '$r = [ordered]@{ errors = @() }',
  'try { $r.vpnConnections = @(@(Get-VpnConnection) + @(Get-VpnConnection -AllUserConnection) | ForEach-Object { [ordered]@{ Name = $_.Name; ConnectionStatus = "$($_.ConnectionStatus)"; ServerAddress = $_.ServerAddress } }) } catch { $r.errors += "vpn: $($_.Exception.Message)" }',
  'try { $r.adapters = @(Get-NetAdapter | Where-Object { $_.InterfaceDescription -match \'TAP|Wintun|WireGuard|VPN|Tailscale|ZeroTier|Cisco|Fortinet|PANGP|Juniper|Zscaler\' } | ForEach-Object { [ordered]@{ Name = $_.Name; InterfaceDescription = $_.InterfaceDescription; Status = "$($_.Status)" } }) } catch { $r.errors += "adapters: $($_.Exception.Message)" }',
  '$r | ConvertTo-Json -Depth 4 -Compress',
].join('\n');

async function ps(ctx: ProbeContext, script: string): Promise<{ file: string; args: string[]; res: RunResult }> {
  const file = powershell(ctx);
  const args = [...PS_ARGS, script];
  return { file, args, res: await ctx.run(file, args) };
}

async function reg(ctx: ProbeContext, args: string[]): Promise<{ file: string; args: string[]; res: RunResult }> {
  const file = sys32(ctx, 'reg.exe');
  return { file, args, res: await ctx.run(file, args) };
}

async function systemInventory(ctx: ProbeContext) {
  const r = await ps(ctx, PS_SYSTEM);
  if (!completed(r.res)) return { error: whyFailed(r.file, ['-Command', '<system inventory>'], r.res) };
  const parsed = parseInventory(WinSystemInventory, r.res.stdout);
  return parsed.value ? { value: parsed.value } : { error: `system inventory: ${parsed.error}` };
}

const TANIUM = /tanium/i;
const WARP = /cloudflare|warp/i;
const EDR = /CSFalcon|CrowdStrike|Sentinel/i;
const OTHER_UEM = /ManageEngine|Ivanti|LANDesk|AirWatch|Workspace ONE|ccmexec|SMS Agent|BESClient|BigFix|Kaseya/i;

function serviceLabel(s: { Name: string; DisplayName?: string; Status?: string }): string {
  return `${s.DisplayName ?? s.Name} [${s.Name}] (${s.Status ?? 'status unknown'})`;
}

async function versionInfo(ctx: ProbeContext) {
  const r = await reg(ctx, ['query', REG_CURRENT_VERSION, '/reg:64']);
  return { ...r, version: completed(r.res) && r.res.code === 0 ? parseWindowsVersion(r.res.stdout) : undefined };
}

async function whoamiGroups(ctx: ProbeContext) {
  const file = sys32(ctx, 'whoami.exe');
  const args = ['/groups'];
  const res = await ctx.run(file, args);
  return { file, args, res, groups: completed(res) && res.code === 0 ? parseWhoamiGroups(res.stdout) : undefined };
}

async function dsreg(ctx: ProbeContext) {
  const file = sys32(ctx, 'dsregcmd.exe');
  const args = ['/status'];
  const res = await ctx.run(file, args);
  const status = completed(res) ? parseDsregcmd(res.stdout) : undefined;
  return { file, args, res, status: status && status.fieldsFound > 0 ? status : undefined };
}

export const windowsChecks: ProbeSet = {
  'SEED-01': async () => decision('PASS', 'Windows (runtime OS win32).'),

  'SEED-02': async (ctx) => {
    const { baseline, note: baselineNote } = await ctx.osBaseline();
    const v = await versionInfo(ctx);
    if (!v.version) return unknown(`${whyFailed(v.file, v.args, v.res)}. ${baselineNote}`);
    if (v.version.currentBuild === undefined) return unknown(`CurrentBuild not found in the registry. ${baselineNote}`);
    const d = decideWindowsVersion(baseline, v.version.currentBuild, v.version.ubr);
    const seen = `${v.version.productName ?? 'Windows'} ${v.version.displayVersion ?? ''} (CurrentBuild ${v.version.currentBuild}, UBR ${v.version.ubr ?? '?'})`;
    return { ...d, evidence: `${d.evidence} Seen: ${seen}. ${baselineNote}` };
  },

  'SEED-03': async (ctx) => {
    const v = await versionInfo(ctx);
    if (!v.version) return unknown(whyFailed(v.file, v.args, v.res));
    const edition = v.version.editionId;
    if (!edition) return unknown('EditionID not found in the registry.');
    const seen = `EditionID ${edition}${v.version.productName ? ` (${v.version.productName})` : ''}`;
    if (/^Core/i.test(edition)) return decision('FAIL', `${seen}: Windows Home.`);
    if (/^(Professional|Enterprise)/i.test(edition)) return decision('PASS', `${seen}.`);
    if (/^Education/i.test(edition)) return decision('WARN', `${seen}: Education is not documented as supported.`);
    return decision('WARN', `${seen}: not a documented edition.`);
  },

  'SEED-04': async (ctx) => {
    const inv = await systemInventory(ctx);
    if (!inv.value) return unknown(inv.error ?? 'no inventory');
    const bytes = Number(inv.value.totalPhysicalMemory);
    const facts = [Number.isFinite(bytes) && bytes > 0 ? `${(bytes / 1024 ** 3).toFixed(1)} GB RAM` : 'RAM unknown'];
    const tpm = inv.value.tpm;
    const secureBoot = inv.value.secureBoot;
    facts.push(
      tpm
        ? `TPM ${tpm.present ? (tpm.ready ? 'present and ready' : 'present, not ready') : 'not present'}`
        : 'TPM unknown',
    );
    facts.push(typeof secureBoot === 'boolean' ? `Secure Boot ${secureBoot ? 'on' : 'off'}` : 'Secure Boot unknown');
    const needsElevation = !tpm || typeof secureBoot !== 'boolean';
    return decision(
      'INFO',
      `${facts.join('; ')}. Windows 11 requires TPM 2.0 and Secure Boot.${needsElevation ? ' TPM and Secure Boot can only be read with admin rights (Get-Tpm, Confirm-SecureBootUEFI).' : ''}`,
      { needsElevation },
    );
  },

  'SEED-05': async (ctx) => {
    const g = await whoamiGroups(ctx);
    if (!g.groups) return unknown(whyFailed(g.file, g.args, g.res));
    const offshore =
      ctx.businessOperation === 'offshore' ? ' Offshore (SEED+): admin rights are removed after onboarding.' : '';
    return g.groups.isAdmin
      ? decision('PASS', `Member of Administrators (S-1-5-32-544).${offshore}`)
      : decision(
          'FAIL',
          `Not a member of Administrators (S-1-5-32-544 not in whoami /groups; ${g.groups.sids.length} groups seen).`,
        );
  },

  'SEED-06': async (ctx) => {
    const file = sys32(ctx, 'whoami.exe');
    const args = ['/user'];
    const [res, g] = await Promise.all([ctx.run(file, args), whoamiGroups(ctx)]);
    if (!completed(res) || res.code !== 0) return unknown(whyFailed(file, args, res));
    const user = parseWhoamiUser(res.stdout);
    if (!user.sid) return unknown(`No SID in whoami /user output. ${output(file, args, res)}`);
    const seen = `${user.name ?? 'user'} ${user.sid}`;
    if (/-500$/.test(user.sid)) return decision('FAIL', `Signed in as the built-in Administrator (${seen}).`);
    if (g.groups && !g.groups.isAdmin) return decision('WARN', `${seen} is not a local administrator.`);
    if (!g.groups) return decision('PASS', `${seen} is not the built-in Administrator (admin membership unknown).`);
    return decision('PASS', `${seen} is a personal admin account.`);
  },

  'SEED-07': async (ctx) => {
    const [hklm, hkcu] = await Promise.all([
      reg(ctx, ['query', `HKLM\\${REG_APP_PATHS}`, '/reg:64']),
      reg(ctx, ['query', `HKCU\\${REG_APP_PATHS}`]),
    ]);
    if (!completed(hklm.res)) return unknown(whyFailed(hklm.file, hklm.args, hklm.res));
    const keys = `${hklm.res.stdout}\n${hkcu.res.stdout}`.toLowerCase();
    const appData = ctx.env.APPDATA;
    const programFiles = ctx.env.ProgramFiles ?? 'C:\\Program Files';
    const x86 = ctx.env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)';
    // Default install folders, for installs that did not register an App Path.
    const installed = await allExisting(ctx, [
      `${programFiles}\\Google\\Chrome\\Application\\chrome.exe`,
      `${x86}\\Microsoft\\Edge\\Application\\msedge.exe`,
      `${programFiles}\\Mozilla Firefox\\firefox.exe`,
    ]);
    const has = (exe: string) =>
      keys.includes(`\\${exe}`) || installed.some((p) => p.toLowerCase().endsWith(`\\${exe}`));
    const found: string[] = [];
    if (has('chrome.exe')) found.push('Chrome');
    if (has('msedge.exe')) found.push('Edge');
    if (has('firefox.exe')) found.push('Firefox');
    const trust = found.includes('Firefox')
      ? await firefoxTrustsOsRoots(ctx, appData ? [`${appData}\\Mozilla\\Firefox\\Profiles`] : [], [
          `${programFiles}\\Mozilla Firefox\\distribution\\policies.json`,
        ])
      : undefined;
    return decideBrowsers(found, trust, '(App Paths in HKLM/HKCU and default install folders)');
  },

  'SEED-08': async (ctx) => {
    const [d, inv] = await Promise.all([dsreg(ctx), systemInventory(ctx)]);
    if (!d.status && !inv.value) return unknown(`${whyFailed(d.file, d.args, d.res)}; ${inv.error}`);
    const findings: string[] = [];
    let fail = false;
    let warn = false;
    if (d.status) {
      const s = d.status;
      if (s.azureAdJoined) findings.push(`Azure AD joined${s.tenantName ? ` to ${s.tenantName}` : ''}`);
      if (s.workplaceJoined)
        findings.push(
          `work or school account connected (WorkplaceJoined)${s.tenantName ? ` for ${s.tenantName}` : ''}`,
        );
      if (s.mdmUrl) findings.push(`MDM URL ${s.mdmUrl}`);
      fail = Boolean(s.azureAdJoined || s.workplaceJoined || s.mdmUrl);
      if (s.domainJoined) {
        warn = true;
        findings.push(`domain joined${s.domainName ? ` (${s.domainName})` : ''}`);
      }
    } else {
      findings.push(`dsregcmd unreadable: ${whyFailed(d.file, d.args, d.res)}`);
    }
    for (const e of inv.value?.enrollments ?? []) {
      fail = true;
      findings.push(
        `active MDM enrolment ${e.ProviderID ?? '?'}${e.ProviderID === 'MS DM Server' ? ' (Intune)' : ''}${e.UPN ? ` as ${e.UPN}` : ''}`,
      );
    }
    const evidence = findings.length
      ? findings.join('; ') + '.'
      : 'Not Azure AD joined, no work or school account, no MDM enrolment.';
    if (fail) return decision('FAIL', evidence);
    if (!d.status || !inv.value) return decision('UNKNOWN', `${evidence} ${inv.error ?? ''}`.trim());
    return decision(warn ? 'WARN' : 'PASS', evidence);
  },

  'SEED-09': async (ctx) => {
    const x86 = ctx.env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)';
    const [inv, key, paths] = await Promise.all([
      systemInventory(ctx),
      reg(ctx, ['query', REG_TANIUM]),
      allExisting(ctx, [`${x86}\\Tanium\\Tanium Client`]),
    ]);
    const services = inv.value?.services ?? [];
    const tanium = services.filter((s) => TANIUM.test(`${s.Name} ${s.DisplayName ?? ''}`)).map(serviceLabel);
    if (completed(key.res) && key.res.code === 0) tanium.push(`registry key ${REG_TANIUM}`);
    tanium.push(...paths);
    const others = services.filter((s) => OTHER_UEM.test(`${s.Name} ${s.DisplayName ?? ''}`)).map(serviceLabel);
    if (tanium.length) return decision('FAIL', `Tanium Client found: ${tanium.join('; ')}.`);
    if (others.length) return decision('WARN', `Other endpoint management found: ${others.join('; ')}.`);
    if (!inv.value) return unknown(`No Tanium folder or registry key; services unreadable: ${inv.error}`);
    return decision('PASS', 'No Tanium Client or other endpoint management service, folder or registry key.');
  },

  'SEED-10': async (ctx) => {
    const pf = ctx.env.ProgramFiles ?? 'C:\\Program Files';
    const [inv, paths] = await Promise.all([
      systemInventory(ctx),
      allExisting(ctx, [`${pf}\\Cloudflare\\Cloudflare WARP\\warp-cli.exe`]),
    ]);
    const warp = (inv.value?.services ?? [])
      .filter((s) => WARP.test(`${s.Name} ${s.DisplayName ?? ''}`))
      .map(serviceLabel);
    warp.push(...paths);
    if (warp.length) return decision('FAIL', `Cloudflare WARP found: ${warp.join('; ')}.`);
    if (!inv.value) return unknown(`warp-cli.exe not found; services unreadable: ${inv.error}`);
    return decision('PASS', 'No CloudflareWARP service and no warp-cli.exe.');
  },

  'SEED-11': async (ctx) => {
    const r = await ps(ctx, PS_NETWORK);
    if (!completed(r.res)) return unknown(whyFailed(r.file, ['-Command', '<network inventory>'], r.res));
    const parsed = parseInventory(WinNetworkInventory, r.res.stdout);
    if (!parsed.value) return unknown(`network inventory: ${parsed.error}`);
    const { vpnConnections, adapters, errors } = parsed.value;
    const connected = [
      ...vpnConnections
        .filter((v) => /^connected$/i.test(v.ConnectionStatus ?? ''))
        .map((v) => `VPN "${v.Name}" connected`),
      ...adapters
        .filter((a) => /^up$/i.test(a.Status ?? ''))
        .map((a) => `adapter ${a.Name} (${a.InterfaceDescription ?? ''}) up`),
    ];
    const present = [
      ...vpnConnections.map((v) => `VPN profile "${v.Name}" (${v.ConnectionStatus ?? '?'})`),
      ...adapters.map((a) => `adapter ${a.Name} (${a.InterfaceDescription ?? ''}, ${a.Status ?? '?'})`),
    ];
    if (connected.length) return decision('FAIL', `Connected now: ${connected.join('; ')}.`);
    if (present.length) return decision('WARN', `VPN software present: ${present.join('; ')}.`);
    if (errors.length) return unknown(`No VPN found, but: ${errors.join('; ')}`);
    return decision('PASS', 'No VPN profiles and no VPN/tunnel adapters.');
  },

  'SEED-12': async (ctx) => {
    const r = await reg(ctx, ['query', REG_ATP_STATUS, '/v', 'OrgID', '/reg:64']);
    if (!completed(r.res)) return unknown(whyFailed(r.file, r.args, r.res));
    if (r.res.code !== 0) {
      const msg = `${r.res.stderr}\n${r.res.stdout}`;
      if (/denied|verweigert|refusé|denegado|negado|拒绝/i.test(msg)) {
        return unknown(`Reading ${REG_ATP_STATUS} needs admin rights: ${msg.trim()}`, true);
      }
      return defenderDecision(undefined, `(${REG_ATP_STATUS}\\OrgID absent)`);
    }
    const orgId = parseRegQuery(r.res.stdout).get('orgid')?.value;
    return defenderDecision(orgId || undefined, `(${REG_ATP_STATUS}\\OrgID)`);
  },

  'SEED-13': async (ctx) => {
    const [inv, sec] = await Promise.all([systemInventory(ctx), ps(ctx, PS_SECURITY)]);
    const av = completed(sec.res)
      ? parseInventory(WinSecurityInventory, sec.res.stdout)
      : { error: whyFailed(sec.file, ['-Command', '<security inventory>'], sec.res) };
    const products = (av.value?.antivirus ?? [])
      .map((a) => a.displayName)
      .filter((n) => !/Windows Defender|Microsoft Defender/i.test(n));
    const edr = [
      ...(inv.value?.services ?? []).filter((s) => EDR.test(`${s.Name} ${s.DisplayName ?? ''}`)).map(serviceLabel),
      ...products.filter((n) => EDR.test(n)),
    ];
    const otherAv = products.filter((n) => !EDR.test(n));
    if (edr.length)
      return decision(
        'FAIL',
        `EDR already present: ${edr.join('; ')}.${otherAv.length ? ` Other antivirus: ${otherAv.join(', ')}.` : ''}`,
      );
    if (otherAv.length) return decision('WARN', `Other antivirus registered: ${otherAv.join(', ')}.`);
    if (!av.value || !inv.value)
      return unknown(`No EDR seen, but: ${[av.error, inv.error].filter(Boolean).join('; ')}`);
    return decision(
      'PASS',
      'Only Microsoft Defender Antivirus (or nothing) registered; no CrowdStrike or SentinelOne service.',
    );
  },

  'SEED-14': async () => decision('N/A', 'System Integrity Protection is a macOS check.'),

  'SEED-15': async (ctx) => {
    const inv = await systemInventory(ctx);
    if (!inv.value) return unknown(inv.error ?? 'no inventory', true);
    const state = bitLockerState(inv.value.bitLockerProtection);
    const seen = `BitLocker on the system drive: ${state} (System.Volume.BitLockerProtection = ${String(inv.value.bitLockerProtection ?? 'absent')}).`;
    switch (state) {
      case 'on':
        return decision('PASS', seen);
      case 'encrypting':
        return decision('WARN', `${seen} Wait until encryption finishes.`);
      case 'off':
      case 'decrypting':
        return decision('FAIL', seen);
      case 'suspended':
        return decision('FAIL', `${seen} Resume BitLocker protection.`);
      default:
        return unknown(`${seen} Check with admin rights: manage-bde -status ${ctx.env.SystemDrive ?? 'C:'}`, true);
    }
  },
};

export { dsreg as windowsDsreg };

/** SEED-17 on Windows: a government tenant together with a domain join looks like a GSIB/DWP image. */
export async function windowsGovImage(ctx: ProbeContext): Promise<Decision | undefined> {
  const d = await dsreg(ctx);
  if (!d.status) return undefined;
  const gov = /SG\s*Gov|gov\.sg|GovTech|Government/i.test(d.status.tenantName ?? '');
  if (gov && d.status.domainJoined) {
    return decision(
      'WARN',
      `Looks like a government-managed image: tenant "${d.status.tenantName}" and domain joined. GSIB and DWP devices cannot be onboarded.`,
    );
  }
  return undefined;
}
