import type { TermsDocument } from '../../../../shared/contract';

/** A translated legal text, for exactly one version of the English original (the one that binds). */
export interface LegalTranslation {
  version: string;
  title: string;
  body: string;
}

/** One file per language beside this one; a language without a file shows the English texts. */
export type LegalTranslations = Readonly<Record<TermsDocument['id'], LegalTranslation>>;
