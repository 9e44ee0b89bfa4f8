import type { Locale } from '../../../../shared/domain/locale';
import type { Ctx } from '../../context';
import type { Account } from './accounts';

/**
 * PUT /v1/me/locale: the language the user switched to in the wizard after registering. Every later email and SMS
 * reads `accounts.locale` when it is queued (migration 0400), so the next one is in the new language. Not audited: a
 * language is a preference, not a security event.
 */
export async function updateMyLocale(ctx: Ctx, a: Account, locale: Locale): Promise<void> {
  if (a.locale === locale) return;
  await ctx.db.updateTable('accounts').set({ locale }).where('id', '=', a.id).execute();
}
