import type { Decision, ProbeContext, RunResult } from '../types';

export const MAX_EVIDENCE_CHARS = 1500;

export type Probe = (ctx: ProbeContext) => Promise<Decision>;
export type ProbeSet = Partial<Record<string, Probe>>;

export function truncate(text: string, max = MAX_EVIDENCE_CHARS): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max)}… [truncated, ${t.length - max} more characters]`;
}

function quote(arg: string): string {
  return /^[\w./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** A readable command line for evidence (display only; commands are never run through a shell). */
export function commandLine(file: string, args: readonly string[]): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const shownArgs = args.map((a) => (a.length > 80 ? '<script>' : quote(a)));
  return [base, ...shownArgs].join(' ');
}

/** True when the command ran to completion (whatever its exit code). */
export function completed(res: RunResult): boolean {
  return !res.timedOut && !res.error && res.code !== null;
}

/** Why a command produced no usable answer, in words. */
export function whyFailed(file: string, args: readonly string[], res: RunResult): string {
  const cmd = commandLine(file, args);
  if (res.timedOut) return `${cmd}: did not answer in time (${res.error ?? 'timed out'})`;
  if (res.error === 'ENOENT') return `${cmd}: command not found`;
  if (res.error === 'EACCES') return `${cmd}: not allowed to run`;
  if (res.error) return `${cmd}: could not run (${res.error})`;
  const err = res.stderr.trim() || res.stdout.trim();
  return `${cmd}: exited with code ${res.code}${err ? `: ${truncate(err, 300)}` : ''}`;
}

export function unknown(why: string, needsElevation = false): Decision {
  return { status: 'UNKNOWN', evidence: truncate(why), needsElevation };
}

/** Evidence block: the command and what it printed. */
export function output(file: string, args: readonly string[], res: RunResult, max = 600): string {
  const text = res.stdout.trim() || res.stderr.trim();
  return `$ ${commandLine(file, args)}\n${text ? truncate(text, max) : '(no output)'}`;
}

export function decision(status: Decision['status'], evidence: string, extra: Partial<Decision> = {}): Decision {
  return { status, evidence: truncate(evidence), ...extra };
}

/** Runs `probe`; any exception becomes UNKNOWN so one probe never breaks the report. */
export async function safely(probe: Probe, ctx: ProbeContext): Promise<Decision> {
  try {
    return await probe(ctx);
  } catch (err) {
    return unknown(`The check could not complete: ${(err as Error).message || String(err)}`);
  }
}

/** First existing path from a list. */
export async function firstExisting(ctx: ProbeContext, paths: readonly string[]): Promise<string | undefined> {
  const found = await Promise.all(paths.map((p) => ctx.fs.exists(p)));
  return paths.find((_, i) => found[i]);
}

export async function allExisting(ctx: ProbeContext, paths: readonly string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => ctx.fs.exists(p)));
  return paths.filter((_, i) => found[i]);
}

/** Firefox trusts the OS root store when prefs.js or policies.json says so. */
export async function firefoxTrustsOsRoots(
  ctx: ProbeContext,
  profileDirs: readonly string[],
  policyFiles: readonly string[],
): Promise<boolean | undefined> {
  let sawProfile = false;
  for (const dir of profileDirs) {
    for (const profile of await ctx.fs.list(dir)) {
      const prefs = await ctx.fs.readText(`${dir}/${profile}/prefs.js`);
      if (prefs === undefined) continue;
      sawProfile = true;
      if (/user_pref\(\s*"security\.enterprise_roots\.enabled"\s*,\s*true\s*\)/.test(prefs)) return true;
    }
  }
  for (const file of policyFiles) {
    const text = await ctx.fs.readText(file);
    if (text && /"ImportEnterpriseRoots"\s*:\s*true/.test(text)) return true;
  }
  return sawProfile ? false : undefined;
}

/** SEED-07's rule once the browsers are known. */
export function decideBrowsers(
  found: readonly string[],
  firefoxTrust: boolean | undefined,
  evidence: string,
): Decision {
  const others = found.filter((b) => b !== 'Firefox');
  const hasFirefox = found.includes('Firefox');
  const ffNote = hasFirefox
    ? firefoxTrust === true
      ? ' Firefox trusts the OS root store.'
      : firefoxTrust === false
        ? ' Firefox does not trust the OS root store (security.enterprise_roots.enabled is not true).'
        : ' Firefox trust setting not found (no profile read).'
    : '';
  if (found.length === 0) return decision('WARN', `No supported browser found. ${evidence}`);
  if (others.length === 0 && firefoxTrust !== true) {
    return decision('INFO', `Found: Firefox.${ffNote} ${evidence}`);
  }
  return decision('PASS', `Found: ${found.join(', ')}.${ffNote} ${evidence}`);
}
