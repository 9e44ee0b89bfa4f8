import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../context';
import { ok, signedInAccount as me } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { acceptTerm, termsList } from './service';

/** The client that accepted, recorded with the acceptance (each header cut to 200 characters). */
function client(req: FastifyRequest): Record<string, string | undefined> {
  const h = (n: string) => (typeof req.headers[n] === 'string' ? req.headers[n].slice(0, 200) : undefined);
  return {
    userAgent: h('user-agent'),
    client: h('x-techpass-client'),
    clientVersion: h('x-techpass-client-version'),
    ip: req.ip,
  };
}

/** The terms step: the documents (for anyone, and for the signed-in account) and their acceptance. */
export function termsHandlers(ctx: Ctx): HandlersFor<'getTerms' | 'getMyTerms' | 'acceptTerm'> {
  return {
    getTerms: async () => ok(termsList()),
    getMyTerms: async (req) => ok(termsList(me(req))),
    acceptTerm: async (req) =>
      ok(await acceptTerm(ctx, me(req), req.body.id, req.body.version, client(req), req.body.language)),
  };
}
