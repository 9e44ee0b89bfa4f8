import type { CompiledMessage } from '@lingui/message-utils/compileMessage';
import type { en } from './locales/en';

/** The languages the wizard speaks, plus the pseudo-locale that makes hard-coded text and clipped layout visible. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const PSEUDO_LOCALE = 'en-XA';
export type AnyLocale = Locale | typeof PSEUDO_LOCALE;

/**
 * A message with placeholders, plurals or selects: it cannot be shown as it is, only through `format(message, values)`
 * (the compiler refuses `{t.phone.sentTo}` in JSX). It names its entry in the compiled catalogue.
 */
export interface ParamMessage {
  readonly id: string;
}

/** The catalogue the screens read: plain messages are strings, the others `ParamMessage`s; same keys as `en`. */
export type Catalogue<T = typeof en> = T extends string
  ? T extends `${string}{${string}`
    ? ParamMessage
    : string
  : T extends readonly (infer U)[]
    ? readonly Catalogue<U>[]
    : { readonly [K in keyof T]: Catalogue<T[K]> };

/** What `npm run i18n:compile` writes for one locale: the tree the screens read and the compiled ICU messages. */
export interface CompiledCatalogueFile {
  locale: string;
  tree: Catalogue;
  messages: Record<string, CompiledMessage>;
}
