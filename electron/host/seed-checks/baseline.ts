import { BUNDLED_SEED_OS_BASELINE, SeedOsBaseline } from '../../../shared/domain/seed-os-baseline';
import { compareVersions } from './parsers/common';
import type { Decision } from './types';

export interface LoadedBaseline {
  baseline: SeedOsBaseline;
  source: 'backend' | 'bundled';
  /** Said in SEED-02's evidence: which table was used and, for the bundled copy, why. */
  note: string;
}

/**
 * The OS baseline served by the backend (GET /v1/seed/os-baseline), validated with the shared schema;
 * the bundled copy when the backend copy is absent, unreachable or invalid.
 */
export async function loadBaseline(options: { fetchRemote?: () => Promise<unknown> } = {}): Promise<LoadedBaseline> {
  const bundled = (why: string): LoadedBaseline => ({
    baseline: BUNDLED_SEED_OS_BASELINE,
    source: 'bundled',
    note: `OS baseline ${BUNDLED_SEED_OS_BASELINE.version} (effective ${BUNDLED_SEED_OS_BASELINE.effectiveFrom}, bundled copy: ${why})`,
  });
  if (!options.fetchRemote) return bundled('no backend copy requested');
  let raw: unknown;
  try {
    raw = await options.fetchRemote();
  } catch (err) {
    return bundled(`backend copy unavailable: ${(err as Error).message || 'unknown error'}`);
  }
  if (raw === undefined || raw === null) return bundled('backend sent no baseline');
  const parsed = SeedOsBaseline.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bundled(
      `backend copy invalid (${issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'schema mismatch'})`,
    );
  }
  return {
    baseline: parsed.data,
    source: 'backend',
    note: `OS baseline ${parsed.data.version} (effective ${parsed.data.effectiveFrom}, from the backend)`,
  };
}

/** SEED-02 on macOS: the major must be listed and the version at or above its minimum. */
export function decideMacVersion(baseline: SeedOsBaseline, version: string): Decision {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  const entry = baseline.macos.supported.find((e) => e.major === major);
  const supported = baseline.macos.supported.map((e) => `macOS ${e.major} ≥ ${e.minVersion}`).join(', ');
  if (!entry) {
    return {
      status: 'FAIL',
      evidence: `macOS ${version} is not a supported version (supported: ${supported}).`,
      remediation: baseline.macos.advice,
    };
  }
  if (compareVersions(version, entry.minVersion) < 0) {
    return {
      status: 'FAIL',
      evidence: `macOS ${version} is below the minimum ${entry.minVersion} for macOS ${entry.major}.`,
      remediation: baseline.macos.advice,
    };
  }
  return { status: 'PASS', evidence: `macOS ${version} meets the minimum ${entry.minVersion}.` };
}

/** SEED-02 on Windows: Windows 11 by build number (not ProductName), a listed build and UBR ≥ its minimum. */
export function decideWindowsVersion(baseline: SeedOsBaseline, build: number, ubr: number | undefined): Decision {
  const w = baseline.windows;
  const shown = `build ${build}${ubr === undefined ? '' : `.${ubr}`}`;
  if (build < w.windows11MinBuild) {
    const note = w.unsupported.map((u) => `${u.label}: ${u.note}`).join(' ');
    return { status: 'FAIL', evidence: `Windows ${shown} is not Windows 11. ${note}`.trim(), remediation: w.advice };
  }
  const entry = w.supported.find((e) => e.build === build);
  if (!entry) {
    return {
      status: 'FAIL',
      evidence: `Windows ${shown} is not in the SEED baseline (supported: ${w.supported.map((e) => `${e.release} ${e.build}.${e.minUbr}+`).join(', ')}).`,
      remediation: w.advice,
    };
  }
  if (ubr === undefined) {
    return {
      status: 'UNKNOWN',
      evidence: `Windows 11 ${entry.release} ${shown}: the revision (UBR) could not be read.`,
    };
  }
  if (ubr < entry.minUbr) {
    return {
      status: 'FAIL',
      evidence: `Windows 11 ${entry.release} ${shown} is below the minimum revision ${entry.build}.${entry.minUbr}.`,
      remediation: w.advice,
    };
  }
  return {
    status: 'PASS',
    evidence: `Windows 11 ${entry.release} ${shown} meets the minimum ${entry.build}.${entry.minUbr}.`,
  };
}
