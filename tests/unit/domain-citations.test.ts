/**
 * Every "§N.N" a comment or document in the tree cites is a heading of docs/domain.md, and every "§9 A<n>" (or
 * "domain.md A<n>") is a row of its §9 table: a renumbered or deleted section fails here, naming the file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const DOMAIN = join(ROOT, 'docs', 'domain.md');
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  'out',
  'dist',
  'release',
  'reports',
  'test-results',
  'playwright-report',
  '.data',
  'screenshots',
]);
const TEXT = /\.(ts|tsx|mts|cts|js|mjs|cjs|md|yml|yaml|json|html|css|sql|sh)$/;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) out.push(...files(path));
    } else if (TEXT.test(name) && name !== 'package-lock.json') out.push(path);
  }
  return out;
}

/** Section numbers of the document's headings ("## 2. Lifecycle", "### 2.5 Deadlines") and the ids of its §9 rows. */
function domainAnchors(markdown: string): { sections: Set<string>; decisions: Set<string> } {
  const sections = new Set<string>();
  for (const m of markdown.matchAll(/^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s/gm)) sections.add(m[1]!);
  const nine = markdown.slice(markdown.search(/^## 9\.\s/m));
  const decisions = new Set([...nine.matchAll(/^\|\s*(A\d+)\s*\|/gm)].map((m) => m[1]!));
  return { sections, decisions };
}

/** Every citation in `text`: "§2.5", "§5.2.", "domain.md §7", and "§9 A13" / "domain.md A10" decisions. */
function citations(text: string): { section?: string; decision?: string; line: number }[] {
  const out: { section?: string; decision?: string; line: number }[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(/§(\d+(?:\.\d+)*)(?:\s+(A\d+))?/g)) {
      out.push({ section: m[1]!, line: i + 1 });
      if (m[2]) out.push({ decision: m[2], line: i + 1 });
    }
    for (const m of lineText.matchAll(/domain(?:\.md)?,?\s+(A\d+)\b/g)) out.push({ decision: m[1]!, line: i + 1 });
  });
  return out;
}

describe('docs/domain.md citations', () => {
  const { sections, decisions } = domainAnchors(readFileSync(DOMAIN, 'utf8'));

  it('the parser reads headings, decisions and citations as written', () => {
    const doc = '## 2. Lifecycle\n### 2.5 Deadlines\n## 9. Defaults\n| # | Q |\n|---|---|\n| A13 | lists |\n';
    expect(domainAnchors(doc)).toEqual({ sections: new Set(['2', '2.5', '9']), decisions: new Set(['A13']) });
    expect(citations('x (domain.md §2.5) and §5.2. then §9 A13, domain.md A10\n§7')).toEqual([
      { section: '2.5', line: 1 },
      { section: '5.2', line: 1 },
      { section: '9', line: 1 },
      { decision: 'A13', line: 1 },
      { decision: 'A10', line: 1 },
      { section: '7', line: 2 },
    ]);
  });

  it('every § and A-decision cited in the tree resolves', () => {
    const unresolved: string[] = [];
    let count = 0;
    for (const file of files(ROOT)) {
      if (file === DOMAIN) continue;
      for (const c of citations(readFileSync(file, 'utf8'))) {
        count += 1;
        const where = `${relative(ROOT, file)}:${c.line}`;
        if (c.section !== undefined && !sections.has(c.section)) unresolved.push(`${where} cites §${c.section}`);
        if (c.decision !== undefined && !decisions.has(c.decision)) unresolved.push(`${where} cites ${c.decision}`);
      }
    }
    expect(count).toBeGreaterThan(50);
    expect(unresolved).toEqual([]);
  });
});
