/**
 * The CLIs run as built JavaScript in one Node process (scripts/cli.cjs), rebuilt when a source is newer than the
 * build: no TypeScript loader at run time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const run = (...args: string[]) =>
  execFileSync(process.execPath, [join(root, 'scripts/cli.cjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ADMIN_API_KEY: '' },
  });

describe('built CLIs', { timeout: 60_000 }, () => {
  it('admin and seed-check answer --help from their built bundles, with no tsx loaded', () => {
    expect(run('admin', '--help')).toContain('TechPass admin CLI');
    expect(run('seed-check', '--help')).toContain('Usage: seed-check');
    for (const out of ['backend/dist/cli/admin.cjs', 'out/cli/seed-check.cjs'])
      expect(readFileSync(join(root, out), 'utf8')).not.toMatch(/require\("tsx/);
  });

  it('rebuilds a tool whose sources changed since its build', () => {
    const bundle = join(root, 'out/cli/seed-check.cjs');
    run('seed-check', '--help');
    const before = statSync(bundle).mtimeMs;
    const source = join(root, 'electron/host/seed-checks/cli.ts');
    const later = new Date(before + 5000);
    utimesSync(source, later, later);
    run('seed-check', '--help');
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(before);
  });

  it('npm run admin runs the built CLI', () => {
    const help = execFileSync('npm', ['run', '--silent', 'admin', '--', '--help'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ADMIN_API_KEY: '' },
    });
    expect(help).toContain('TechPass admin CLI');
  });
});
