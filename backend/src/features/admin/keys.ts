import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { GovernmentEmail } from '../../../../shared/domain/registration-schemas';
import { randomToken, sha256 } from '../../crypto';
import { isUniqueViolation } from '../../db/connect';
import type { DB } from '../../db/schema';
import { ApiError } from '../../http/errors';
import { adminActor, audit } from '../../db/audit';

/**
 * Named admin API keys: each stands for one principal (a person or a system) with one role, so every admin action
 * is attributable. Only the SHA-256 of a key is stored (a key is 256 random bits, so a plain hash cannot be reversed
 * by guessing); the key itself is shown once, when it is created.
 *
 * Roles and what they may do (the admin routes name the permission they need):
 * - `inviter`: create invitations (as its principal, who is recorded as the inviter), list, resend and revoke its own.
 * - `support`: read accounts and every account action (enable, disable, terminate, unlock, reset MFA, resend the
 *   initial password or the SEED email, send a reset link, verify a phone with a ticket); list invitations.
 * - `it`: read-only (accounts, invitations) plus the SEED/device action (resend the SEED onboarding email).
 * - `support` and `it` also read the audit trail and the onboarding funnel report.
 * ADMIN_API_KEY is the key of the inviting portal: it has every permission, and it names the inviter
 * of each invitation in `inviterEmail`.
 */
export const ADMIN_ROLES = ['inviter', 'support', 'it'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ADMIN_PERMISSIONS = [
  'invitations.write',
  'invitations.read',
  'accounts.read',
  'accounts.support',
  'accounts.seed',
  'audit.read',
  'reports.read',
] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

const GRANTS: Record<AdminRole | 'portal', readonly AdminPermission[]> = {
  portal: ADMIN_PERMISSIONS,
  inviter: ['invitations.write', 'invitations.read'],
  support: ['invitations.read', 'accounts.read', 'accounts.support', 'accounts.seed', 'audit.read', 'reports.read'],
  it: ['invitations.read', 'accounts.read', 'accounts.seed', 'audit.read', 'reports.read'],
};

/** Who is calling the admin API. */
export interface AdminPrincipal {
  kind: 'portal' | 'key';
  role: AdminRole | 'portal';
  /** The named key (undefined for the portal key). */
  keyName?: string;
  /** The person or system the key stands for (an email for people). */
  principal: string;
  /** How the audit log names this caller. */
  actor: string;
}

export function portalPrincipal(): AdminPrincipal {
  return { kind: 'portal', role: 'portal', principal: 'inviting-portal', actor: 'portal (ADMIN_API_KEY)' };
}

export function mayDo(p: AdminPrincipal, permission: AdminPermission): boolean {
  return GRANTS[p.role].includes(permission);
}

/** Why a role cannot do something, said so the operator knows which key to use. */
export function forbidden(p: AdminPrincipal, permission: AdminPermission): ApiError {
  const who = GRANTS;
  const roles = (Object.keys(who) as (AdminRole | 'portal')[]).filter(
    (r) => r !== 'portal' && who[r].includes(permission),
  );
  return new ApiError({
    status: 403,
    code: 'FORBIDDEN',
    message: `The admin key "${p.keyName ?? 'portal'}" has the role ${p.role}, which cannot do this (${permission}). Use a key with the role ${roles.join(' or ')}.`,
  });
}

export const KEY_PREFIX = 'tpk_';

export const AdminKeyName = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$/,
    'Use 2-100 letters, digits, dots, dashes, underscores or @ (no spaces), starting with a letter or digit.',
  );
export const AdminKeyPrincipal = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('The principal must be an email address.').max(200));

export const CreateAdminKeyInput = z
  .object({
    name: AdminKeyName,
    role: z.enum(ADMIN_ROLES),
    principal: AdminKeyPrincipal,
    createdBy: z.string().min(1).max(200),
  })
  .strict()
  .superRefine((v, ctx) => {
    // An inviter is an active public officer (domain §3.1): the principal of an inviter key is a *.gov.sg address.
    if (v.role === 'inviter' && !GovernmentEmail.safeParse(v.principal).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['principal'],
        message: 'An inviter key stands for a public officer: use their *.gov.sg email address.',
      });
    }
  });
export type CreateAdminKeyInput = z.input<typeof CreateAdminKeyInput>;

export interface AdminKeyView {
  id: string;
  name: string;
  role: AdminRole;
  principal: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export class AdminKeyError extends Error {
  constructor(
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AdminKeyError';
  }
}

const view = (r: DB['admin_keys']): AdminKeyView => ({
  id: r.id,
  name: r.name,
  role: r.role as AdminRole,
  principal: r.principal,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

/** Creates a key; returns it once (only its hash is stored). Audit-logged with who created it. */
export async function createAdminKey(
  db: Kysely<DB>,
  now: Date,
  input: CreateAdminKeyInput,
): Promise<{ key: string; view: AdminKeyView }> {
  const parsed = CreateAdminKeyInput.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const i of parsed.error.issues) fields[i.path.map(String).join('.') || 'key'] ??= i.message;
    throw new AdminKeyError('The key cannot be created: some values are not valid.', fields);
  }
  const v = parsed.data;
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  const row = {
    id: randomUUID(),
    name: v.name,
    role: v.role,
    principal: v.principal,
    key_hash: sha256(key),
    created_at: now.toISOString(),
    created_by: v.createdBy,
    revoked_at: null,
    last_used_at: null,
  };
  try {
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('admin_keys').values(row).execute();
      await audit(tx, now, adminActor(v.createdBy), 'admin-key.create', v.name, {
        role: v.role,
        principal: v.principal,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AdminKeyError(
        `A key named "${v.name}" already exists. Pick another name, or revoke the old key first.`,
        { name: 'Already in use.' },
      );
    throw err;
  }
  return { key, view: view(row) };
}

export async function listAdminKeys(db: Kysely<DB>): Promise<AdminKeyView[]> {
  const rows = await db.selectFrom('admin_keys').selectAll().orderBy('created_at').orderBy('name').execute();
  return rows.map(view);
}

/** Revokes by name; the key stops working at once. */
export async function revokeAdminKey(
  db: Kysely<DB>,
  now: Date,
  name: string,
  revokedBy: string,
): Promise<AdminKeyView> {
  return db.transaction().execute(async (tx) => {
    const res = await tx
      .updateTable('admin_keys')
      .set({ revoked_at: now.toISOString() })
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const row = await tx.selectFrom('admin_keys').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw new AdminKeyError(`There is no key named "${name}". See "keys list".`);
    if (Number(res.numUpdatedRows) === 0)
      throw new AdminKeyError(`The key "${name}" was already revoked on ${row.revoked_at ?? '?'}.`);
    await audit(tx, now, adminActor(revokedBy), 'admin-key.revoke', name, { role: row.role, principal: row.principal });
    return view(row);
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who a bearer key belongs to: the portal key (ADMIN_API_KEY), a live named key, or nobody (undefined). A named key
 * is found by the hash of the key, so the lookup reveals nothing about other keys.
 */
export async function resolveAdminKey(
  db: Kysely<DB>,
  now: Date,
  given: string,
  portalKey: string | undefined,
): Promise<AdminPrincipal | undefined> {
  if (portalKey && safeEqual(given, portalKey)) return portalPrincipal();
  if (!given.startsWith(KEY_PREFIX)) return undefined;
  const row = await db.selectFrom('admin_keys').selectAll().where('key_hash', '=', sha256(given)).executeTakeFirst();
  if (!row || row.revoked_at !== null) return undefined;
  // At most one write a minute per key: enough to see which keys are still in use.
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('admin_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
  }
  const role = row.role as AdminRole;
  return {
    kind: 'key',
    role,
    keyName: row.name,
    principal: row.principal,
    actor: `key ${row.name} (${role}) ${row.principal}`,
  };
}
