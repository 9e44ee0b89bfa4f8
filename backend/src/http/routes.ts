import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../../shared/api';
import { BUNDLED_SEED_OS_BASELINE } from '../../../shared/domain/seed-os-baseline';
import type { Ctx } from '../context';
import { iso } from '../context';
import { ManualClock } from '../clock';
import { DbOutboxStore } from '../outbox/outbox-store';
import type { Account } from '../services/accounts';
import { accountAction, accountSummary, completeLinkReset, completePasswordReset, startPasswordReset } from '../services/admin-accounts';
import { requireAccountByUsername } from '../services/accounts';
import { authenticate, signIn, signInMfa, signOut } from '../services/auth';
import { createInvitation, invitationProblems, listInvitations, resendInvitation, revokeInvitation } from '../services/invitations';
import {
  acceptTerms,
  changePassword,
  meSeed,
  meView,
  registerSeedDevice,
  removeSeedDevice,
  seedStatus,
  startAuthenticator,
  startPhone,
  termsList,
  verifyAuthenticator,
  verifyPhone,
} from '../services/me';
import { readRegistration, register } from '../services/registration';
import { ApiError } from './errors';
import { addressRateLimit } from './rate-limit-store';

declare module 'fastify' {
  interface FastifyRequest {
    account?: Account;
    sessionHash?: string;
  }
}

export interface RouteOptions {
  ctx: Ctx;
  runJobs: () => Promise<unknown>;
}

const Token = z.object({ token: z.string().min(1).max(200) }).strict();
const UsernameParam = z.object({ username: z.string().min(1).max(200) }).strict();
const IdParam = z.object({ id: z.string().min(1).max(100) }).strict();

function client(req: FastifyRequest): Record<string, string | undefined> {
  const h = (n: string) => (typeof req.headers[n] === 'string' ? (req.headers[n] as string).slice(0, 200) : undefined);
  return { userAgent: h('user-agent'), client: h('x-techpass-client'), clientVersion: h('x-techpass-client-version'), ip: req.ip };
}

export const routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, runJobs }) => {
  const limit = await addressRateLimit(app, ctx);

  // ---------- auth guards (onRequest: they run before the body is read or validated) ----------
  const adminKey = ctx.config.adminApiKey;
  const requireAdmin = async (req: FastifyRequest) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const given = Buffer.from(m?.[1] ?? '');
    const want = Buffer.from(adminKey ?? '');
    if (!adminKey || !m || given.length !== want.length || !timingSafeEqual(given, want)) {
      throw new ApiError(401, 'UNAUTHORIZED', adminKey ? 'The admin API key is missing or wrong. Send Authorization: Bearer <ADMIN_API_KEY>.' : 'Admin API is off: set ADMIN_API_KEY on the server.');
    }
  };
  const requireSession = async (req: FastifyRequest) => {
    const { account, tokenHash } = await authenticate(ctx, req.headers.authorization);
    req.account = account;
    req.sessionHash = tokenHash;
  };
  const me = (req: FastifyRequest): Account => req.account as Account;

  // ---------- admin ----------
  await app.register(async (admin) => {
    admin.addHook('onRequest', requireAdmin);
    const r = admin.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    const actor = 'admin-api';
    r.post('/v1/admin/invitations', { schema: { tags: ['admin'], body: api.CreateInvitationBody } }, async (req, reply) => {
      const { token: _t, ...out } = await createInvitation(ctx, req.body, actor);
      return reply.status(201).send(out);
    });
    r.get('/v1/admin/invitations', { schema: { tags: ['admin'] } }, async () => listInvitations(ctx));
    // Each row is validated on its own, so one bad row is reported in its result instead of refusing the batch.
    const BulkRows = z.array(z.record(z.string(), z.unknown())).min(1, 'Send at least one invitation.').max(500, 'Send at most 500 invitations at once.');
    r.post('/v1/admin/invitations/bulk', { schema: { tags: ['admin'], body: BulkRows, querystring: api.BulkInvitationQuery } }, async (req, reply) => {
      const dryRun = req.query.dryRun === 'true';
      const results = [];
      for (const [index, raw] of req.body.entries()) {
        const email = typeof raw.email === 'string' ? raw.email : '';
        try {
          const parsed = api.CreateInvitationBody.safeParse(raw);
          if (!parsed.success) {
            const fields: Record<string, string> = {};
            for (const i of parsed.error.issues) {
              if (i.code === 'unrecognized_keys') for (const k of i.keys) fields[k] = 'This field is not allowed here. Remove it.';
              else fields[i.path.map(String).join('.') || 'row'] ??= i.message;
            }
            throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are missing or not valid.', fields);
          }
          if (dryRun) {
            const problems = invitationProblems(parsed.data);
            if (problems) throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are not valid.', problems);
            results.push({ index, email: parsed.data.email, ok: true });
          } else {
            const { id } = await createInvitation(ctx, parsed.data, actor);
            results.push({ index, email: parsed.data.email, ok: true, id });
          }
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          results.push({ index, email, ok: false, error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } });
        }
      }
      return reply.status(dryRun ? 200 : 201).send({ dryRun, results });
    });
    r.post('/v1/admin/invitations/:id/resend', { schema: { tags: ['admin'], params: IdParam } }, async (req) => resendInvitation(ctx, req.params.id, actor));
    r.delete('/v1/admin/invitations/:id', { schema: { tags: ['admin'], params: IdParam } }, async (req) => revokeInvitation(ctx, req.params.id, actor));
    r.get('/v1/admin/accounts/:username', { schema: { tags: ['admin'], params: UsernameParam } }, async (req) =>
      accountSummary(ctx, await requireAccountByUsername(ctx, req.params.username)),
    );
    r.post(
      '/v1/admin/accounts/:username/:action',
      { schema: { tags: ['admin'], params: z.object({ username: z.string().min(1).max(200), action: api.AdminAccountAction }).strict() } },
      async (req) => accountAction(ctx, req.params.username, req.params.action, actor),
    );
    for (const action of ['send-reset-link', 'verify-phone'] as const) {
      r.post(`/v1/admin/accounts/:username/${action}`, { schema: { tags: ['admin'], params: UsernameParam, body: api.SupportTicketBody } }, async (req) =>
        accountAction(ctx, req.params.username, action, `support:${req.body.ticket}`, req.body.ticket),
      );
    }
  });

  // ---------- public ----------
  await app.register(async (pub) => {
    const r = pub.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    pub.addHook('onRequest', limit);
    r.get('/v1/registrations/:token', { schema: { tags: ['registration'], params: Token } }, async (req) => readRegistration(ctx, req.params.token));
    r.post('/v1/registrations/:token', { schema: { tags: ['registration'], params: Token, body: api.RegistrationBody } }, async (req, reply) =>
      reply.status(201).send(await register(ctx, req.params.token, req.body)),
    );
    r.post('/v1/sessions', { schema: { tags: ['sessions'], body: api.SignInBody } }, async (req, reply) => {
      const r2 = await signIn(ctx, req.body.loginId, req.body.password);
      if (r2.kind === 'mfa') return reply.status(200).send({ status: 'mfa_required', mfaToken: r2.mfaToken });
      return reply.status(201).send({ token: r2.token, requiredActions: r2.requiredActions });
    });
    r.post('/v1/sessions/mfa', { schema: { tags: ['sessions'], body: api.MfaBody } }, async (req, reply) =>
      reply.status(201).send(await signInMfa(ctx, req.body.mfaToken, req.body.code)),
    );
    r.post('/v1/password-resets', { schema: { tags: ['password'], body: api.PasswordResetStartBody } }, async (req, reply) => {
      await startPasswordReset(ctx, req.body.loginId);
      return reply.status(202).send({ status: 'accepted', message: 'If the account exists, a code was sent by SMS to its registered mobile.' });
    });
    r.post('/v1/password-resets/complete', { schema: { tags: ['password'], body: api.PasswordResetCompleteBody } }, async (req) => {
      await completePasswordReset(ctx, req.body.loginId, req.body.code, req.body.newPassword);
      return { status: 'reset' };
    });
    r.post('/v1/password-resets/link', { schema: { tags: ['password'], body: api.PasswordResetLinkBody } }, async (req) => ({
      status: 'reset',
      ...(await completeLinkReset(ctx, req.body.token, req.body.newPassword)),
    }));
    r.get('/v1/terms', { schema: { tags: ['terms'] } }, async () => termsList());
    r.get('/v1/seed/os-baseline', { schema: { tags: ['seed'] } }, async () => BUNDLED_SEED_OS_BASELINE);
    r.get('/v1/seed/status', { schema: { tags: ['seed'] } }, async () => seedStatus(ctx));
  });

  // ---------- signed in ----------
  await app.register(async (authd) => {
    authd.addHook('onRequest', requireSession);
    const r = authd.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    r.delete('/v1/sessions/current', { schema: { tags: ['sessions'] } }, async (req, reply: FastifyReply) => {
      await signOut(ctx, req.sessionHash as string);
      return reply.status(204).send();
    });
    r.get('/v1/me', { schema: { tags: ['me'] } }, async (req) => meView(ctx, me(req)));
    r.post('/v1/me/mfa/authenticator', { schema: { tags: ['me'] } }, async (req) => startAuthenticator(ctx, me(req)));
    r.post('/v1/me/mfa/authenticator/verify', { schema: { tags: ['me'], body: api.CodeBody } }, async (req) => verifyAuthenticator(ctx, me(req), req.body.code));
    r.post('/v1/me/phone', { schema: { tags: ['me'], body: api.PhoneBody } }, async (req, reply) => reply.status(202).send(await startPhone(ctx, me(req), req.body.mobile)));
    r.post('/v1/me/phone/verify', { schema: { tags: ['me'], body: api.CodeBody } }, async (req) => verifyPhone(ctx, me(req), req.body.code));
    r.post('/v1/me/password', { schema: { tags: ['me'], body: api.ChangePasswordBody } }, async (req) =>
      changePassword(ctx, me(req), req.body.currentPassword, req.body.newPassword, req.sessionHash as string),
    );
    r.get('/v1/me/terms', { schema: { tags: ['terms'] } }, async (req) => termsList(me(req)));
    r.post('/v1/me/terms', { schema: { tags: ['terms'], body: api.AcceptTermsBody } }, async (req) => acceptTerms(ctx, me(req), req.body.id, req.body.version, client(req)));
    r.get('/v1/me/seed', { schema: { tags: ['seed'] } }, async (req) => meSeed(ctx, me(req)));
    r.post('/v1/me/seed/devices', { schema: { tags: ['seed'], body: api.RegisterSeedDeviceBody } }, async (req, reply) =>
      reply.status(201).send(await registerSeedDevice(ctx, me(req), req.body.name, req.body.os)),
    );
    r.delete('/v1/me/seed/devices/:id', { schema: { tags: ['seed'], params: IdParam } }, async (req) => removeSeedDevice(ctx, me(req), req.params.id));
  });

  // ---------- test mode (outbox also in demo mode, for the demo inbox) ----------
  if (ctx.config.testMode || ctx.config.demo) {
    const store = new DbOutboxStore(ctx.db);
    app.get('/v1/test/outbox', { schema: { tags: ['test'] } }, async () =>
      (await store.list()).map((m) => ({ id: m.id, channel: m.channel, to: m.to, template: m.template, ...(m.subject !== undefined ? { subject: m.subject } : {}), body: m.body, data: m.data, createdAt: m.createdAt })),
    );
  }
  if (ctx.config.testMode) {
    const r = app.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    r.get('/v1/test/clock', { schema: { tags: ['test'] } }, async () => ({ now: iso(ctx.clock.now()) }));
    r.post('/v1/test/clock', { schema: { tags: ['test'], body: api.AdvanceClockBody } }, async (req) => {
      if (!(ctx.clock instanceof ManualClock)) throw new ApiError(409, 'CONFLICT', 'The clock is not a test clock.');
      return { now: iso(ctx.clock.advance(req.body.advanceSeconds)) };
    });
    r.post('/v1/test/jobs/run', { schema: { tags: ['test'] } }, async () => runJobs());
  }
};
