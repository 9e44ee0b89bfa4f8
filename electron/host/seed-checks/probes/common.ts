import type { ProbeContext } from '../types';
import { macRecoveryKey } from './macos';
import { decision, type ProbeSet } from './util';
import { windowsGovImage } from './windows';

/** Checks whose logic is the same on every OS (attestations, network, offshore notice). */
export const commonChecks: ProbeSet = {
  'SEED-16': async (ctx) => {
    if (ctx.attestations.recoveryKeysReady)
      return decision('PASS', 'You confirmed your recovery key and device password are at hand.');
    if (ctx.os === 'macos') {
      const has = await macRecoveryKey(ctx);
      if (has === true)
        return decision(
          'WARN',
          'A FileVault personal recovery key exists; confirm you have it at hand before you start.',
        );
      if (has === false)
        return decision('WARN', 'No FileVault personal recovery key exists; create one and keep it on another device.');
      return decision('WARN', 'Not confirmed yet. (fdesetup haspersonalrecoverykey needs admin rights.)', {
        needsElevation: true,
      });
    }
    return decision('WARN', 'Not confirmed yet: confirm that your recovery key and device password are at hand.');
  },

  'SEED-17': async (ctx) => {
    if (ctx.os === 'windows') {
      const gov = await windowsGovImage(ctx);
      if (gov) return gov;
    }
    if (ctx.attestations.internetDevice)
      return decision('PASS', 'You confirmed this is an Internet Device (not GSIB or DWP).');
    return decision(
      'INFO',
      'Nothing suggests a government-managed image; confirm this is an Internet Device, not a GSIB or DWP device.',
    );
  },

  'SEED-18': async (ctx) => reachability(ctx),

  'SEED-21': async (ctx) => {
    if (ctx.businessOperation === 'offshore')
      return decision('INFO', 'Offshore user: SEED+ controls apply after onboarding.');
    if (ctx.businessOperation === 'onshore') return decision('N/A', 'Onshore user: SEED+ controls do not apply.');
    return decision('INFO', 'Business operation unknown: if you work offshore, SEED+ controls apply after onboarding.');
  },
};

/** Per-request HTTPS HEAD timeout (domain.md §6.5 SEED-18). */
export const REACHABILITY_TIMEOUT_MS = 5_000;

async function reachability(ctx: ProbeContext) {
  if (ctx.reachabilityUrls.length === 0) return decision('UNKNOWN', 'No endpoints to test.');
  const results = await Promise.all(
    ctx.reachabilityUrls.map(async (url) => {
      try {
        return { url, ...(await ctx.httpHead(url, REACHABILITY_TIMEOUT_MS)) };
      } catch (err) {
        return { url, ok: false, error: (err as Error).message, status: undefined };
      }
    }),
  );
  const host = (u: string) => {
    try {
      return new URL(u).host;
    } catch {
      return u;
    }
  };
  const lines = results.map(
    (r) => `${host(r.url)}: ${r.ok ? `reachable (HTTP ${r.status ?? '?'})` : `not reachable (${r.error ?? 'error'})`}`,
  );
  const failed = results.filter((r) => !r.ok);
  return decision(failed.length ? 'WARN' : 'PASS', lines.join('; '));
}
