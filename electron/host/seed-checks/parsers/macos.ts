import { GUID_RE, keyValues, lines } from './common';

/** `sw_vers`: "ProductName:\tmacOS", "ProductVersion:\t15.7.2", "BuildVersion:\t24G325". */
export function parseSwVers(stdout: string | undefined): {
  productName?: string;
  productVersion?: string;
  buildVersion?: string;
} {
  const kv = keyValues(stdout);
  const version = kv.get('productversion');
  return {
    productName: kv.get('productname') || undefined,
    productVersion: version && /^\d+(\.\d+)*$/.test(version) ? version : undefined,
    buildVersion: kv.get('buildversion') || undefined,
  };
}

/** Apple beta/seed builds end in a lower-case letter (e.g. 25A5279m). */
export function isBetaBuild(build: string | undefined): boolean {
  return !!build && /^\d+[A-Z]\d+[a-z]$/.test(build);
}

/** `profiles status -type enrollment`: "Enrolled via DEP: No", "MDM enrollment: Yes (User Approved)". */
export function parseProfilesEnrollment(stdout: string | undefined): { dep?: boolean; mdm?: boolean; server?: string } {
  const kv = keyValues(stdout);
  const flag = (v: string | undefined) =>
    v === undefined ? undefined : /^yes\b/i.test(v) ? true : /^no\b/i.test(v) ? false : undefined;
  return {
    dep: flag(kv.get('enrolledviadep')),
    mdm: flag(kv.get('mdmenrollment')),
    server: kv.get('mdmserver') || undefined,
  };
}

/** `csrutil status`: "System Integrity Protection status: enabled." (or disabled / unknown (Custom Configuration)). */
export function parseCsrutil(stdout: string | undefined): 'enabled' | 'disabled' | 'custom' | 'unknown' {
  const m = /System Integrity Protection status:\s*([a-z]+)/i.exec(stdout ?? '');
  const word = m?.[1]?.toLowerCase();
  if (/Custom Configuration/i.test(stdout ?? '')) return 'custom';
  if (word === 'enabled') return 'enabled';
  if (word === 'disabled') return 'disabled';
  return 'unknown';
}

/** `fdesetup status`: "FileVault is On.", "FileVault is Off.", "Encryption in progress: Percent completed = 42.5". */
export function parseFdesetup(stdout: string | undefined): {
  state: 'on' | 'off' | 'encrypting' | 'decrypting' | 'unknown';
  percent?: number;
} {
  const text = stdout ?? '';
  const percent = /Percent completed\s*=\s*([\d.]+)/i.exec(text)?.[1];
  const pct = percent === undefined ? undefined : Number.parseFloat(percent);
  if (/Encryption in progress/i.test(text)) return { state: 'encrypting', percent: pct };
  if (/Decryption in progress/i.test(text)) return { state: 'decrypting', percent: pct };
  if (/FileVault is On/i.test(text)) return { state: 'on' };
  if (/FileVault is Off/i.test(text)) return { state: 'off' };
  return { state: 'unknown' };
}

/** `mdatp health --field org_id`: prints the org id in quotes, or nothing / an error when not onboarded. */
export function parseMdatpOrgId(stdout: string | undefined): string | undefined {
  for (const line of lines(stdout)) {
    if (/error|attention|not found/i.test(line)) continue;
    const m = GUID_RE.exec(line);
    if (m) return m[0].toLowerCase();
  }
  return undefined;
}

/** `dseditgroup -o checkmember -m <user> admin`: "yes <user> is a member of admin" / "no <user> is NOT a member of admin". */
export function parseDseditgroup(stdout: string | undefined): boolean | undefined {
  const text = (stdout ?? '').trim();
  if (/^yes\b/i.test(text)) return true;
  if (/^no\b/i.test(text)) return false;
  return undefined;
}

/** `mdutil -s /`: "/:\n\tIndexing enabled." */
export function parseMdutil(stdout: string | undefined): 'enabled' | 'disabled' | 'unknown' {
  const text = stdout ?? '';
  if (/Indexing enabled/i.test(text)) return 'enabled';
  if (/Indexing disabled|Indexing and searching disabled/i.test(text)) return 'disabled';
  return 'unknown';
}

export interface NcService {
  enabled: boolean;
  status: string;
  name: string;
  kind: string;
}

/** `scutil --nc list`: `* (Connected)  UUID VPN (com.x) "Name"  [VPN/com.x]` lines. */
export function parseScutilNcList(stdout: string | undefined): NcService[] {
  const out: NcService[] = [];
  for (const line of lines(stdout)) {
    const m = /^\s*(\*)?\s*\(([^)]+)\)\s+\S+\s+.*?"([^"]*)"\s*(?:\[([^\]]*)\])?/.exec(line);
    if (!m) continue;
    out.push({ enabled: m[1] === '*', status: m[2]!.trim(), name: m[3]!, kind: m[4] ?? '' });
  }
  return out;
}

export interface SystemExtension {
  category: string;
  teamId: string;
  bundleId: string;
  name: string;
  state: string;
}

/**
 * `systemextensionsctl list`: sections "--- com.apple.system_extension.<category>" followed by a header and
 * tab-separated rows `enabled active teamID bundleID (version) name [state]`.
 */
export function parseSystemExtensions(stdout: string | undefined): SystemExtension[] {
  const out: SystemExtension[] = [];
  let category = '';
  for (const line of lines(stdout)) {
    const section = /^---\s*com\.apple\.system_extension\.(\S+)/.exec(line);
    if (section) {
      category = section[1]!;
      continue;
    }
    const m = /^\s*\*?\s*\*?\s*([A-Z0-9]{10})\s+(\S+)\s+\(([^)]*)\)\s+(.*?)\s+\[([^\]]*)\]\s*$/.exec(line);
    if (!m) continue;
    out.push({ category, teamId: m[1]!, bundleId: m[2]!, name: m[4]!, state: m[5]! });
  }
  return out;
}

/** `df -k /`: the Available column in KiB, found by header name. */
export function parseDfAvailableKb(stdout: string | undefined): number | undefined {
  const rows = lines(stdout).filter((l) => l.trim() !== '');
  if (rows.length < 2) return undefined;
  const header = rows[0]!.split(/\s+/);
  const col = header.findIndex((h) => /^avail/i.test(h));
  const cells = rows[rows.length - 1]!.trim().split(/\s+/);
  const raw = col >= 0 ? cells[col] : cells[3];
  const n = Number.parseInt(raw ?? '', 10);
  return Number.isFinite(n) ? n : undefined;
}

/** `launchctl print system/<label>`: "state = running" when the service runs. */
export function parseLaunchctlPrintRunning(stdout: string | undefined): boolean {
  return /^\s*state\s*=\s*running\b/m.test(stdout ?? '');
}

/** `launchctl list`: "PID\tStatus\tLabel" rows; returns the labels. */
export function parseLaunchctlList(stdout: string | undefined): string[] {
  return lines(stdout)
    .map((l) => l.split('\t'))
    .filter((c) => c.length >= 3 && c[0] !== 'PID')
    .map((c) => c[2]!.trim())
    .filter(Boolean);
}
