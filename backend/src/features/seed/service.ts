import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Ctx } from '../../context';
import { iso } from '../../context';
import { accountActor, audit } from '../../db/audit';
import { ApiError } from '../../http/errors';
import { lockAccountRow, seedView, type Account } from '../me/accounts';

export async function getMeSeed(ctx: Ctx, a: Account) {
  const devices = await ctx.db
    .selectFrom('seed_devices')
    .selectAll()
    .where('account_id', '=', a.id)
    .orderBy('triggered_at')
    .execute();
  return {
    ...seedView(ctx, a),
    devices: devices.map((d) => ({ id: d.id, name: d.name, os: d.os, status: d.status, onboardedAt: d.onboarded_at })),
  };
}

/**
 * Records the device the user hands over to SEED onboarding (§2.4). The account must be ACTIVE (E-SEED-NOT-ACTIVE),
 * the SEED email valid, and there may be only one device onboarded or pending (A27: 409 SEED_ONE_DEVICE).
 */
export async function registerSeedDevice(ctx: Ctx, a: Account, name: string, os: string) {
  if (a.state !== 'ACTIVE')
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: 'Activate TechPass (set up the authenticator) before onboarding a device.',
    });
  const seed = seedView(ctx, a);
  if (seed.state === 'INVITE_EXPIRED')
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message:
        'Your SEED onboarding email has expired. Request a new one in the portal, through your PM/RO, or by service request.',
    });
  if (!['PROVISIONED', 'DEVICE_ONBOARDING', 'ONBOARDED'].includes(seed.state)) {
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: `SEED is ${seed.state} for your account: request SEED first (portal, PM/RO or service request).`,
    });
  }
  const now = ctx.clock.now();
  const id = randomUUID();
  // One device per user under concurrency: the check and the insert share a transaction that locks the account row.
  await ctx.db.transaction().execute(async (tx) => {
    await lockAccountRow(ctx, tx, a.id);
    const existing = await tx
      .selectFrom('seed_devices')
      .select(['id', 'status'])
      .where('account_id', '=', a.id)
      .where('status', 'in', ['pending', 'onboarded'])
      .execute();
    if (existing.length)
      throw new ApiError({
        status: 409,
        code: 'SEED_ONE_DEVICE',
        message: 'Only one device per user. Offboard the existing device first.',
      });
    await tx
      .insertInto('seed_devices')
      .values({ id, account_id: a.id, name, os, status: 'pending', triggered_at: iso(now), onboarded_at: null })
      .execute();
    await tx
      .updateTable('accounts')
      .set({ seed_state: 'DEVICE_ONBOARDING', seed_device_at: sql<string>`coalesce(seed_device_at, ${iso(now)})` })
      .where('id', '=', a.id)
      .execute();
    await audit(tx, now, accountActor(a.username), 'seed.device-register', a.username, { deviceId: id, name, os });
  });
  return getMeSeed(ctx, { ...a, seed_state: 'DEVICE_ONBOARDING' });
}

/** Offboards (removes) a device record; SEED returns to PROVISIONED. */
export async function removeSeedDevice(ctx: Ctx, a: Account, id: string) {
  // In one transaction on the locked account row, like registerSeedDevice: the devices left and the SEED state are
  // read after a registration in progress committed, so a new device never ends beside a PROVISIONED state.
  const state = await ctx.db.transaction().execute(async (tx) => {
    await lockAccountRow(ctx, tx, a.id);
    const res = await tx
      .deleteFrom('seed_devices')
      .where('id', '=', id)
      .where('account_id', '=', a.id)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1)
      throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'There is no such device on your account.' });
    const left = await tx.selectFrom('seed_devices').select('id').where('account_id', '=', a.id).execute();
    const { seed_state: current } = await tx
      .selectFrom('accounts')
      .select('seed_state')
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    const next = left.length === 0 && ['DEVICE_ONBOARDING', 'ONBOARDED'].includes(current) ? 'PROVISIONED' : current;
    if (next !== current) await tx.updateTable('accounts').set({ seed_state: next }).where('id', '=', a.id).execute();
    await audit(tx, ctx.clock.now(), accountActor(a.username), 'seed.device-remove', a.username, {
      deviceId: id,
      seedState: next,
    });
    return next;
  });
  return getMeSeed(ctx, { ...a, seed_state: state });
}

export function seedStatus(ctx: Ctx) {
  const now = ctx.clock.now();
  let windows = ctx.config.maintenanceWindows;
  if (!windows) {
    // The usual SEED/Tanium window, 18:00–21:00 SGT (10:00–13:00 UTC), today and tomorrow (ACC-6).
    const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    windows = [0, 1].map((i) => ({
      startsAt: iso(new Date(day + i * 86_400_000 + 10 * 3_600_000)),
      endsAt: iso(new Date(day + i * 86_400_000 + 13 * 3_600_000)),
      description: 'Routine SEED/Tanium maintenance (18:00–21:00 SGT). Device onboarding may fail in this period.',
    }));
  }
  windows = windows.filter((w) => new Date(w.endsAt).getTime() > now.getTime());
  const active = windows.some(
    (w) => new Date(w.startsAt).getTime() <= now.getTime() && now.getTime() < new Date(w.endsAt).getTime(),
  );
  return { maintenance: { active, windows }, serverTime: iso(now) };
}
