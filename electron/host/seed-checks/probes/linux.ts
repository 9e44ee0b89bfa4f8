import {
  parseIdGroups,
  parseIpLinkNames,
  parseIpTuntap,
  parseLsblk,
  parseNmcliActive,
  parseOsRelease,
  parseSystemctlIsActive,
} from '../parsers/linux';
import type { ProbeContext } from '../types';
import { defenderDecision, mdatpDecision } from './defender';
import {
  allExisting,
  completed,
  decideBrowsers,
  decision,
  firefoxTrustsOsRoots,
  type ProbeSet,
  unknown,
  whyFailed,
} from './util';

/** Units looked up with one `systemctl is-active` call (one output line per unit, in order). */
export const LINUX_UNITS = [
  'taniumclient',
  'warp-svc',
  'falcon-sensor',
  'sentinelone',
  'clamav-daemon',
  'clamd',
  'landscape-client',
  'puppet',
] as const;

async function cmd(ctx: ProbeContext, file: string, args: string[]) {
  return { file, args, res: await ctx.run(file, args) };
}

async function which(ctx: ProbeContext, file: string): Promise<string | undefined> {
  return ctx.fs.which(file);
}

/** Unit → state ("active", "inactive", …); empty when systemctl is absent or did not answer. */
async function unitStates(ctx: ProbeContext): Promise<{ states: Map<string, string>; why?: string }> {
  const systemctl = await which(ctx, 'systemctl');
  if (!systemctl) return { states: new Map(), why: 'systemctl not found' };
  const args = ['is-active', ...LINUX_UNITS];
  const res = await ctx.run(systemctl, args);
  if (!completed(res)) return { states: new Map(), why: whyFailed(systemctl, args, res) };
  const rows = res.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (rows.length !== LINUX_UNITS.length)
    return { states: new Map(), why: `unexpected systemctl output: ${res.stdout.trim() || res.stderr.trim()}` };
  return { states: new Map(LINUX_UNITS.map((u, i) => [u, parseSystemctlIsActive(rows[i])])) };
}

const activeUnits = (states: Map<string, string>, units: readonly string[]) =>
  units.filter((u) => states.get(u) === 'active').map((u) => `service ${u} active`);

export const linuxChecks: ProbeSet = {
  'SEED-01': async (ctx) => {
    const rel = parseOsRelease(await ctx.fs.readText('/etc/os-release'));
    return decision('FAIL', `Linux${rel.PRETTY_NAME ? ` (${rel.PRETTY_NAME})` : ''}: SEED does not support Linux.`);
  },

  'SEED-02': async (ctx) => {
    const { note: baselineNote } = await ctx.osBaseline();
    const text = await ctx.fs.readText('/etc/os-release');
    if (text === undefined) return unknown('/etc/os-release could not be read.');
    const rel = parseOsRelease(text);
    if (!rel.ID) return unknown('/etc/os-release has no ID.');
    return decision(
      'INFO',
      `${rel.ID} ${rel.VERSION_ID ?? ''} (${rel.PRETTY_NAME ?? rel.NAME ?? rel.ID}). Informational: SEED supports only Windows 11 and macOS. ${baselineNote}`,
    );
  },

  'SEED-03': async () => decision('N/A', 'Windows edition check; not applicable to Linux.'),
  'SEED-04': async () => decision('N/A', 'Hardware minimum is defined for Windows and macOS only.'),

  'SEED-05': async (ctx) => {
    const id = await which(ctx, 'id');
    if (!id) return unknown('id not found on PATH');
    const [groups, uid] = await Promise.all([cmd(ctx, id, ['-nG']), cmd(ctx, id, ['-u'])]);
    if (!completed(groups.res) || groups.res.code !== 0)
      return unknown(whyFailed(groups.file, groups.args, groups.res));
    const names = parseIdGroups(groups.res.stdout);
    const admin = names.filter((g) => /^(sudo|wheel|admin)$/.test(g));
    const root = completed(uid.res) && uid.res.stdout.trim() === '0';
    if (admin.length || root)
      return decision(
        'PASS',
        `${root ? 'uid 0 (root)' : `member of ${admin.join(', ')}`}. Groups: ${names.join(' ')}.`,
      );
    return decision('FAIL', `Not in sudo, wheel or admin. Groups: ${names.join(' ') || '(none)'}.`);
  },

  'SEED-06': async () => decision('N/A', 'Built-in Administrator check is Windows only.'),

  'SEED-07': async (ctx) => {
    const names: Array<[string, string[]]> = [
      ['Chrome', ['google-chrome', 'google-chrome-stable']],
      ['Edge', ['microsoft-edge', 'microsoft-edge-stable']],
      ['Firefox', ['firefox', 'firefox-esr']],
    ];
    const found: string[] = [];
    const paths: string[] = [];
    for (const [label, cmds] of names) {
      const hits = (await Promise.all(cmds.map((c) => which(ctx, c)))).filter((p): p is string => !!p);
      if (hits.length) {
        found.push(label);
        paths.push(hits[0]!);
      }
    }
    const trust = found.includes('Firefox')
      ? await firefoxTrustsOsRoots(
          ctx,
          [`${ctx.homeDir}/.mozilla/firefox`],
          ['/etc/firefox/policies/policies.json', '/usr/lib/firefox/distribution/policies.json'],
        )
      : undefined;
    return decideBrowsers(
      found,
      trust,
      paths.length ? `(${paths.join(', ')})` : '(PATH lookup: google-chrome, microsoft-edge, firefox)',
    );
  },

  'SEED-08': async (ctx) => {
    const [intune, portal, units] = await Promise.all([
      allExisting(ctx, ['/opt/microsoft/intune']),
      which(ctx, 'intune-portal'),
      unitStates(ctx),
    ]);
    const found = [...intune, ...(portal ? [portal] : [])];
    if (found.length) return decision('FAIL', `Microsoft Intune found: ${found.join('; ')}.`);
    const agents = activeUnits(units.states, ['landscape-client', 'puppet']);
    if (agents.length) return decision('WARN', `Configuration management agents: ${agents.join('; ')}.`);
    return decision(
      'PASS',
      `No /opt/microsoft/intune, no intune-portal, no Landscape/Puppet agent${units.why ? ` (services unknown: ${units.why})` : ''}.`,
    );
  },

  'SEED-09': async (ctx) => {
    const [paths, units] = await Promise.all([allExisting(ctx, ['/opt/Tanium/TaniumClient']), unitStates(ctx)]);
    const found = [...paths, ...activeUnits(units.states, ['taniumclient'])];
    if (found.length) return decision('FAIL', `Tanium Client found: ${found.join('; ')}.`);
    return decision(
      'PASS',
      `No /opt/Tanium/TaniumClient${units.why ? ` (services unknown: ${units.why})` : ', taniumclient not active'}.`,
    );
  },

  'SEED-10': async (ctx) => {
    const [cli, units] = await Promise.all([which(ctx, 'warp-cli'), unitStates(ctx)]);
    const found = [...(cli ? [cli] : []), ...activeUnits(units.states, ['warp-svc'])];
    if (found.length) return decision('FAIL', `Cloudflare WARP found: ${found.join('; ')}.`);
    return decision(
      'PASS',
      `No warp-cli on PATH${units.why ? ` (services unknown: ${units.why})` : ', warp-svc not active'}.`,
    );
  },

  'SEED-11': async (ctx) => {
    const [nmcli, ip] = await Promise.all([which(ctx, 'nmcli'), which(ctx, 'ip')]);
    const [nm, wg, tun] = await Promise.all([
      nmcli ? cmd(ctx, nmcli, ['-t', '-f', 'NAME,TYPE,DEVICE', 'connection', 'show', '--active']) : undefined,
      ip ? cmd(ctx, ip, ['-d', 'link', 'show', 'type', 'wireguard']) : undefined,
      ip ? cmd(ctx, ip, ['tuntap', 'show']) : undefined,
    ]);
    const connected: string[] = [];
    const present: string[] = [];
    const notes: string[] = [];
    if (nm && completed(nm.res) && nm.res.code === 0) {
      connected.push(
        ...parseNmcliActive(nm.res.stdout)
          .filter((c) => /vpn|wireguard/i.test(c.type))
          .map((c) => `NetworkManager ${c.type} "${c.name}" active`),
      );
    } else notes.push(nmcli && nm ? whyFailed(nm.file, nm.args, nm.res) : 'nmcli not installed');
    if (wg && completed(wg.res) && wg.res.code === 0)
      connected.push(...parseIpLinkNames(wg.res.stdout).map((n) => `WireGuard interface ${n}`));
    else if (!ip) notes.push('ip not installed');
    if (tun && completed(tun.res) && tun.res.code === 0)
      present.push(...parseIpTuntap(tun.res.stdout).map((t) => `${t.mode} device ${t.name}`));
    const tail = notes.length ? ` (${notes.join('; ')})` : '';
    if (connected.length) return decision('FAIL', `VPN connected now: ${connected.join('; ')}.${tail}`);
    if (present.length) return decision('WARN', `Tunnel devices present: ${present.join('; ')}.${tail}`);
    if (!ip && !nmcli) return unknown('Neither nmcli nor ip is installed.');
    return decision('PASS', `No active VPN or WireGuard connection and no tun/tap device.${tail}`);
  },

  'SEED-12': async (ctx) => {
    const mdatp = await which(ctx, 'mdatp');
    if (!mdatp) return defenderDecision(undefined, '(mdatp not installed)');
    return mdatpDecision(ctx, mdatp);
  },

  'SEED-13': async (ctx) => {
    const [edrPaths, units, clamd] = await Promise.all([
      allExisting(ctx, ['/opt/CrowdStrike/falconctl', '/opt/sentinelone']),
      unitStates(ctx),
      which(ctx, 'clamd'),
    ]);
    const edr = [...edrPaths, ...activeUnits(units.states, ['falcon-sensor', 'sentinelone'])];
    const av = [...activeUnits(units.states, ['clamav-daemon', 'clamd']), ...(clamd ? [clamd] : [])];
    if (edr.length) return decision('FAIL', `EDR already present: ${edr.join('; ')}.`, { needsElevation: true });
    if (av.length) return decision('WARN', `Other antivirus: ${av.join('; ')}.`);
    return decision(
      'PASS',
      `No CrowdStrike Falcon, SentinelOne or ClamAV${units.why ? ` (services unknown: ${units.why})` : ''}.`,
    );
  },

  'SEED-14': async () => decision('N/A', 'System Integrity Protection is a macOS check.'),

  'SEED-15': async (ctx) => {
    const lsblk = await which(ctx, 'lsblk');
    if (!lsblk) return unknown('lsblk not installed');
    const r = await cmd(ctx, lsblk, ['-rno', 'NAME,TYPE']);
    if (!completed(r.res) || r.res.code !== 0) return unknown(whyFailed(r.file, r.args, r.res));
    const devices = parseLsblk(r.res.stdout);
    const crypt = devices.filter((d) => d.type === 'crypt').map((d) => d.name);
    return decision(
      'INFO',
      crypt.length
        ? `Encrypted (dm-crypt) volumes: ${crypt.join(', ')}.`
        : `No dm-crypt volume among ${devices.length} block devices.`,
    );
  },

  'SEED-19': async () => decision('N/A', 'macOS readiness check.'),
  'SEED-20': async () => decision('N/A', 'Spotlight is macOS only.'),
};
