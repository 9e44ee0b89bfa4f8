import { compileMessageOrThrow, type CompiledMessage } from '@lingui/message-utils/compileMessage';
import type { CompiledCatalogueFile, Catalogue } from './types';

export { pseudoText } from './pseudo';
import type { en } from './locales/en';
import type { Messages } from './locales/en';

/**
 * Build-time only (npm run i18n:compile and the tests; never in the app bundle): compiles a catalogue's ICU messages
 * with Lingui's compiler. Whether a message takes values is decided by the English reference, so every locale has the
 * same shape; a translation that drops or invents a placeholder fails here.
 */
export function compileCatalogue(
  locale: string,
  source: Messages,
  reference: typeof en,
  mapText?: (text: string) => string,
): CompiledCatalogueFile {
  const messages: Record<string, CompiledMessage> = {};
  const walk = (value: unknown, ref: unknown, path: string[]): unknown => {
    const id = path.join('.');
    if (typeof ref === 'string') {
      if (typeof value !== 'string') throw new Error(`${locale}: ${id} is missing`);
      const compiled = compileMessageOrThrow(value, mapText);
      const refCompiled = compileMessageOrThrow(ref);
      const names = (m: CompiledMessage): string[] => [...argumentNames(m)].sort();
      if (names(compiled).join() !== names(refCompiled).join()) {
        throw new Error(
          `${locale}: ${id} uses {${names(compiled).join(', ')}}, English uses {${names(refCompiled).join(', ')}}`,
        );
      }
      const takesValues = refCompiled.some((token) => typeof token !== 'string');
      if (!takesValues) return compiled.join('');
      messages[id] = mapText ? ['[', ...compiled, ']'] : compiled;
      return { id };
    }
    if (Array.isArray(ref)) {
      if (!Array.isArray(value) || value.length !== ref.length)
        throw new Error(`${locale}: ${id} must list ${ref.length} items`);
      return ref.map((r, i) => walk(value[i], r, [...path, String(i)]));
    }
    if (ref && typeof ref === 'object') {
      if (!value || typeof value !== 'object') throw new Error(`${locale}: ${id} is missing`);
      const extra = Object.keys(value).filter((k) => !(k in ref));
      if (extra.length) throw new Error(`${locale}: ${id ? `${id}.` : ''}${extra[0]} is not in the English catalogue`);
      return Object.fromEntries(
        Object.entries(ref).map(([k, r]) => [k, walk((value as Record<string, unknown>)[k], r, [...path, k])]),
      );
    }
    throw new Error(`${locale}: ${id} has an unexpected value`);
  };
  const tree = walk(source, reference, []) as Catalogue;
  // Plain messages in the pseudo-locale are bracketed too, so a clipped end shows.
  return { locale, tree: mapText ? bracketPlain(tree) : tree, messages };
}

function bracketPlain<T>(node: T): T {
  if (typeof node === 'string') return `[${node}]` as T;
  if (Array.isArray(node)) return node.map(bracketPlain) as T;
  if (node && typeof node === 'object' && !('id' in node && Object.keys(node).length === 1)) {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, bracketPlain(v)])) as T;
  }
  return node;
}

function* argumentNames(message: CompiledMessage): Generator<string> {
  for (const token of message) {
    if (typeof token === 'string') continue;
    const [name, , choices] = token;
    yield name;
    if (choices && typeof choices === 'object') {
      for (const [key, branch] of Object.entries(choices as Record<string, unknown>)) {
        if (key !== 'offset' && Array.isArray(branch)) yield* argumentNames(branch as CompiledMessage);
      }
    }
  }
}
