/**
 * The README's step map stays true: every wizard step has a row, every file it names exists, every contract method it
 * names is one of the desktop contract's, and each row points into the step's own folder or module (named by the step
 * id) in every layer that has one. Files move (steps split, routes regrouped): this names the row.
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
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    )
    .map(([step, ...cells]) => ({ step: step ?? '', cells }));
}

const backticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const isPath = (s: string): boolean => /^[\w.-]+(\/[\w.-]+)+\.\w+$/.test(s);
/** A step's screen lives in the renderer folder named by its step id: `renderer/src/steps/phone/Phone.tsx`. */
const screenPath = (step: string): RegExp => new RegExp(`^renderer/src/steps/${step}/[A-Z]\\w*\\.tsx$`);

describe('README step map', () => {
  const rows = stepMap();

  it('has one row per wizard step, in journey order', () => {
    expect(rows.map((r) => r.step)).toEqual([...STEP_IDS]);
  });

  it('every file it names exists', () => {
    const missing = rows.flatMap((r) =>
      r.cells
        .flatMap(backticked)
        .filter(isPath)
        .filter((p) => !existsSync(join(ROOT, p)))
        .map((p) => `${r.step}: ${p}`),
    );
    expect(missing).toEqual([]);
  });

  it('every step names its renderer screen and host module, and only methods of the desktop contract', () => {
    for (const r of rows) {
      const [renderer, methods, host] = r.cells;
      expect(backticked(renderer ?? '').filter(isPath), `${r.step}: renderer`).toHaveLength(1);
      expect(backticked(host ?? '').filter(isPath).length, `${r.step}: host`).toBeGreaterThan(0);
      for (const m of backticked(methods ?? ''))
        expect(METHOD_NAMES as readonly string[], `${r.step}: ${m}`).toContain(m);
    }
  });

  it('every step points into its own folder in every layer that has one, under the step id', () => {
    // step-screens.ts loads each screen: `import('./steps/phone/Phone')`, or the eager welcome screen's static import.
    const screens = readFileSync(join(ROOT, 'renderer/src/step-screens.ts'), 'utf8');
    for (const r of rows) {
      const [renderer, , host, , backend] = r.cells;
      const [screen] = backticked(renderer ?? '').filter(isPath);
      expect(screen, `${r.step}: renderer`).toMatch(screenPath(r.step));
      const module = `./steps/${r.step}/${(screen ?? '')
        .split('/')
        .pop()
        ?.replace(/\.tsx$/, '')}`;
      expect(screens, `${r.step}: step-screens.ts loads ${module}`).toContain(`'${module}'`);
      // A layer with a module or folder named after the step: the row names a file of it.
      const hostModule = `electron/host/onboarding-session/steps/${r.step}.ts`;
      if (existsSync(join(ROOT, hostModule))) expect(backticked(host ?? ''), `${r.step}: host`).toContain(hostModule);
      const feature = `backend/src/features/${r.step}/`;
      if (existsSync(join(ROOT, feature))) {
        expect(
          backticked(backend ?? '').some((p) => p.startsWith(feature)),
          `${r.step}: backend names a file of ${feature}`,
        ).toBe(true);
      }
    }
  });

  it('checks what it reads: a path that does not exist is reported', () => {
    expect(isPath('electron/host/onboarding-session/steps/phone.ts')).toBe(true);
    expect(isPath('POST /v1/me/phone')).toBe(false);
    expect(existsSync(join(ROOT, 'renderer/src/steps/Nowhere.tsx'))).toBe(false);
    expect('renderer/src/steps/phone/Phone.tsx').toMatch(screenPath('phone'));
    expect('renderer/src/steps/Phone.tsx').not.toMatch(screenPath('phone'));
    expect('renderer/src/steps/sign-in/SignIn.tsx').not.toMatch(screenPath('verify'));
  });
});
