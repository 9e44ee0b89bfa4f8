/**
 * The README's step map stays true: every wizard step has a row, every file it names exists, and every contract
 * method it names is one of the desktop contract's. Files move (steps split, routes regrouped): this names the row.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, STEP_IDS } from '../../shared/contract-names';

const ROOT = resolve(__dirname, '..', '..');

function stepMap(): { step: string; cells: string[] }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.search(/^## Step map$/m);
  expect(start, 'README.md has a "## Step map" section').toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start + 1);
  const section = rest.slice(0, rest.search(/^## /m) === -1 ? undefined : rest.search(/^## /m));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Step ') && !l.startsWith('|---'))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()))
    .map(([step, ...cells]) => ({ step: step ?? '', cells }));
}

const backticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const isPath = (s: string): boolean => /^[\w.-]+(\/[\w.-]+)+\.\w+$/.test(s);

describe('README step map', () => {
  const rows = stepMap();

  it('has one row per wizard step, in journey order', () => {
    expect(rows.map((r) => r.step)).toEqual([...STEP_IDS]);
  });

  it('every file it names exists', () => {
    const missing = rows.flatMap((r) => r.cells.flatMap(backticked).filter(isPath).filter((p) => !existsSync(join(ROOT, p))).map((p) => `${r.step}: ${p}`));
    expect(missing).toEqual([]);
  });

  it('every step names its renderer screen and host module, and only methods of the desktop contract', () => {
    for (const r of rows) {
      const [renderer, methods, host] = r.cells;
      expect(backticked(renderer ?? '').filter(isPath), `${r.step}: renderer`).toHaveLength(1);
      expect(backticked(host ?? '').filter(isPath).length, `${r.step}: host`).toBeGreaterThan(0);
      for (const m of backticked(methods ?? '')) expect(METHOD_NAMES as readonly string[], `${r.step}: ${m}`).toContain(m);
    }
  });

  it('checks what it reads: a path that does not exist is reported', () => {
    expect(isPath('electron/host/onboarding-session/steps/phone.ts')).toBe(true);
    expect(isPath('POST /v1/me/phone')).toBe(false);
    expect(existsSync(join(ROOT, 'renderer/src/steps/Nowhere.tsx'))).toBe(false);
  });
});
