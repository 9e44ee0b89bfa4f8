import { BUNDLED_SEED_OS_BASELINE } from '../../../../shared/domain/seed-os-baseline';
import type { Ctx } from '../../context';
import { ok, signedInAccount as me } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { getMeSeed, registerSeedDevice, removeSeedDevice, seedStatus } from './service';

/** The device-check step: the account's SEED provisioning and devices, SEED's maintenance windows, the OS baseline. */
export function seedHandlers(
  ctx: Ctx,
): HandlersFor<'getOsBaseline' | 'getSeedStatus' | 'getMeSeed' | 'registerSeedDevice' | 'removeSeedDevice'> {
  return {
    getOsBaseline: async () => ok(BUNDLED_SEED_OS_BASELINE),
    getSeedStatus: async () => ok(seedStatus(ctx)),
    getMeSeed: async (req) => ok(await getMeSeed(ctx, me(req))),
    registerSeedDevice: async (req) => ({
      status: 201,
      body: await registerSeedDevice(ctx, me(req), req.body.name, req.body.os),
    }),
    removeSeedDevice: async (req) => ok(await removeSeedDevice(ctx, me(req), req.params.id)),
  };
}
