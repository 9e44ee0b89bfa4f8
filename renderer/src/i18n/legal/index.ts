import type { Locale } from '../types';
import type { LegalTranslations } from './types';

export type { LegalTranslation, LegalTranslations } from './types';

/** Each language's legal texts are their own chunk, loaded only when the Terms step is shown in that language. */
const LOADERS: Partial<Record<Locale, () => Promise<LegalTranslations>>> = {
  'zh-CN': () => import('./zh-CN').then((m) => m.LEGAL_ZH_CN),
};

export async function legalTranslations(locale: string): Promise<LegalTranslations | undefined> {
  // The pseudo-locale shows the English texts (content from the server, not the app's words).
  const load = LOADERS[locale as Locale];
  return load ? load() : undefined;
}
