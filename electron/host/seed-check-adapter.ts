import type { SeedReport } from '../../shared/domain/seed-report';
import { renderReport, runSeedChecks, type ReportFormat, type RunSeedChecksOptions } from './seed-checks';

/** What the host needs from the SEED device checks (electron/host/seed-checks); tests stand in a fake. */
export interface SeedChecks {
  run(options: RunSeedChecksOptions): Promise<SeedReport>;
  render(report: SeedReport, format: ReportFormat): string | Promise<string>;
}

export const defaultSeedChecks: SeedChecks = {
  run: (options) => runSeedChecks(options),
  render: (report, format) => renderReport(report, format),
};
