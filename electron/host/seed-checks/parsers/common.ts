/** Helpers shared by the tolerant parsers. Parsers never throw on odd input; they return what they could read. */

export function lines(text: string | undefined): string[] {
  return (text ?? '').replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** Normalises a key for comparison: lower case, no spaces, dashes or underscores. */
export function normKey(key: string): string {
  return key.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** "key: value" (or "key = value") lines into a map keyed by normKey(key). Later duplicates do not overwrite. */
export function keyValues(text: string | undefined, separator: RegExp = /\s*:\s*/): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines(text)) {
    const m = separator.exec(line);
    if (!m || m.index === 0) continue;
    const key = normKey(line.slice(0, m.index));
    const value = line.slice(m.index + m[0].length).trim();
    if (key && !map.has(key)) map.set(key, value);
  }
  return map;
}

const YES = new Set(['yes', 'ja', 'oui', 'si', 'sí', 'sim', 'да', 'はい', '是', 'true', 'y', 'on', 'enabled']);
const NO = new Set(['no', 'nein', 'non', 'não', 'nao', 'нет', 'いいえ', '否', 'false', 'n', 'off', 'disabled']);

/** YES/NO in English and the common Windows display languages; undefined when unrecognised. */
export function yesNo(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase().replace(/[.!]$/, '');
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return undefined;
}

export function toArray<T>(value: T | T[] | null | undefined): T[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Compares dotted versions numerically: "15.10" > "15.7.2". Missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export const GUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
