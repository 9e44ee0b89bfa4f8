import { decideMacVersion } from '../baseline';
import {
  isBetaBuild,
  parseCsrutil,
  parseDfAvailableKb,
  parseDseditgroup,
  parseFdesetup,
  parseLaunchctlList,
  parseLaunchctlPrintRunning,
  parseMdutil,
  parseProfilesEnrollment,
  parseScutilNcList,
  parseSwVers,
  parseSystemExtensions,
} from '../parsers/macos';
import type { ProbeContext } from '../types';
import { defenderDecision, mdatpDecision } from './defender';
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

const SW_VERS = '/usr/bin/sw_vers';
const LAUNCHCTL = '/bin/launchctl';
const SYSEXT = '/usr/bin/systemextensionsctl';
/** Minimum free space on the system volume before onboarding [DEFAULT]. */
export const MIN_FREE_KB = 20 * 1024 * 1024;

async function cmd(ctx: ProbeContext, file: string, args: string[]) {
  return { file, args, res: await ctx.run(file, args) };
}

const systemExtensions = (ctx: ProbeContext) => cmd(ctx, SYSEXT, ['list']);

const OTHER_UEM_PATHS = [
  '/usr/local/jamf',
  '/Library/Application Support/JAMF',
  '/Library/Kandji',
  '/Library/Application Support/Mosyle',
  '/Library/Application Support/AirWatch',
  '/Applications/Workspace ONE Intelligent Hub.app',
  '/Library/ManageEngine',
  '/Library/Application Support/LANDesk',
  '/Library/Application Support/Ivanti',
  '/Library/BESAgent',
];

const VPN_APPS = [
  'NordVPN',
  'ExpressVPN',
  'Surfshark',
  'ProtonVPN',
  'Proton VPN',
  'Tunnelblick',
  'Viscosity',
  'GlobalProtect',
  'Cisco Secure Client',
  'Cisco AnyConnect Secure Mobility Client',
  'FortiClient',
  'Zscaler',
  'Tailscale',
  'WireGuard',
];

const AV_APPS = [
  'Sophos Endpoint',
  'Norton 360',
  'McAfee Endpoint Security for Mac',
  'Bitdefender',
  'Avast',
  'Kaspersky Internet Security',
  'ESET Endpoint Security',
  'Trend Micro Security',
  'Malwarebytes',
];
const EDR_APPS = [
  '/Applications/Falcon.app',
  '/Applications/SentinelOne/SentinelOne Extensions.app',
  '/Library/Sentinel',
];

export const macosChecks: ProbeSet = {
  'SEED-01': async () => decision('PASS', 'macOS (Darwin).'),

  'SEED-02': async (ctx) => {
    const { baseline, note: baselineNote } = await ctx.osBaseline();
    const r = await cmd(ctx, SW_VERS, []);
    if (!completed(r.res) || r.res.code !== 0) return unknown(`${whyFailed(r.file, r.args, r.res)}. ${baselineNote}`);
    const v = parseSwVers(r.res.stdout);
    if (!v.productVersion) return unknown(`No ProductVersion in sw_vers output. ${output(r.file, r.args, r.res)}`);
    const d = decideMacVersion(baseline, v.productVersion);
    const seen = `Build ${v.buildVersion ?? '?'}. ${baselineNote}`;
    if (d.status === 'PASS' && isBetaBuild(v.buildVersion)) {
      return decision(
        'WARN',
        `${d.evidence} Build ${v.buildVersion} is a beta/seed build, which SEED does not support. ${baselineNote}`,
      );
    }
    return { ...d, evidence: `${d.evidence} ${seen}` };
  },

  'SEED-03': async () => decision('N/A', 'Windows edition check; not applicable to macOS.'),

  'SEED-04': async () =>
    decision('INFO', 'On macOS the hardware requirement is implied by the supported OS version (SEED-02).'),

  'SEED-05': async (ctx) => {
    const r = await cmd(ctx, '/usr/sbin/dseditgroup', ['-o', 'checkmember', '-m', ctx.username, 'admin']);
    if (!completed(r.res)) return unknown(whyFailed(r.file, r.args, r.res));
    const member = parseDseditgroup(r.res.stdout);
    if (member === undefined) return unknown(output(r.file, r.args, r.res));
    const offshore =
      ctx.businessOperation === 'offshore' ? ' Offshore (SEED+): admin rights are removed after onboarding.' : '';
    return member ? decision('PASS', `${r.res.stdout.trim()}.${offshore}`) : decision('FAIL', r.res.stdout.trim());
  },

  'SEED-06': async () => decision('N/A', 'Built-in Administrator check is Windows only.'),

  'SEED-07': async (ctx) => {
    const apps = {
      Chrome: '/Applications/Google Chrome.app',
      Edge: '/Applications/Microsoft Edge.app',
      Firefox: '/Applications/Firefox.app',
      Safari: '/Applications/Safari.app',
    };
    const present = await allExisting(ctx, Object.values(apps));
    const found = Object.entries(apps)
      .filter(([, p]) => present.includes(p))
      .map(([n]) => n);
    const trust = found.includes('Firefox')
      ? await firefoxTrustsOsRoots(
          ctx,
          [`${ctx.homeDir}/Library/Application Support/Firefox/Profiles`],
          ['/Applications/Firefox.app/Contents/Resources/distribution/policies.json'],
        )
      : undefined;
    return decideBrowsers(found, trust, '(/Applications)');
  },

  'SEED-08': async (ctx) => {
    const [r, intune] = await Promise.all([
      cmd(ctx, '/usr/bin/profiles', ['status', '-type', 'enrollment']),
      allExisting(ctx, ['/Library/Intune/Microsoft Intune Agent.app']),
    ]);
    if (!completed(r.res)) return unknown(whyFailed(r.file, r.args, r.res));
    const e = parseProfilesEnrollment(r.res.stdout);
    const hint = intune.length ? ' Microsoft Intune Agent is installed (vendor: Intune).' : '';
    if (e.dep)
      return decision(
        'FAIL',
        `Enrolled via DEP: the organisation's IT must release this Mac.${hint} ${output(r.file, r.args, r.res)}`,
      );
    if (e.mdm)
      return decision(
        'FAIL',
        `MDM enrollment: Yes${e.server ? ` (${e.server})` : ''}.${hint} ${output(r.file, r.args, r.res)}`,
      );
    if (e.mdm === undefined && e.dep === undefined)
      return unknown(`Unrecognised output. ${whyFailed(r.file, r.args, r.res)}`);
    if (intune.length)
      return decision(
        'WARN',
        `Not enrolled, but the Microsoft Intune Agent is installed (leftover?). ${output(r.file, r.args, r.res)}`,
      );
    return decision('PASS', output(r.file, r.args, r.res));
  },

  'SEED-09': async (ctx) => {
    const [paths, launchd, others] = await Promise.all([
      allExisting(ctx, ['/Library/Tanium/TaniumClient']),
      cmd(ctx, LAUNCHCTL, ['print', 'system/com.tanium.taniumclient']),
      allExisting(ctx, OTHER_UEM_PATHS),
    ]);
    const tanium = [...paths];
    if (completed(launchd.res) && launchd.res.code === 0) tanium.push('launchd service system/com.tanium.taniumclient');
    if (tanium.length) return decision('FAIL', `Tanium Client found: ${tanium.join('; ')}.`);
    if (others.length) return decision('WARN', `Other endpoint management found: ${others.join('; ')}.`);
    return decision(
      'PASS',
      'No /Library/Tanium/TaniumClient, no com.tanium.taniumclient service, no other known UEM agent.',
    );
  },

  'SEED-10': async (ctx) => {
    const [app, cli, list] = await Promise.all([
      allExisting(ctx, ['/Applications/Cloudflare WARP.app']),
      ctx.fs.which('warp-cli'),
      cmd(ctx, LAUNCHCTL, ['list']),
    ]);
    const labels = completed(list.res) ? parseLaunchctlList(list.res.stdout).filter((l) => /cloudflare/i.test(l)) : [];
    const found = [...app, ...(cli ? [cli] : []), ...labels.map((l) => `launchd ${l}`)];
    if (found.length) return decision('FAIL', `Cloudflare WARP found: ${found.join('; ')}.`);
    return decision('PASS', 'No Cloudflare WARP.app, no warp-cli, no Cloudflare launchd job.');
  },

  'SEED-11': async (ctx) => {
    const [nc, ext, apps] = await Promise.all([
      cmd(ctx, '/usr/sbin/scutil', ['--nc', 'list']),
      systemExtensions(ctx),
      allExisting(
        ctx,
        VPN_APPS.map((a) => `/Applications/${a}.app`),
      ),
    ]);
    const services = completed(nc.res) ? parseScutilNcList(nc.res.stdout) : [];
    const connected = services.filter((s) => /^connected$/i.test(s.status)).map((s) => `"${s.name}" ${s.kind}`);
    const netExt = completed(ext.res)
      ? parseSystemExtensions(ext.res.stdout).filter(
          (e) =>
            /network_extension/.test(e.category) &&
            /vpn|packet|tunnel|network/i.test(`${e.bundleId} ${e.name}`) &&
            !/cloudflare/i.test(e.bundleId) &&
            /activated/i.test(e.state),
        )
      : [];
    if (connected.length) return decision('FAIL', `VPN connected now: ${connected.join('; ')}.`);
    const present = [
      ...services.map((s) => `VPN service "${s.name}" (${s.status})`),
      ...netExt.map((e) => `network extension ${e.bundleId} (${e.name})`),
      ...apps,
    ];
    if (present.length) return decision('WARN', `VPN software present: ${present.join('; ')}.`);
    if (!completed(nc.res)) return unknown(`No VPN app found; ${whyFailed(nc.file, nc.args, nc.res)}`);
    return decision('PASS', 'No VPN services (scutil --nc list), no VPN network extensions, no known VPN apps.');
  },

  'SEED-12': async (ctx) => {
    const mdatp = await ctx.fs.which('mdatp');
    const app = await allExisting(ctx, ['/Applications/Microsoft Defender.app']);
    if (!mdatp)
      return defenderDecision(
        undefined,
        `(mdatp not installed${app.length ? '; Microsoft Defender.app present' : ''})`,
      );
    return mdatpDecision(ctx, mdatp);
  },

  'SEED-13': async (ctx) => {
    const [edr, av, ext] = await Promise.all([
      allExisting(ctx, EDR_APPS),
      allExisting(
        ctx,
        AV_APPS.map((a) => `/Applications/${a}.app`),
      ),
      systemExtensions(ctx),
    ]);
    const es = completed(ext.res)
      ? parseSystemExtensions(ext.res.stdout).filter(
          (e) => /endpoint_security/.test(e.category) && /activated/i.test(e.state),
        )
      : [];
    const esEdr = es
      .filter((e) => /crowdstrike|sentinel/i.test(e.bundleId))
      .map((e) => `endpoint security extension ${e.bundleId}`);
    const esOther = es
      .filter((e) => !/crowdstrike|sentinel/i.test(e.bundleId))
      .map((e) => `endpoint security extension ${e.bundleId} (${e.name})`);
    if (edr.length || esEdr.length) {
      return decision(
        'FAIL',
        `EDR already present: ${[...edr, ...esEdr].join('; ')}. Its status: sudo /Applications/Falcon.app/Contents/Resources/falconctl stats`,
        { needsElevation: true },
      );
    }
    if (av.length || esOther.length)
      return decision('WARN', `Other antivirus/security software: ${[...av, ...esOther].join('; ')}.`);
    if (!completed(ext.res))
      return decision(
        'PASS',
        `No known EDR or antivirus app found (system extensions unreadable: ${whyFailed(ext.file, ext.args, ext.res)}).`,
      );
    return decision(
      'PASS',
      'No CrowdStrike Falcon, SentinelOne or known antivirus; no third-party endpoint security extension.',
    );
  },

  'SEED-14': async (ctx) => {
    const r = await cmd(ctx, '/usr/bin/csrutil', ['status']);
    if (!completed(r.res)) return unknown(whyFailed(r.file, r.args, r.res));
    const state = parseCsrutil(r.res.stdout);
    const ev = output(r.file, r.args, r.res, 300);
    if (state === 'enabled') return decision('PASS', ev);
    if (state === 'disabled') return decision('FAIL', ev);
    if (state === 'custom') return decision('WARN', `SIP is partly disabled (custom configuration). ${ev}`);
    return unknown(ev);
  },

  'SEED-15': async (ctx) => {
    const r = await cmd(ctx, '/usr/bin/fdesetup', ['status']);
    if (!completed(r.res)) return unknown(whyFailed(r.file, r.args, r.res));
    const fv = parseFdesetup(r.res.stdout);
    const ev = output(r.file, r.args, r.res, 300);
    switch (fv.state) {
      case 'on':
        return decision('PASS', ev);
      case 'encrypting':
        return decision(
          'WARN',
          `FileVault is still encrypting${fv.percent === undefined ? '' : ` (${fv.percent}%)`}; wait until it finishes. ${ev}`,
        );
      case 'off':
      case 'decrypting':
        return decision('FAIL', ev);
      default:
        return unknown(ev);
    }
  },

  'SEED-19': async (ctx) => {
    const [df, screen] = await Promise.all([
      cmd(ctx, '/bin/df', ['-k', '/']),
      cmd(ctx, LAUNCHCTL, ['print', 'system/com.apple.screensharing']),
    ]);
    const warnings: string[] = [];
    const facts: string[] = [];
    const kb = completed(df.res) ? parseDfAvailableKb(df.res.stdout) : undefined;
    if (kb === undefined) facts.push(`free space unknown (${whyFailed(df.file, df.args, df.res)})`);
    else if (kb < MIN_FREE_KB) warnings.push(`only ${(kb / 1024 ** 2).toFixed(1)} GB free on / (20 GB needed)`);
    else facts.push(`${(kb / 1024 ** 2).toFixed(1)} GB free on /`);
    if (completed(screen.res) && parseLaunchctlPrintRunning(screen.res.stdout))
      warnings.push('Screen Sharing is running: do not onboard through remote control');
    else facts.push('Screen Sharing not running');
    const note = 'On macOS 15, allow Cloudflare WARP through the firewall when asked after onboarding.';
    if (warnings.length) return decision('WARN', `${warnings.join('; ')}. ${facts.join('; ')}. ${note}`);
    if (kb === undefined) return unknown(`${facts.join('; ')}. ${note}`);
    return decision('PASS', `${facts.join('; ')}. ${note}`);
  },

  'SEED-20': async (ctx) => {
    const r = await cmd(ctx, '/usr/bin/mdutil', ['-s', '/']);
    if (!completed(r.res)) return unknown(whyFailed(r.file, r.args, r.res));
    const state = parseMdutil(r.res.stdout);
    const ev = output(r.file, r.args, r.res, 300);
    if (state === 'enabled') return decision('PASS', ev);
    if (state === 'disabled') return decision('INFO', `Spotlight indexing is off. ${ev}`);
    return unknown(ev);
  },
};

/** SEED-16 on macOS: fdesetup haspersonalrecoverykey needs root; without it the user confirms. */
export async function macRecoveryKey(ctx: ProbeContext): Promise<boolean | undefined> {
  const r = await cmd(ctx, '/usr/bin/fdesetup', ['haspersonalrecoverykey']);
  if (!completed(r.res) || r.res.code !== 0) return undefined;
  const v = r.res.stdout.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}
