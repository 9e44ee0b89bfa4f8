import os from 'node:os';
import { catalogueEntry, defenderOrgList, SEED_CATALOGUE } from '../../../shared/domain/seed-catalogue';
import { type CheckResult, SeedReport, type Verdict } from '../../../shared/domain/seed-report';
import { accountChecks } from './account';
import { loadBaseline, type LoadedBaseline } from './baseline';
import { commonChecks } from './probes/common';
import { linuxChecks } from './probes/linux';
import { macosChecks } from './probes/macos';
import { safely, truncate, type ProbeSet } from './probes/util';
import { windowsChecks } from './probes/windows';
import { execFileRunner, fetchHead, MAX_PROBE_TIMEOUT_MS, nodeFileSystem } from './runner';
import type {
  Attestations,
  CommandRunner,
  Decision,
  HttpHead,
  ProbeContext,
  RunResult,
  SeedAccountInputs,
  SeedFileSystem,
  SeedOs,
} from './types';

export const DEFAULT_PROBE_TIMEOUT_MS = 8_000;
export const DEFAULT_REACHABILITY_URLS = [
  'https://portal.techpass.gov.sg',
  'https://login.microsoftonline.com',
  'https://enrollment.manage.microsoft.com',
] as const;

export interface RunSeedChecksOptions {
  /** Node platform string; defaults to process.platform. */
  platform?: string;
  runner?: CommandRunner;
  fs?: SeedFileSystem;
  httpHead?: HttpHead;
  /** Account facts from the signed-in journey; without them ACC-1…ACC-5 report UNKNOWN. */
  account?: SeedAccountInputs;
  attestations?: Attestations;
  /** Fetches the backend's GET /v1/seed/os-baseline body; the bundled copy is used when absent or invalid. */
  fetchBaseline?: () => Promise<unknown>;
  /** Per-probe timeout (capped at 10 s). */
  probeTimeoutMs?: number;
  /** Endpoints for SEED-18; the backend URL is added when given. */
  reachabilityUrls?: readonly string[];
  backendUrl?: string;
  now?: () => Date;
  username?: string;
  homeDir?: string;
  env?: Record<string, string | undefined>;
}

export function seedOsOf(platform: string): SeedOs {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  if (platform === 'linux') return 'linux';
  return 'other';
}

const PROBES: Record<SeedOs, ProbeSet> = { windows: windowsChecks, macos: macosChecks, linux: linuxChecks, other: {} };

function memoisedRunner(runner: CommandRunner, timeoutMs: number, env: Record<string, string | undefined> | undefined) {
  const cache = new Map<string, Promise<RunResult>>();
  return (file: string, args: readonly string[]): Promise<RunResult> => {
    const key = JSON.stringify([file, ...args]);
    let p = cache.get(key);
    if (!p) {
      p = Promise.resolve()
        .then(() => runner(file, args, { timeoutMs, env }))
        .catch((err: unknown) => ({
          stdout: '',
          stderr: '',
          code: null,
          timedOut: false,
          error: (err as Error)?.message ?? String(err),
        }));
      cache.set(key, p);
    }
    return p;
  };
}

function remediationFor(id: string, seedOs: SeedOs, d: Decision): string {
  if (d.status === 'PASS' || d.status === 'N/A') return '';
  const entry = catalogueEntry(id);
  const parts = [d.remediation, entry.remediation];
  const platformKey = seedOs === 'other' ? undefined : seedOs;
  if (platformKey && entry.platformRemediation?.[platformKey]) parts.push(entry.platformRemediation[platformKey]);
  if (id === 'SEED-12') {
    parts.push(defenderOrgList());
  }
  return [...new Set(parts.filter((p): p is string => !!p))].join('\n');
}

export function verdictOf(checks: readonly Pick<CheckResult, 'status'>[]): Verdict {
  return checks.some((c) => c.status === 'FAIL') ? 'BLOCKED' : 'READY';
}

/** Runs every ACC and SEED check (device probes in parallel) and returns the report. Never throws for a probe. */
export async function runSeedChecks(options: RunSeedChecksOptions = {}): Promise<SeedReport> {
  const started = performance.now();
  const platform = options.platform ?? process.platform;
  const seedOs = seedOsOf(platform);
  const env = options.env ?? process.env;
  const now = options.now?.() ?? new Date();
  const timeoutMs = Math.min(options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, MAX_PROBE_TIMEOUT_MS);
  // Loaded alongside the probes so a slow backend delays only SEED-02.
  const loaded: Promise<LoadedBaseline> = loadBaseline({ fetchRemote: options.fetchBaseline });

  let username = options.username;
  let homeDir = options.homeDir;
  if (username === undefined || homeDir === undefined) {
    try {
      const info = os.userInfo();
      username ??= info.username;
      homeDir ??= info.homedir;
    } catch {
      username ??= env.USER ?? env.USERNAME ?? '';
      homeDir ??= env.HOME ?? env.USERPROFILE ?? '';
    }
  }

  const ctx: ProbeContext = {
    os: seedOs,
    run: memoisedRunner(options.runner ?? execFileRunner, timeoutMs, options.env),
    fs: options.fs ?? nodeFileSystem(env, platform as NodeJS.Platform),
    osBaseline: async () => {
      const l = await loaded;
      return { baseline: l.baseline, note: l.note };
    },
    username: username ?? '',
    homeDir: homeDir ?? '',
    env,
    businessOperation: options.account?.businessOperation,
    attestations: options.attestations ?? {},
    httpHead: options.httpHead ?? fetchHead,
    reachabilityUrls: [
      ...(options.reachabilityUrls ?? DEFAULT_REACHABILITY_URLS),
      ...(options.backendUrl ? [options.backendUrl] : []),
    ],
  };

  const account = accountChecks(options.account, now);
  const osProbes = PROBES[seedOs];
  const decisions = await Promise.all(
    SEED_CATALOGUE.map(async (entry): Promise<[string, Decision]> => {
      if (entry.kind === 'account')
        return [entry.id, account[entry.id] ?? { status: 'UNKNOWN', evidence: 'Not evaluated.' }];
      if (entry.id === 'SEED-01' && seedOs === 'other') {
        return [entry.id, { status: 'FAIL', evidence: `${platform}: SEED supports only Windows and macOS.` }];
      }
      const probe = osProbes[entry.id] ?? commonChecks[entry.id];
      if (!probe) {
        return [entry.id, { status: 'N/A', evidence: `Not applicable on ${seedOs === 'other' ? platform : seedOs}.` }];
      }
      return [entry.id, await safely(probe, ctx)];
    }),
  );

  const checks: CheckResult[] = decisions.map(([id, d]) => {
    const entry = catalogueEntry(id);
    return {
      id,
      status: d.status,
      title: entry.title,
      evidence: truncate(d.evidence || '(no evidence)'),
      remediation: remediationFor(id, seedOs, d),
      docUrl: entry.docUrl,
      needsElevation: d.needsElevation ?? false,
    };
  });

  return SeedReport.parse({
    verdict: verdictOf(checks),
    checks,
    durationMs: Math.round(performance.now() - started),
    platform: seedOs === 'other' ? platform : seedOs,
    generatedAt: now.toISOString(),
  });
}
