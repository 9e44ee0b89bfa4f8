import { lines } from './common';

/** /etc/os-release: KEY=value, values optionally quoted. */
export function parseOsRelease(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    out[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2').replace(/\\(.)/g, '$1');
  }
  return out;
}

/** `id -nG`: whitespace-separated group names. */
export function parseIdGroups(stdout: string | undefined): string[] {
  return (stdout ?? '').trim().split(/\s+/).filter(Boolean);
}

/** `systemctl is-active <unit>`: "active", "inactive", "failed", "activating", "unknown"… */
export function parseSystemctlIsActive(stdout: string | undefined): string {
  return (stdout ?? '').trim().split(/\s+/)[0] || 'unknown';
}

/** `nmcli -t -f NAME,TYPE,DEVICE connection show --active`: colon-separated, with `\:` escapes. */
export function parseNmcliActive(stdout: string | undefined): Array<{ name: string; type: string; device: string }> {
  const out: Array<{ name: string; type: string; device: string }> = [];
  for (const line of lines(stdout)) {
    if (!line.trim()) continue;
    const cells = line.split(/(?<!\\):/).map((c) => c.replace(/\\:/g, ':').replace(/\\\\/g, '\\'));
    if (cells.length < 2) continue;
    out.push({ name: cells[0]!, type: cells[1]!, device: cells[2] ?? '' });
  }
  return out;
}

/** `ip -d link show [type wireguard]`: "3: wg0: <POINTOPOINT,...>" lines give the interface names. */
export function parseIpLinkNames(stdout: string | undefined): string[] {
  const out: string[] = [];
  for (const line of lines(stdout)) {
    const m = /^\d+:\s+([^:@\s]+)(?:@[^:]+)?:/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** `ip tuntap show`: "tun0: tun persist …" lines. */
export function parseIpTuntap(stdout: string | undefined): Array<{ name: string; mode: string }> {
  const out: Array<{ name: string; mode: string }> = [];
  for (const line of lines(stdout)) {
    const m = /^([^:\s]+):\s+(tun|tap)\b/.exec(line.trim());
    if (m) out.push({ name: m[1]!, mode: m[2]! });
  }
  return out;
}

/** `lsblk -rno NAME,TYPE`: one "name type" row per block device. */
export function parseLsblk(stdout: string | undefined): Array<{ name: string; type: string }> {
  const out: Array<{ name: string; type: string }> = [];
  for (const line of lines(stdout)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length >= 2) out.push({ name: cells[0]!, type: cells[cells.length - 1]! });
  }
  return out;
}
