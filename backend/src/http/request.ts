/**
 * What the security hooks (routes.ts) attach to a request, and the small helpers every feature's handlers use to read
 * it and to answer.
 */
import type { FastifyRequest } from 'fastify';
import type { AdminPermission, AdminPrincipal } from '../features/admin/keys';
import type { AcceptedTerm, Account } from '../features/me/accounts';

declare module 'fastify' {
  interface FastifyRequest {
    account?: Account;
    /**
     * The account's accepted terms, read with the session (before the handler changed anything) on the routes that
     * declare `termsWithSession`; undefined on the others.
     */
    acceptedTerms?: readonly AcceptedTerm[];
    sessionHash?: string;
    adminPrincipal?: AdminPrincipal;
  }
  interface FastifyContextConfig {
    /** What an admin key must be allowed to do to call this route (features/admin/keys.ts). */
    adminPermission?: AdminPermission;
  }
}

export const ok = <T>(body: T) => ({ status: 200 as const, body });

/** The account of a session route's bearer token (set by the session hook before the handler runs). */
export const signedInAccount = (req: FastifyRequest): Account => req.account as Account;

/**
 * The terms the signed-in account had accepted when the request began (set by the session hook with the account on a
 * `termsWithSession` route; undefined elsewhere, and the caller reads them itself).
 */
export const termsAcceptedAtStart = (req: FastifyRequest): readonly AcceptedTerm[] | undefined => req.acceptedTerms;

/** The principal of an admin route's key (set by the admin hook before the handler runs). */
export const adminPrincipalOf = (req: FastifyRequest): AdminPrincipal => req.adminPrincipal as AdminPrincipal;
