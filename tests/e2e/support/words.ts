import type { CompiledMessage } from '@lingui/message-utils/compileMessage';
import en from '../../../renderer/src/i18n/compiled/en.json';
import enXA from '../../../renderer/src/i18n/compiled/en-XA.json';
import zhCN from '../../../renderer/src/i18n/compiled/zh-CN.json';
import type { Messages } from '../../../renderer/src/i18n/locales/en';

/**
 * The words a screen shows, per locale, read from the compiled catalogues the app ships (so a spec finds controls by
 * exactly what the user reads). Messages with values come back as templates with `{name}` placeholders; a plural
 * or select gives its `other` form. Fill them with `fill`.
 */
export type Words = Messages;
export type WordsLocale = 'en' | 'zh-CN' | 'en-XA';

interface CompiledFile {
  tree: unknown;
  messages: Record<string, CompiledMessage>;
}

function template(message: CompiledMessage): string {
  return message
    .map((token) => {
      if (typeof token === 'string') return token;
      const [name, , choices] = token;
      if (choices && typeof choices === 'object' && 'other' in choices) {
        return template((choices as { other: CompiledMessage }).other).replace(/#/g, `{${name}}`);
      }
      return `{${name}}`;
    })
    .join('');
}

function rebuild(node: unknown, messages: CompiledFile['messages']): unknown {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map((n) => rebuild(n, messages));
  if (node && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'id') return template(messages[(node as { id: string }).id] ?? []);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rebuild(v, messages)]));
  }
  return node;
}

const FILES: Record<WordsLocale, CompiledFile> = {
  en: en as unknown as CompiledFile,
  'zh-CN': zhCN as unknown as CompiledFile,
  'en-XA': enXA as unknown as CompiledFile,
};

export function wordsFor(locale: WordsLocale): Words {
  const file = FILES[locale];
  return rebuild(file.tree, file.messages) as Words;
}

/** `{name}` placeholders filled (what `format` shows for simple messages). */
export function fill(message: string, values: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
}

/** A message as a pattern: its fixed text literally, each placeholder as "anything". */
export function pattern(message: string): RegExp {
  return new RegExp(
    message
      .split(/\{\w+\}/)
      // Accessible names collapse runs of white space.
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
      .join('.+'),
  );
}
