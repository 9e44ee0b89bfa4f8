import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Plants a forbidden import in a file of each layer and shows the lint rule (eslint.config.mjs) fails on it,
// while the same layer's allowed imports pass.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it.each([
    ['shared/domain/planted.ts', "import { x } from '../../electron/host/dispatch';"],
    ['shared/planted.ts', "import { readFile } from 'node:fs';"],
    ['shared/planted.ts', "import { app } from 'electron';"],
    ['renderer/src/planted.ts', "import { app } from 'electron';"],
    ['renderer/src/planted.ts', "import { readFile } from 'node:fs/promises';"],
    ['renderer/src/planted.ts', "import { buildApp } from '../../backend/src/app';"],
    ['renderer/src/steps/planted.ts', "import { dispatch } from '../../../electron/host/dispatch';"],
    ['backend/src/planted.ts', "import { dispatch } from '../../electron/host/dispatch';"],
    ['backend/src/planted.ts', "import { app } from 'electron';"],
    ['electron/host/planted.ts', "import { app } from 'electron';"],
    ['electron/host/planted.ts', "import { buildApp } from '../../backend/src/app';"],
    ['electron/web/planted.ts', "import { App } from '../../renderer/src/App';"],
    ['electron/main/planted.ts', "import { buildApp } from '../../backend/src/app';"],
  ])('%s: %s is an error', async (file, code) => {
    expect(await restrictedImportErrors(file, `${code}\nexport const y = 1;\n`)).not.toEqual([]);
  });

  it.each([
    ['renderer/src/planted.ts', "import { contract } from '../../shared/contract';"],
    ['backend/src/planted.ts', "import { contract } from '../../shared/contract';"],
    ['electron/host/planted.ts', "import { readFile } from 'node:fs';"],
    ['electron/main/planted.ts', "import { app } from 'electron';"],
    ['electron/preload/planted.ts', "import { contextBridge } from 'electron';"],
    ['shared/domain/planted.ts', "import { contract } from '../contract';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await restrictedImportErrors(file, `${code}\nexport const y = 1;\n`)).toEqual([]);
  });
});
