import { sql } from 'kysely';
import { verifySync } from 'otplib';
import type { Ctx } from '../../context';
import { isSealed, open, seal, sealedWithOldKey } from '../../security/data-keys';

/**
 * TOTP secrets at rest: `accounts.totp_secret` and `totp_pending_secret` hold values sealed with the data key ring
 * (AES-256-GCM, bound to the account by the context), never the base32 secret itself. Both columns use the same
 * context, so enrolment moves the pending value into place without opening it.
 */
const context = (accountId: string): string => `totp:${accountId}`;
/** How values sealed with key `id` begin (see seal() in security/data-keys.ts). */
const SEALED_PREFIX_OF = (id: string): string => `sealed1.${id}.`;

export function sealTotpSecret(ctx: Ctx, accountId: string, secret: string): string {
  return seal(ctx.config.dataKeys, secret, context(accountId));
}

/** The base32 secret; a plaintext value left from before sealing is returned as is (and sealed by the start-up pass). */
export function openTotpSecret(ctx: Ctx, accountId: string, stored: string): string {
  return isSealed(stored) ? open(ctx.config.dataKeys, stored, context(accountId)) : stored;
}

/**
 * Seals every plaintext TOTP secret and reseals those sealed with an older key (run on start, so a key rotation
 * completes with one restart). Each row is updated only if it still holds the value read, so a concurrent enrolment
 * or MFA reset is never overwritten.
 */
export async function sealStoredTotpSecrets(ctx: Ctx): Promise<{ sealed: number }> {
  const ring = ctx.config.dataKeys;
  let sealed = 0;
  const stale = (v: string | null): v is string => v !== null && (!isSealed(v) || sealedWithOldKey(ring, v));
  // In pages by id, so a first start over many plain-text secrets holds one page in memory, not every row.
  for (let after = ''; ;) {
    const rows = await ctx.db
      .selectFrom('accounts')
      .select(['id', 'totp_secret', 'totp_pending_secret'])
      .where('id', '>', after)
      // Only rows not yet sealed with the current key (a prefix test, so a restart with nothing to do reads nothing).
      .where((eb) => {
        // Key ids may contain `_`, a LIKE wildcard: escaped.
        const current = `${SEALED_PREFIX_OF(ring.currentId).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const notCurrent = (column: 'totp_secret' | 'totp_pending_secret') =>
          eb.and([eb(column, 'is not', null), sql<boolean>`${sql.ref(column)} not like ${current} escape '\\'`]);
        return eb.or([notCurrent('totp_secret'), notCurrent('totp_pending_secret')]);
      })
      .orderBy('id')
      .limit(RESEAL_PAGE)
      .execute();
    sealed += await resealPage(ctx, rows, stale);
    const last = rows[rows.length - 1];
    if (!last || rows.length < RESEAL_PAGE) return { sealed };
    after = last.id;
  }
}

const RESEAL_PAGE = 500;

async function resealPage(
  ctx: Ctx,
  rows: readonly { id: string; totp_secret: string | null; totp_pending_secret: string | null }[],
  stale: (v: string | null) => v is string,
): Promise<number> {
  let sealed = 0;
  for (const row of rows) {
    for (const column of ['totp_secret', 'totp_pending_secret'] as const) {
      const value = row[column];
      if (!stale(value)) continue;
      const next = sealTotpSecret(ctx, row.id, openTotpSecret(ctx, row.id, value));
      const res = await ctx.db
        .updateTable('accounts')
        .set(column === 'totp_secret' ? { totp_secret: next } : { totp_pending_secret: next })
        .where('id', '=', row.id)
        .where(column, '=', value)
        .executeTakeFirst();
      sealed += Number(res.numUpdatedRows);
    }
  }
  return sealed;
}

/**
 * The time step a code belongs to (the injected clock, ±1 step of drift), or undefined when the code is wrong.
 * Whether the step was already used is decided by the database when it is consumed (a conditional update).
 */
export function totpStep(ctx: Ctx, secret: string, code: string): number | undefined {
  const epoch = Math.floor(ctx.clock.now().getTime() / 1000);
  let r: ReturnType<typeof verifySync>;
  try {
    r = verifySync({ secret, token: code, epoch, epochTolerance: 30 });
  } catch {
    // A secret that is not base32 (cleared or damaged) verifies nothing.
    return undefined;
  }
  if (!r.valid) return undefined;
  return 'timeStep' in r ? r.timeStep : Math.floor(epoch / 30) + r.delta;
}
