import { execFile as nodeExecFile } from 'node:child_process';
import { readFile as nodeReadFile, lstat as nodeLstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';

export const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https only; plain http is allowed for loopback (a demo or test backend on this machine). */
export function isAllowedBackendUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash || url.search) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

const HttpsUrl = z.string().refine((s) => {
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an https:// URL');

export const UpdatePolicy = z.enum(['none', 'notify', 'auto']);

/**
 * The organisation's proxy: `http://proxy.example:8080` (or https://), or a PAC file (`https://wpad.example/proxy.pac`,
 * or any URL prefixed `pac+`). No credentials in it: a policy value is readable by every user of the computer.
 */
export function proxySettingProblem(raw: string): string | null {
  const pac = raw.startsWith('pac+');
  let url: URL;
  try {
    url = new URL(pac ? raw.slice(4) : raw);
  } catch {
    return 'must be a proxy URL such as http://proxy.example:8080, or a PAC file URL such as https://wpad.example/proxy.pac';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'must start with http:// or https:// (or pac+https:// for a PAC file)';
  if (url.username || url.password)
    return 'must not contain a user name or password (the proxy asks for them, or uses the Windows sign-in)';
  const isPac = pac || /\.(pac|dat)$/i.test(url.pathname);
  if (!isPac && (url.pathname !== '/' || url.search || url.hash)) {
    return 'a proxy URL has only a host and port (http://proxy.example:8080); a PAC file URL ends in .pac or starts with pac+';
  }
  return null;
}

const ProxySetting = z
  .string()
  .trim()
  .max(2048)
  .superRefine((v, ctx) => {
    const problem = proxySettingProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const PEM_BODY = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const MAX_EXTRA_CAS = 20;

/** PEM text (one or many certificates; line breaks may have been flattened by a registry or plist editor) → one PEM each. */
export function normalisePemList(input: string | readonly string[]): string[] {
  const text = (Array.isArray(input) ? input : [input]).join('\n').replace(/\\n/g, '\n');
  const out: string[] = [];
  for (const m of text.matchAll(PEM_BODY)) {
    const body = (m[1] ?? '').replace(/\s+/g, '');
    out.push(
      `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
    );
  }
  return out;
}

/** Why a certificate cannot serve as an extra trusted CA, or null when it can. */
export function caCertificateProblem(pem: string, now = new Date()): string | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'is not a valid PEM certificate';
  }
  if (!cert.ca)
    return `(${cert.subject.replace(/\n/g, ', ')}) is not a CA certificate (basicConstraints CA:TRUE); give the CA that signs the server certificates`;
  if (new Date(cert.validTo) < now) return `(${cert.subject.replace(/\n/g, ', ')}) expired on ${cert.validTo}`;
  return null;
}

const ExtraCaCertificates = z
  .union([z.string().max(256 * 1024), z.array(z.string().max(64 * 1024)).max(MAX_EXTRA_CAS)])
  .transform((raw, ctx) => {
    const pems = normalisePemList(raw);
    const parts = Array.isArray(raw) ? raw : [raw];
    if (parts.some((p) => p.trim().length > 0 && normalisePemList(p).length === 0)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must hold PEM certificates (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)',
      });
      return z.NEVER;
    }
    if (pems.length > MAX_EXTRA_CAS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_EXTRA_CAS} certificates` });
      return z.NEVER;
    }
    pems.forEach((pem, i) => {
      const problem = caCertificateProblem(pem);
      if (problem) ctx.addIssue({ code: 'custom', message: `certificate ${i + 1} ${problem}` });
    });
    return pems;
  });

export const OrgConfig = z
  .object({
    organisationName: z.string().min(1).max(100),
    backendUrl: z
      .string()
      .refine(isAllowedBackendUrl, 'must be an https:// URL (http only for 127.0.0.1, localhost or [::1])'),
    supportUrl: HttpsUrl,
    supportEmail: z.string().email().optional(),
    docsUrl: HttpsUrl,
    /** Extra hosts external links may open (https only), beside the support and docs hosts. */
    externalLinkHosts: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9.-]+$/i)
          .max(253),
      )
      .max(50)
      .default([]),
    updatePolicy: UpdatePolicy,
    /**
     * The language IT fixes for its users (BCP 47, e.g. `zh-CN`); unset, the wizard follows the operating system.
     * Either way the user can switch on any screen, and that choice then wins on this computer.
     */
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
      .optional(),
    /** The proxy (or PAC file) to use instead of the system's settings. */
    proxy: ProxySetting.optional(),
    /** CA certificates (PEM) to trust beside the operating system's, e.g. the root of the network's TLS inspection. */
    extraCaCertificates: ExtraCaCertificates.optional(),
  })
  .strict();
export type OrgConfig = z.infer<typeof OrgConfig>;
/** One layer (policy or bundled file): any subset of the fields. */
export const OrgConfigLayer = OrgConfig.partial().extend({ $comment: z.string().optional() }).strict();
export type OrgConfigLayer = z.infer<typeof OrgConfigLayer>;

export const ORG_CONFIG_DEFAULTS: OrgConfig = {
  organisationName: 'TechPass',
  backendUrl: 'https://provisioning.techpass.gov.sg',
  supportUrl: 'https://go.gov.sg/seed-techpass-support',
  docsUrl: 'https://docs.developer.tech.gov.sg/docs/techpass-user-guide/',
  externalLinkHosts: [],
  updatePolicy: 'none',
};

/** Hosts external links may always open, whatever the org config says. */
export const DEFAULT_EXTERNAL_HOSTS = ['go.gov.sg', 'docs.developer.tech.gov.sg', 'portal.techpass.gov.sg'];

export const WINDOWS_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\TechPass\\Onboarding';
export const MAC_POLICY_FILE = '/Library/Managed Preferences/sg.gov.tech.techpass-onboarding.plist';
export const LINUX_POLICY_FILE = '/etc/techpass-onboarding/managed-settings.json';

export type ConfigSource = 'policy' | 'bundled' | 'environment' | 'default';

export interface LoadedOrgConfig {
  config: OrgConfig;
  /** Where each field came from. */
  sources: Record<keyof OrgConfig, ConfigSource>;
  /** Layers or values that were refused, with the reason (logged; never silently used). */
  rejected: { source: ConfigSource; reason: string }[];
}

type ExecFile = (file: string, args: string[]) => Promise<string>;
interface StatLike {
  uid: number;
  mode: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface OrgConfigDeps {
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- names the known values; any string is accepted
  platform: NodeJS.Platform | string;
  isPackaged: boolean;
  env: Record<string, string | undefined>;
  bundledPath?: string;
  linuxPolicyPath?: string;
  macPolicyPath?: string;
  execFile?: ExecFile;
  readFile?: (path: string) => Promise<string>;
  lstat?: (path: string) => Promise<StatLike>;
  log?: { warn(message: string, fields?: Record<string, unknown>): void };
}

const defaultExecFile: ExecFile = (file, args) =>
  new Promise((resolve, reject) => {
    nodeExecFile(file, args, { timeout: 5_000, windowsHide: true, maxBuffer: 1024 * 1024 }, (err, stdout) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an ExecFileException is an Error (typed as an Omit<> of one)
      if (err) reject(err);
      else resolve(stdout);
    });
  });

/** Every setting, including the optional ones the defaults leave out. */
const FIELDS = [
  ...Object.keys(ORG_CONFIG_DEFAULTS),
  'supportEmail',
  'locale',
  'proxy',
  'extraCaCertificates',
] as (keyof OrgConfig)[];

/** Registry / plist value names → our field names (case-insensitive). */
const FIELD_BY_LOWER: Record<string, keyof OrgConfig> = Object.fromEntries(FIELDS.map((k) => [k.toLowerCase(), k]));

/** Parses `reg query` output: lines of `    Name    REG_SZ    value`. */
export function parseRegQuery(stdout: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^\s{2,}(\S+)\s+(REG_SZ|REG_EXPAND_SZ|REG_MULTI_SZ)\s+(.*)$/.exec(line);
    const [, name = '', , value = ''] = m ?? [];
    const field = FIELD_BY_LOWER[name.toLowerCase()];
    if (!m || !field) continue;
    if (field === 'externalLinkHosts')
      out[field] = value
        .split(/\\0|[;,]/)
        .map((s) => s.trim())
        .filter(Boolean);
    // REG_MULTI_SZ (one PEM line per string) shows as lines joined by \0.
    else if (field === 'extraCaCertificates') out[field] = value.split(/\\0/).join('\n');
    else out[field] = value.trim();
  }
  return out;
}

function normaliseKeys(obj: unknown): Record<string, unknown> {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[FIELD_BY_LOWER[k.toLowerCase()] ?? k] = v;
  return out;
}

/** A policy file on Linux counts only if root owns it (and its folder) and nobody else can write either. */
export function checkRootOwned(stat: StatLike, what: string): string | null {
  if (stat.isSymbolicLink()) return `${what} is a symbolic link`;
  if (stat.uid !== 0) return `${what} is not owned by root`;
  if (stat.mode & 0o022) return `${what} is writable by group or others`;
  return null;
}

async function readPolicy(
  deps: Required<Pick<OrgConfigDeps, 'execFile' | 'readFile' | 'lstat'>> & OrgConfigDeps,
): Promise<unknown> {
  if (deps.platform === 'win32') {
    let stdout: string;
    try {
      stdout = await deps.execFile('reg', ['query', WINDOWS_POLICY_KEY]);
    } catch {
      return undefined; // no policy key: the normal case
    }
    return parseRegQuery(stdout);
  }
  if (deps.platform === 'darwin') {
    const file = deps.macPolicyPath ?? MAC_POLICY_FILE;
    try {
      await deps.lstat(file);
    } catch {
      return undefined;
    }
    const stdout = await deps.execFile('plutil', ['-convert', 'json', '-o', '-', file]);
    return normaliseKeys(JSON.parse(stdout));
  }
  if (deps.platform === 'linux') {
    const file = deps.linuxPolicyPath ?? LINUX_POLICY_FILE;
    let stat: StatLike;
    try {
      stat = await deps.lstat(file);
    } catch {
      return undefined;
    }
    const problem = checkRootOwned(stat, file) ?? checkRootOwned(await deps.lstat(dirname(file)), dirname(file));
    if (problem) throw new Error(`${problem}; the policy file is ignored`);
    if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
    return normaliseKeys(JSON.parse(await deps.readFile(file)));
  }
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof z.ZodError)
    return err.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
  return err instanceof Error ? err.message : String(err);
}

/**
 * Org configuration: OS policy first (Windows HKLM policy key, macOS managed preferences, Linux root-owned file), then
 * the bundled org-config.json, then defaults. Each layer is validated as a whole; a layer that fails is refused and
 * reported, never half-used. `TECHPASS_BACKEND_URL` counts only in development and tests (not packaged).
 */
export async function loadOrgConfig(options: OrgConfigDeps): Promise<LoadedOrgConfig> {
  const deps = {
    execFile: defaultExecFile,
    readFile: (p: string) => nodeReadFile(p, 'utf8'),
    lstat: (p: string) => nodeLstat(p),
    ...options,
  };
  const rejected: LoadedOrgConfig['rejected'] = [];
  const layers: { source: ConfigSource; values: OrgConfigLayer }[] = [];

  const envUrl = deps.env.TECHPASS_BACKEND_URL;
  if (envUrl && !deps.isPackaged) {
    if (isAllowedBackendUrl(envUrl)) layers.push({ source: 'environment', values: { backendUrl: envUrl } });
    else
      rejected.push({ source: 'environment', reason: 'TECHPASS_BACKEND_URL must be https (http only for loopback)' });
  }

  try {
    const raw = await readPolicy(deps);
    if (raw !== undefined) layers.push({ source: 'policy', values: OrgConfigLayer.parse(raw) });
  } catch (err) {
    rejected.push({ source: 'policy', reason: describe(err) });
  }

  if (deps.bundledPath) {
    try {
      const raw: unknown = JSON.parse(await deps.readFile(deps.bundledPath));
      layers.push({ source: 'bundled', values: OrgConfigLayer.parse(raw) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') rejected.push({ source: 'bundled', reason: describe(err) });
    }
  }

  const config = { ...ORG_CONFIG_DEFAULTS } as Record<string, unknown>;
  const sources = Object.fromEntries(
    Object.keys(ORG_CONFIG_DEFAULTS).map((k) => [k, 'default']),
  ) as LoadedOrgConfig['sources'];
  // Lowest precedence first, so higher layers overwrite.
  for (const layer of [...layers].reverse()) {
    for (const [k, v] of Object.entries(layer.values)) {
      if (v === undefined || k.startsWith('$')) continue; // `$comment` documents a file; it is not a setting
      config[k] = v;
      sources[k as keyof OrgConfig] = layer.source;
    }
  }
  for (const r of rejected) deps.log?.warn('org configuration refused', { source: r.source, reason: r.reason });
  return { config: OrgConfig.parse(config), sources, rejected };
}

/** Hosts the safe external opener allows: the defaults, the support and docs hosts, and the org's extras. */
export function externalAllowlist(config: OrgConfig): Set<string> {
  const hosts = new Set(DEFAULT_EXTERNAL_HOSTS);
  for (const u of [config.supportUrl, config.docsUrl]) hosts.add(new URL(u).hostname);
  for (const h of config.externalLinkHosts) hosts.add(h.toLowerCase());
  return hosts;
}

/** The one rule for opening a link outside the app: https, no credentials, allow-listed host. */
export function isAllowedExternalUrl(raw: string, allowlist: Set<string>): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && !url.username && !url.password && allowlist.has(url.hostname.toLowerCase());
}
