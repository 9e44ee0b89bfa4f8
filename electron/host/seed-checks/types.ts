import type { BusinessOperation } from '../../../shared/domain/states';
import type { CheckStatus } from '../../../shared/domain/seed-report';
import type { SeedOsBaseline } from '../../../shared/domain/seed-os-baseline';

/** The result of running one command. A runner never throws: failures are described here. */
export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit code; null when the process did not exit normally (spawn error, killed). */
  code: number | null;
  timedOut: boolean;
  /** Spawn error, e.g. ENOENT when the command does not exist. */
  error?: string;
}

export interface RunOptions {
  timeoutMs: number;
  env?: Record<string, string | undefined>;
}

/** Injectable command runner: (file, args, opts) → result. Always an argument array, never a shell string. */
export type CommandRunner = (file: string, args: readonly string[], opts: RunOptions) => Promise<RunResult>;

/** Injectable read-only file-system access. */
export interface SeedFileSystem {
  exists(path: string): Promise<boolean>;
  /** Text of a file, or undefined when it cannot be read. */
  readText(path: string, maxBytes?: number): Promise<string | undefined>;
  /** Names in a directory, or [] when it cannot be listed. */
  list(path: string): Promise<string[]>;
  /** Absolute path of an executable found on PATH, or undefined. */
  which(command: string): Promise<string | undefined>;
}

export type HttpHead = (url: string, timeoutMs: number) => Promise<{ ok: boolean; status?: number; error?: string }>;

/** One check's decision, before the catalogue adds title, remediation and doc link. */
export interface Decision {
  status: CheckStatus;
  evidence: string;
  /** Case-specific steps that go before the catalogue remediation. */
  remediation?: string;
  needsElevation?: boolean;
}

export type SeedOs = 'windows' | 'macos' | 'linux' | 'other';

export interface MaintenanceWindow {
  start: string;
  end: string;
  description?: string;
}

/** Account facts the host passes in (from the signed-in journey); absent on a device without a signed-in user. */
export interface SeedAccountInputs {
  accountState?: string;
  onboardingComplete?: boolean;
  seed?: { state: string; emailExpiresAt?: string; devices?: ReadonlyArray<{ state?: string; name?: string }> };
  loginId?: string;
  businessOperation?: BusinessOperation;
  /** Announced maintenance windows from the backend status feed, if any. */
  maintenance?: readonly MaintenanceWindow[];
}

export interface Attestations {
  /** The user confirmed they have their recovery keys / device password at hand (SEED-16). */
  recoveryKeysReady?: boolean;
  /** The user confirmed the device is an Internet Device, not GSIB/DWP (SEED-17). */
  internetDevice?: boolean;
}

/** Everything a device probe may use. */
export interface ProbeContext {
  os: SeedOs;
  /** Runs a command with the probe timeout; results are memoised per (file, args) so probes can share them. */
  run(file: string, args: readonly string[]): Promise<RunResult>;
  fs: SeedFileSystem;
  /** The OS baseline (loaded concurrently with the probes) and a note saying where it came from. */
  osBaseline(): Promise<{ baseline: SeedOsBaseline; note: string }>;
  username: string;
  env: Record<string, string | undefined>;
  homeDir: string;
  businessOperation?: BusinessOperation;
  attestations: Attestations;
  httpHead: HttpHead;
  reachabilityUrls: readonly string[];
}
