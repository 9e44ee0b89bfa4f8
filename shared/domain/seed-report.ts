import { z } from 'zod';

/** domain.md §6.2: the result of one SEED prerequisite check. */
export const CheckStatus = z.enum(['PASS', 'FAIL', 'WARN', 'INFO', 'UNKNOWN', 'N/A']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckResult = z.object({
  /** ACC-1…ACC-6 or SEED-01…SEED-21 */
  id: z.string().regex(/^(ACC-\d|SEED-\d{2})$/),
  status: CheckStatus,
  title: z.string(),
  /** What the probe saw, truncated; never a secret. */
  evidence: z.string(),
  /** What to do next when the status is not PASS (may list documented removal commands for the user to run). */
  remediation: z.string(),
  docUrl: z.string().url().optional(),
  needsElevation: z.boolean(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const Verdict = z.enum(['READY', 'BLOCKED']);
export type Verdict = z.infer<typeof Verdict>;

export const SeedReport = z.object({
  verdict: Verdict,
  checks: z.array(CheckResult),
  durationMs: z.number().nonnegative(),
  platform: z.string(),
  generatedAt: z.string(),
});
export type SeedReport = z.infer<typeof SeedReport>;
