/** Step "device-check": the account facts the SEED checks need (ACC-1…ACC-6), and the report of the last run. */
import type { BusinessOperation } from '../../../../shared/domain/states';
import type { SeedReport } from '../../../../shared/domain/seed-report';
import { HostError } from '../../host-error';
import type { SessionContext } from '../context';

export interface SeedAccountInputs {
  accountState?: string;
  onboardingComplete?: boolean;
  seed?: { state: string; emailExpiresAt?: string; devices?: { state?: string; name?: string }[] };
  loginId?: string;
  businessOperation?: BusinessOperation;
  maintenance?: { start: string; end: string; description?: string }[];
}

/** Facts the device check needs about the account, from the server when signed in. */
export async function seedAccountInputs(ctx: SessionContext): Promise<SeedAccountInputs> {
  await ctx.refresh();
  const token = await ctx.vault.get('session-token');
  let seed: SeedAccountInputs['seed'] = ctx.progress.seed;
  if (token) {
    try {
      const s = await ctx.client.getMeSeed(token);
      seed = {
        state: s.state,
        emailExpiresAt: s.emailExpiresAt,
        devices: s.devices.map((d) => ({ state: d.status, name: d.name })),
      };
    } catch (err) {
      ctx.log.warn('SEED state unavailable for the device check', {
        error: err instanceof HostError ? err.code : 'unexpected',
      });
    }
  }
  let maintenance: SeedAccountInputs['maintenance'];
  try {
    const status = await ctx.client.getSeedStatus();
    maintenance = status.maintenance.windows.map((w) => ({
      start: w.startsAt,
      end: w.endsAt,
      description: w.description,
    }));
  } catch {
    maintenance = undefined;
  }
  return {
    accountState: ctx.progress.accountState,
    onboardingComplete: ctx.progress.onboardingComplete,
    seed,
    loginId: ctx.progress.loginId,
    businessOperation: ctx.progress.businessOperation,
    maintenance,
  };
}

export function recordSeedReport(ctx: SessionContext, report: SeedReport): void {
  ctx.save({ seedReport: report });
}
