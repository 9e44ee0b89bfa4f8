/** Public API of the SEED device check for the host (runSeedCheck / exportSeedReport) and the CLI. */
export {
  runSeedChecks,
  verdictOf,
  seedOsOf,
  DEFAULT_PROBE_TIMEOUT_MS,
  DEFAULT_REACHABILITY_URLS,
  type RunSeedChecksOptions,
} from './run';
export { renderReport, reportFilename, reportMimeType, type ReportFormat } from './render';
export { loadBaseline, type LoadedBaseline } from './baseline';
export { runSeedCheckCli, type CliIo } from './cli-main';
export { execFileRunner, nodeFileSystem, fetchHead } from './runner';
export type {
  Attestations,
  CommandRunner,
  HttpHead,
  RunResult,
  SeedAccountInputs,
  SeedFileSystem,
  MaintenanceWindow,
} from './types';
