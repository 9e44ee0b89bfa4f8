import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAppUrl } from '../../electron/main/app-protocol';
import { startWebHost } from '../../electron/web/server';
import type { Handlers } from '../../shared/contract';
import { STEP_IDS } from '../../shared/contract-names';
import { contentTypeFor } from '../../shared/renderer-assets';

// The renderer's first screen and whole journey, read from the build (out/renderer, as `npm test` builds it before
// the unit tests): the JS it loads before anything shows, and all it loads by the end of a journey in one language,
// stay under their gzip budgets; no later step's code or heavy library rides along; and every chunk loaded later is
// one that both hosts (app:// and the web host) serve.

/** The first screen's JS, gzip (1 KB = 1,000 bytes). */
const FIRST_SCREEN_BUDGET_BYTES = 110_000;
/** Everything one journey loads in one language, from the first screen to Done, gzip. */
const JOURNEY_BUDGET_BYTES = 150_000;
/** The languages a journey can run in (the pseudo-locale is for development and tests only). */
const JOURNEY_LOCALES = ['en', 'zh-CN'] as const;

const root = resolve(__dirname, '../..');
const rendererDir = join(root, 'out/renderer');
const manifestPath = join(rendererDir, '.vite/manifest.json');

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, e) => {
    const p = join(dir, e.name);
    const t = e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs;
    return Math.max(newest, t);
  }, 0);
}

/** Builds when there is no build, or when the sources changed after it (a stale build would measure old code). */
function ensureFreshBuild(): void {
  const sources = Math.max(
    newestSource(join(root, 'renderer')),
    newestSource(join(root, 'shared')),
    statSync(join(root, 'electron.vite.config.ts')).mtimeMs,
    statSync(join(root, 'package-lock.json')).mtimeMs,
  );
  if (existsSync(manifestPath) && statSync(manifestPath).mtimeMs >= sources) return;
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('electron-vite build failed');
}

let manifest: Manifest;
let entryKey: string;

/** The entry chunk and every chunk it imports statically: what the page needs before its first screen. */
function firstScreenChunks(): ManifestChunk[] {
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  visit(entryKey);
  return [...seen].map((k) => manifest[k] as ManifestChunk);
}

/** `src/i18n/compiled/zh-CN.json`, `src/i18n/legal/zh-CN.ts` → `zh-CN`: a chunk only one language loads. */
function languageOf(key: string): string | undefined {
  return /^src\/i18n\/[\w-]+\/([\w-]+)\.(?:json|ts)$/.exec(key)?.[1];
}

/**
 * Every chunk a journey in `locale` can load: the first screen, each step with what it imports (at once or on demand,
 * like the QR encoder), and the chunks of that language; never another language's chunks or the pseudo-locale's.
 */
function journeyChunks(locale: string): ManifestChunk[] {
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    const lang = languageOf(key);
    if (lang !== undefined && lang !== locale) return;
    seen.add(key);
    const chunk = manifest[key];
    for (const dep of [...(chunk?.imports ?? []), ...(chunk?.dynamicImports ?? [])]) visit(dep);
  };
  visit(entryKey);
  return [...seen].map((k) => manifest[k] as ManifestChunk);
}

const gzipBytes = (file: string) => gzipSync(readFileSync(join(rendererDir, file))).length;
const jsFiles = () => readdirSync(join(rendererDir, 'assets')).filter((f) => f.endsWith('.js'));

beforeAll(() => {
  ensureFreshBuild();
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  expect(entries.map(([k]) => k)).toEqual(['index.html']);
  entryKey = (entries[0] as [string, ManifestChunk])[0];
}, 120_000);

describe('renderer first screen', () => {
  it(`loads at most ${FIRST_SCREEN_BUDGET_BYTES / 1000} KB of JS (gzip)`, () => {
    const sizes = firstScreenChunks().map((c) => [c.file, gzipBytes(c.file)] as const);
    const total = sizes.reduce((sum, [, n]) => sum + n, 0);
    expect(total, `first screen: ${sizes.map(([f, n]) => `${f} ${n}`).join(', ')}`).toBeLessThan(
      FIRST_SCREEN_BUDGET_BYTES,
    );
  });

  it(`with its language's message catalogue (loaded before it renders), still under ${FIRST_SCREEN_BUDGET_BYTES / 1000} KB (gzip)`, () => {
    const first = firstScreenChunks().reduce((sum, c) => sum + gzipBytes(c.file), 0);
    for (const locale of ['en', 'zh-CN']) {
      const catalogue = manifest[`src/i18n/compiled/${locale}.json`];
      expect(catalogue?.isDynamicEntry, `the ${locale} catalogue is a chunk of its own`).toBe(true);
      expect(first + gzipBytes(catalogue?.file ?? ''), `first screen in ${locale}`).toBeLessThan(
        FIRST_SCREEN_BUDGET_BYTES,
      );
    }
  });

  it('is exactly what index.html loads (its module script and preloads), with the English catalogue', () => {
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    const loaded = [
      ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\.?\/?([^"]+\.js)"/g),
    ].map((m) => m[1]);
    // The default language's catalogue is preloaded (electron.vite.config.ts): the first screen cannot render without
    // it, and the entry would only ask for it once evaluated. The budget above already counts it.
    const english = manifest['src/i18n/compiled/en.json']?.file;
    expect(english).toBeDefined();
    expect(loaded.sort()).toEqual([...firstScreenChunks().map((c) => c.file), english].sort());
  });

  it('carries no later step and no zod', () => {
    const first = new Set(firstScreenChunks().map((c) => c.file));
    // Every step but the welcome screen is loaded on demand (step-screens.ts).
    const screens = readFileSync(join(root, 'renderer/src/step-screens.ts'), 'utf8');
    // `import('./steps/phone/Phone')` → `phone/Phone`: each step's screen, in the step's folder.
    const later = [...screens.matchAll(/import\('\.\/steps\/([\w-]+\/\w+)'\)/g)].map((m) => m[1]);
    expect(later).toHaveLength(STEP_IDS.length - 1);
    for (const step of later) {
      const chunk = manifest[`src/steps/${step}.tsx`];
      expect(chunk?.isDynamicEntry, `${step} is a chunk of its own, loaded on demand`).toBe(true);
      expect(first.has(chunk?.file ?? ''), `${step} is not on the first screen`).toBe(false);
    }
    // Property names survive minification: zod's internals live under `_zod`.
    const firstCode = [...first].map((f) => readFileSync(join(rendererDir, f), 'utf8')).join('\n');
    expect(firstCode).not.toContain('_zod');
  });
});

describe('renderer journey', () => {
  it('every step and every language is reached by the journey measured', () => {
    for (const locale of JOURNEY_LOCALES) {
      const keys = new Set(journeyChunks(locale).map((c) => c.src ?? c.file));
      for (const step of Object.keys(manifest).filter((k) => k.startsWith('src/steps/')))
        expect(keys, `${locale}: ${step}`).toContain(step);
      expect(keys, locale).toContain(`src/i18n/compiled/${locale}.json`);
      expect(
        [...keys].filter((k) => languageOf(k) !== undefined && languageOf(k) !== locale),
        locale,
      ).toEqual([]);
    }
  });

  for (const locale of JOURNEY_LOCALES) {
    it(`in ${locale}, loads at most ${JOURNEY_BUDGET_BYTES / 1000} KB of JS (gzip) from the first screen to Done`, () => {
      const sizes = journeyChunks(locale).map((c) => [c.file, gzipBytes(c.file)] as const);
      const total = sizes.reduce((sum, [, n]) => sum + n, 0);
      expect(total, `${locale} journey: ${sizes.map(([f, n]) => `${f} ${n}`).join(', ')}`).toBeLessThan(
        JOURNEY_BUDGET_BYTES,
      );
    });
  }

  it('carries no phone-number library in any chunk: the host answers the mobile checks', () => {
    // libphonenumber's metadata keeps these property names through minification (and its example numbers for
    // Singapore); none of it belongs in the renderer.
    for (const f of jsFiles()) {
      const code = readFileSync(join(rendererDir, 'assets', f), 'utf8');
      expect(code, f).not.toContain('country_calling_codes');
      expect(code, f).not.toContain('national_prefix_for_parsing');
      expect(code, f).not.toMatch(/libphonenumber/i);
    }
  });
});

describe('every renderer chunk is served by both hosts', () => {
  it('the Electron app:// handler maps each one to its file, as JavaScript', () => {
    for (const f of jsFiles()) {
      const file = resolveAppUrl(`app://onboarding/assets/${f}`, rendererDir);
      expect(file && relative(rendererDir, file)).toBe(join('assets', f));
      expect(contentTypeFor(file as string)).toBe('text/javascript; charset=utf-8');
    }
  });

  it('the web host answers each one with its bytes, as JavaScript, under its CSP', async () => {
    const host = await startWebHost({ handlers: {} as Handlers, rendererDir, token: 'budget-test-token' });
    try {
      for (const f of jsFiles()) {
        const res = await fetch(`http://127.0.0.1:${host.port}/assets/${f}`);
        expect(res.status, f).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(rendererDir, 'assets', f)))).toBe(true);
      }
    } finally {
      await host.close();
    }
  });
});
