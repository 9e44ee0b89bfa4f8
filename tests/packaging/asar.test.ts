import { listPackage } from '@electron/asar';
import { build, Platform } from 'electron-builder';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json';

// Packaging smoke test: electron-builder --linux dir with a stand-in Electron distribution (the real binary cannot be
// downloaded here). Fuse flipping needs the real binary, so it is skipped for the stand-in only; the rest of
// electron-builder.yml applies as written. Then the asar's contents are checked.
const work = mkdtempSync(join(tmpdir(), 'techpass-pack-'));
const out = join(work, 'release');
let files: string[] = [];
let unpacked: string[] = [];

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), `${prefix}/${e.name}`) : [`${prefix}/${e.name}`],
  );
}

beforeAll(async () => {
  if (!existsSync('out/main/index.js')) {
    const r = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('electron-vite build failed');
  }
  const dist = join(work, 'electron-dist');
  spawnSync('mkdir', ['-p', dist]);
  writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n');
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'version'), pkg.devDependencies.electron + '\n');
  await build({
    targets: Platform.LINUX.createTarget('dir'),
    config: { electronDist: dist, electronFuses: null, directories: { output: out } },
  });
  const resources = join(out, 'linux-unpacked', 'resources');
  files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
  unpacked = walk(join(resources, 'app.asar.unpacked'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('app.asar', () => {
  it('holds the built main, preload and renderer and the package manifest', () => {
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/preload/index.js');
    expect(files).toContain('/out/renderer/index.html');
    expect(files.some((f) => /^\/out\/renderer\/assets\/index-.*\.js$/.test(f))).toBe(true);
    expect(files).toContain('/package.json');
  });

  it('holds the runtime dependencies, with the keychain native module unpacked', () => {
    expect(files).toContain('/node_modules/zod/package.json');
    expect(
      unpacked.some((f) => f.startsWith('/node_modules/@napi-rs/keyring-linux-x64-gnu/') && f.endsWith('.node')),
    ).toBe(true);
  });

  it('holds no backend, tests, TypeScript sources, source maps or dev dependencies', () => {
    const forbidden = files.filter(
      (f) =>
        /^\/(backend|tests|renderer|electron|shared|scripts|docs)\//.test(f) ||
        /\.(ts|tsx|mts|cts)$/.test(f) ||
        f.endsWith('.map') ||
        /^\/node_modules\/(electron|electron-builder|vite|vitest|react|react-dom|typescript|fastify|better-sqlite3|pg|kysely|@playwright|playwright-core|@techpass)(\/|$)/.test(
          f,
        ),
    );
    expect(forbidden).toEqual([]);
  });

  it('ships the bundled organisation configuration beside the asar', () => {
    expect(existsSync(join(out, 'linux-unpacked', 'resources', 'org-config.json'))).toBe(true);
  });
});
