import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every package the code imports is declared in the package.json that installs it (the root one, or the backend
// workspace's for backend/ files), so a clean install never relies on another package's dependency being hoisted.
const root = resolve(__dirname, '../..');

function declared(packageJson: string): Set<string> {
  const j = JSON.parse(readFileSync(join(root, packageJson), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  return new Set(['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((k) => Object.keys(j[k] ?? {})));
}

const IMPORTS = [
  // Anchored to an import/export statement: SQL in strings (`select … from "accounts"`) is not an import.
  /^\s*(?:import|export)\s[^'"`;]*?\bfrom\s+['"]([^'"]+)['"]/gm,
  /^\s*import\s+['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const PACKAGE = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:\/.*)?$/;

function importedPackages(source: string): string[] {
  return IMPORTS.flatMap((re) => [...source.matchAll(re)].map((m) => m[1] as string))
    .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0] as string))
    .map((s) => PACKAGE.exec(s)?.[1])
    .filter((s): s is string => s !== undefined);
}

describe('declared dependencies', () => {
  it('every imported package is in package.json', () => {
    const rootDeps = declared('package.json');
    const backendDeps = declared('backend/package.json');
    const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mts', '*.mjs', '*.cjs', '*.js'], {
      cwd: root,
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    const missing = files.flatMap((file) =>
      importedPackages(readFileSync(join(root, file), 'utf8'))
        .filter((name) => !rootDeps.has(name) && !(file.startsWith('backend/') && backendDeps.has(name)))
        .map((name) => `${name} (${file})`),
    );
    expect(missing).toEqual([]);
  });

  it('finds the imports it checks', () => {
    expect(
      importedPackages(
        "import { z } from 'zod';\nimport '@testing-library/jest-dom/vitest';\nconst q = await import('qrcode');",
      ),
    ).toEqual(['zod', '@testing-library/jest-dom', 'qrcode']);
    expect(importedPackages('const q = `select * from "accounts"`;\nexport { a } from "./a";')).toEqual([]);
    expect(importedPackages("import {\n  a,\n  type B,\n} from 'kysely';\nexport * from 'zod';")).toEqual([
      'kysely',
      'zod',
    ]);
    expect(importedPackages("import { join } from 'node:path';\nimport x from './local';\nrequire('fs');")).toEqual([]);
  });
});
