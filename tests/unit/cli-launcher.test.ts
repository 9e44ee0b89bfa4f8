/**
 * The CLIs run as built JavaScript in one Node process (scripts/cli.cjs), rebuilt when a source is newer than the
 * build: no TypeScript loader at run time. Each is a small entry (arguments, help, argument errors) and a main bundle
 * the entry loads only when a command runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const run = (...args: string[]) =>
  execFileSync(process.execPath, [join(root, 'scripts/cli.cjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ADMIN_API_KEY: '' },
  });

const BUNDLES = {
  admin: { entry: 'backend/dist/cli/admin.cjs', main: 'backend/dist/cli/admin.main.cjs' },
  'seed-check': { entry: 'out/cli/seed-check.cjs', main: 'out/cli/seed-check.main.cjs' },
};

// A preload that writes, at exit, every file the process require()d (require.cache: the launcher, the bundles).
const scratch = mkdtempSync(join(tmpdir(), 'cli-launcher-'));
const hook = join(scratch, 'list-required.cjs');
writeFileSync(
  hook,
  `process.on('exit', () => require('node:fs').writeFileSync(process.env.CLI_TEST_REQUIRED, JSON.stringify(Object.keys(require.cache))));\n`,
);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `node scripts/cli.cjs <args>` and says what it printed, its exit code and the files it loaded. */
function traced(...args: string[]) {
  const list = join(scratch, `required-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, ['--require', hook, join(root, 'scripts/cli.cjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ADMIN_API_KEY: '', CLI_TEST_REQUIRED: list },
  });
  const required = (JSON.parse(readFileSync(list, 'utf8')) as string[]).map((f) => resolve(f));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, required };
}
const has = (required: string[], file: string) => required.includes(join(root, file));

describe('built CLIs', { timeout: 60_000 }, () => {
  it('admin and seed-check answer --help from their built bundles, with no tsx loaded', () => {
    expect(run('admin', '--help')).toContain('TechPass admin CLI');
    expect(run('seed-check', '--help')).toContain('Usage: seed-check');
    for (const { entry, main } of Object.values(BUNDLES))
      for (const out of [entry, main]) expect(readFileSync(join(root, out), 'utf8')).not.toMatch(/require\("tsx/);
  });

  it('--help and an argument error load only the small entry, not the main bundle', () => {
    const cases = [
      { tool: 'admin', args: ['--help'], code: 0, out: /TechPass admin CLI/ },
      { tool: 'admin', args: [], code: 2, out: /Usage: npm run admin/ },
      { tool: 'admin', args: ['invitations', 'list', '--frobnicate'], code: 2, err: /Unknown option '--frobnicate'/ },
      { tool: 'admin', args: ['invite', '--api-key', 'x'], code: 2, err: /never passed on the command line/ },
      { tool: 'seed-check', args: ['--help'], code: 0, out: /Usage: seed-check/ },
      { tool: 'seed-check', args: ['--format', 'pdf'], code: 2, err: /--format must be text, json or html/ },
    ] as const;
    for (const c of cases) {
      const r = traced(c.tool, ...c.args);
      const { entry, main } = BUNDLES[c.tool];
      expect(r.code, `${c.tool} ${c.args.join(' ')}`).toBe(c.code);
      if ('out' in c) expect(r.stdout).toMatch(c.out);
      if ('err' in c) expect(r.stderr).toMatch(c.err);
      expect(has(r.required, entry), `${c.tool} ${c.args.join(' ')} ran ${entry}`).toBe(true);
      expect(has(r.required, main), `${c.tool} ${c.args.join(' ')} loaded ${main}`).toBe(false);
      expect(statSync(join(root, entry)).size).toBeLessThan(32 * 1024);
    }
  });

  it('a command loads the main bundle and checks what its arguments mean there', () => {
    const unknown = traced('admin', 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
    expect(has(unknown.required, BUNDLES.admin.main)).toBe(true);

    const badUrl = traced('admin', 'invitations', 'list', '--url', 'ftp://x');
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/"ftp:\/\/x" is not a valid backend URL/);

    const report = traced('seed-check', '--json');
    expect([0, 1]).toContain(report.code);
    expect(JSON.parse(report.stdout)).toHaveProperty('verdict');
    expect(has(report.required, BUNDLES['seed-check'].main)).toBe(true);
  });

  it('rebuilds a tool whose sources changed since its build: the entry’s and the main bundle’s', () => {
    const inputs = (tool: keyof typeof BUNDLES) =>
      (JSON.parse(readFileSync(join(root, `${BUNDLES[tool].entry}.inputs.json`), 'utf8')) as { inputs: string[] })
        .inputs;
    run('admin', '--help');
    expect(inputs('admin')).toEqual(
      expect.arrayContaining(['backend/src/cli/admin-cli.ts', 'backend/src/cli/admin.ts', 'shared/api/client.ts']),
    );
    for (const source of ['electron/host/seed-checks/cli.ts', 'electron/host/seed-checks/cli-main.ts']) {
      const { entry, main } = BUNDLES['seed-check'];
      run('seed-check', '--help');
      expect(inputs('seed-check')).toContain(source);
      const before = Math.min(statSync(join(root, entry)).mtimeMs, statSync(join(root, main)).mtimeMs);
      const later = new Date(before + 5000);
      utimesSync(join(root, source), later, later);
      run('seed-check', '--help');
      expect(statSync(join(root, entry)).mtimeMs).toBeGreaterThan(before);
      expect(statSync(join(root, main)).mtimeMs).toBeGreaterThan(before);
    }
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
