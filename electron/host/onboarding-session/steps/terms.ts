/** Step "terms": the documents this user must accept, each accepted on its own. */
import type { JourneyState, TermsDocument, UiLocale } from '../../../../shared/contract';
import type { SessionContext } from '../context';

export async function getTerms(ctx: SessionContext): Promise<TermsDocument[]> {
  const token = await ctx.requireToken();
  const docs = await ctx.client.getTerms(token);
  await ctx.refresh();
  const allDone = !ctx.serverView()?.requiredActions.includes('terms');
  // Only the documents this user must accept (the MDM AUP only when SEED is provisioned).
  return docs
    .filter((d) => d.required)
    .map((d) => ({ ...d, accepted: allDone || ctx.progress.acceptedTerms.includes(`${d.id}@${d.version}`) }));
}

/** `language`: the language the text was shown in (recorded with the acceptance; the English version binds). */
export async function acceptTerm(
  ctx: SessionContext,
  id: TermsDocument['id'],
  version: string,
  language?: UiLocale,
): Promise<JourneyState> {
  const token = await ctx.requireToken();
  await ctx.client.acceptTerm(token, id, version, language);
  const key = `${id}@${version}`;
  if (!ctx.progress.acceptedTerms.includes(key)) ctx.save({ acceptedTerms: [...ctx.progress.acceptedTerms, key] });
  return ctx.freshJourney();
}
