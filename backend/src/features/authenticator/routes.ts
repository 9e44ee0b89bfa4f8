import type { Ctx } from '../../context';
import { ok, signedInAccount as me } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { startAuthenticator, verifyAuthenticator } from './service';

/** The authenticator step: enrol a TOTP key and confirm it with a first code. */
export function authenticatorHandlers(ctx: Ctx): HandlersFor<'startAuthenticator' | 'verifyAuthenticator'> {
  return {
    startAuthenticator: async (req) => ok(await startAuthenticator(ctx, me(req))),
    verifyAuthenticator: async (req) => ok(await verifyAuthenticator(ctx, me(req), req.body.code)),
  };
}
