import { z } from 'zod';
import { keyValues, lines, normKey, toArray, yesNo } from './common';

export interface RegValue {
  name: string;
  type: string;
  value: string;
}

/**
 * `reg query <key> [/v name]` output: a key line, then indented `name  REG_TYPE  value` lines. Value names and types
 * are not localised; the default value's name is (e.g. "(Standard)" in German), so it is kept as printed.
 */
export function parseRegQuery(stdout: string | undefined): Map<string, RegValue> {
  const values = new Map<string, RegValue>();
  for (const line of lines(stdout)) {
    const m = /^\s+(.+?)\s+(REG_[A-Z_0-9]+)(?:\s+(.*))?$/.exec(line);
    if (!m) continue;
    const [, name, type, value = ''] = m;
    values.set(name!.toLowerCase(), { name: name!, type: type!, value: value.trim() });
  }
  return values;
}

/** REG_DWORD values print as hex ("0x1dc7"); REG_SZ numbers print as decimal. */
export function regNumber(value: RegValue | undefined): number | undefined {
  if (!value || value.value === '') return undefined;
  const n = /^0x[0-9a-f]+$/i.test(value.value) ? Number.parseInt(value.value, 16) : Number.parseInt(value.value, 10);
  return Number.isFinite(n) ? n : undefined;
}

export interface WindowsVersion {
  currentBuild?: number;
  ubr?: number;
  displayVersion?: string;
  editionId?: string;
  productName?: string;
}

export function parseWindowsVersion(stdout: string | undefined): WindowsVersion {
  const v = parseRegQuery(stdout);
  return {
    currentBuild: regNumber(v.get('currentbuild')) ?? regNumber(v.get('currentbuildnumber')),
    ubr: regNumber(v.get('ubr')),
    displayVersion: v.get('displayversion')?.value || v.get('releaseid')?.value || undefined,
    editionId: v.get('editionid')?.value || undefined,
    productName: v.get('productname')?.value || undefined,
  };
}

export interface DsregStatus {
  azureAdJoined?: boolean;
  enterpriseJoined?: boolean;
  domainJoined?: boolean;
  workplaceJoined?: boolean;
  tenantName?: string;
  domainName?: string;
  mdmUrl?: string;
  /** How many recognised fields were found; 0 means the output was not dsregcmd's. */
  fieldsFound: number;
}

/**
 * `dsregcmd /status`: `   Name : VALUE` lines in sections. The field names are English on every display
 * language we know of, but section headers and YES/NO may be localised (e.g. German "JA"/"NEIN"), so values go
 * through `yesNo`, and field names are matched without spaces and case.
 */
export function parseDsregcmd(stdout: string | undefined): DsregStatus {
  const kv = keyValues(stdout, /\s+:\s*|\s*:\s+/);
  const get = (k: string) => kv.get(normKey(k));
  const fields = [
    'AzureAdJoined',
    'EnterpriseJoined',
    'DomainJoined',
    'WorkplaceJoined',
    'TenantName',
    'MdmUrl',
    'DomainName',
  ];
  const empty = (s: string | undefined) => (s && s.trim() !== '' && s.trim() !== '-' ? s.trim() : undefined);
  return {
    azureAdJoined: yesNo(get('AzureAdJoined')),
    enterpriseJoined: yesNo(get('EnterpriseJoined')),
    domainJoined: yesNo(get('DomainJoined')),
    workplaceJoined: yesNo(get('WorkplaceJoined')),
    tenantName: empty(get('TenantName')),
    domainName: empty(get('DomainName')),
    mdmUrl: empty(get('MdmUrl')),
    fieldsFound: fields.filter((f) => get(f) !== undefined).length,
  };
}

const SID_RE = /\bS-1-\d+(?:-\d+)+\b/g;

/** `whoami /groups`: the table is localised, the SIDs are not, so only the SIDs are read. */
export function parseWhoamiGroups(stdout: string | undefined): { sids: string[]; isAdmin: boolean } {
  const sids = [...new Set((stdout ?? '').match(SID_RE) ?? [])];
  return { sids, isAdmin: sids.includes('S-1-5-32-544') };
}

/** `whoami /user`: a table with the user name and SID on the last line. */
export function parseWhoamiUser(stdout: string | undefined): { name?: string; sid?: string } {
  for (const line of lines(stdout).reverse()) {
    const sid = line.match(SID_RE)?.[0];
    if (!sid) continue;
    const name =
      line
        .slice(0, line.indexOf(sid))
        .trim()
        .replace(/^"|",?$/g, '') || undefined;
    return { name, sid };
  }
  return {};
}

/** ConvertTo-Json output: empty output is null; invalid JSON is undefined (the caller reports UNKNOWN). */
export function parsePowerShellJson(stdout: string | undefined): unknown {
  const text = (stdout ?? '').replace(/^\uFEFF/, '').trim();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const Str = z.union([z.string(), z.number()]).transform(String);
const OneOrMany = <T extends z.ZodTypeAny>(item: T) =>
  z
    .union([z.array(item), item, z.null()])
    .optional()
    .transform((v) => toArray(v as z.infer<T> | z.infer<T>[] | null | undefined));

export const WinService = z.object({ Name: Str, Status: Str.optional(), DisplayName: Str.optional() }).passthrough();
export const WinEnrollment = z
  .object({ ProviderID: Str.optional(), UPN: Str.nullable().optional(), EnrollmentState: z.unknown().optional() })
  .passthrough();

/** The "system" PowerShell probe: services, MDM enrolments, RAM and the BitLocker shell property. */
export const WinSystemInventory = z
  .object({
    services: OneOrMany(WinService),
    enrollments: OneOrMany(WinEnrollment),
    totalPhysicalMemory: z.union([z.number(), z.string()]).nullable().optional(),
    bitLockerProtection: z.union([z.number(), z.string()]).nullable().optional(),
    tpm: z.object({ present: z.boolean(), ready: z.boolean() }).nullable().optional(),
    secureBoot: z.boolean().nullable().optional(),
    errors: OneOrMany(Str),
  })
  .passthrough();
export type WinSystemInventory = z.infer<typeof WinSystemInventory>;

export const WinAntivirus = z
  .object({ displayName: Str, productState: z.union([z.number(), z.string()]).optional() })
  .passthrough();
export const WinSecurityInventory = z
  .object({ antivirus: OneOrMany(WinAntivirus), errors: OneOrMany(Str) })
  .passthrough();
export type WinSecurityInventory = z.infer<typeof WinSecurityInventory>;

export const WinVpn = z
  .object({ Name: Str, ConnectionStatus: Str.optional(), ServerAddress: Str.nullable().optional() })
  .passthrough();
export const WinAdapter = z
  .object({ Name: Str, InterfaceDescription: Str.optional(), Status: Str.optional() })
  .passthrough();
export const WinNetworkInventory = z
  .object({ vpnConnections: OneOrMany(WinVpn), adapters: OneOrMany(WinAdapter), errors: OneOrMany(Str) })
  .passthrough();
export type WinNetworkInventory = z.infer<typeof WinNetworkInventory>;

/** Parses one PowerShell JSON probe with its schema; `error` says why when it cannot. */
export function parseInventory<T extends z.ZodTypeAny>(
  schema: T,
  stdout: string | undefined,
): { value?: z.infer<T>; error?: string } {
  const json = parsePowerShellJson(stdout);
  if (json === undefined) return { error: 'PowerShell output was not valid JSON' };
  if (json === null) return { error: 'PowerShell printed nothing' };
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return { error: `unexpected PowerShell output: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { value: parsed.data };
}

/**
 * Shell.Application property System.Volume.BitLockerProtection (readable without admin):
 * 1 on, 2 off, 3 encrypting, 4 decrypting, 5 suspended, 6 on (locked); anything else unknown.
 */
export function bitLockerState(value: unknown): 'on' | 'off' | 'encrypting' | 'decrypting' | 'suspended' | 'unknown' {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- PowerShell JSON: a number or its text; anything else parses to NaN
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  switch (n) {
    case 1:
    case 6:
      return 'on';
    case 2:
      return 'off';
    case 3:
      return 'encrypting';
    case 4:
      return 'decrypting';
    case 5:
      return 'suspended';
    default:
      return 'unknown';
  }
}
