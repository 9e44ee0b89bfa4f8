import { randomUUID } from 'node:crypto';
import { DEFAULT_LOCALE, type Locale } from '../../../../shared/domain/locale';
import type { Ctx } from '../../context';
import { iso } from '../../context';
import { accountActor, audit } from '../../db/audit';
import { ApiError } from '../../http/errors';
import { actionResult, lockAccountRow, seedProvisioned, type Account } from '../me/accounts';
import { termsDoc, TERMS_DOCUMENTS } from './documents';

export function termsList(a?: Account) {
  return TERMS_DOCUMENTS.map((d) => ({ ...d, required: d.id !== 'mdm-aup' || (a ? seedProvisioned(a) : false) }));
}

/** `language`: the language the text was shown in, as the host reports it (English when it does not say). */
export async function acceptTerm(
  ctx: Ctx,
  a: Account,
  id: string,
  version: string,
  client: Record<string, string | undefined>,
  language: Locale | undefined,
) {
  const doc = termsDoc(id);
  if (!doc) throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'There is no such terms document.' });
  if (doc.version !== version) {
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: `A newer version (${doc.version}) of “${doc.title}” exists. Reload the terms and accept the current version.`,
    });
  }
  const now = iso(ctx.clock.now());
  // Recorded once however many acceptances arrive at once: the check and the insert run in one transaction that
  // first locks the account row on PostgreSQL (SQLite runs one write transaction at a time).
  await ctx.db.transaction().execute(async (tx) => {
    await lockAccountRow(ctx, tx, a.id);
    const already = await tx
      .selectFrom('terms_acceptances')
      .select('id')
      .where('account_id', '=', a.id)
      .where('doc', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!already) {
      await tx
        .insertInto('terms_acceptances')
        .values({
          id: randomUUID(),
          account_id: a.id,
          doc: id,
          version,
          language: language ?? DEFAULT_LOCALE,
          accepted_at: now,
          client: JSON.stringify(client),
        })
        .execute();
      await audit(tx, ctx.clock.now(), accountActor(a.username), 'terms.accept', a.username, {
        doc: id,
        version,
        language: language ?? DEFAULT_LOCALE,
        client,
      });
    }
  });
  return actionResult(ctx, a.id);
}
