/**
 * Compiles the renderer's message catalogues (renderer/src/i18n/locales/*.ts, ICU MessageFormat) into the form the
 * app ships (renderer/src/i18n/compiled/*.json): Lingui's compiled messages, so no ICU parser reaches the bundle.
 * Also writes the pseudo-locale (en-XA) from the English catalogue. `--check` fails when a compiled file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileCatalogue, pseudoText } from '../../renderer/src/i18n/compile';
import { en } from '../../renderer/src/i18n/locales/en';
import { zhCN } from '../../renderer/src/i18n/locales/zh-CN';

const OUT = join(__dirname, '..', '..', 'renderer', 'src', 'i18n', 'compiled');

const files = {
  en: compileCatalogue('en', en, en),
  'zh-CN': compileCatalogue('zh-CN', zhCN, en),
  'en-XA': compileCatalogue('en-XA', en, en, pseudoText),
};

const check = process.argv.includes('--check');
let stale = 0;
for (const [locale, file] of Object.entries(files)) {
  const path = join(OUT, `${locale}.json`);
  const text = `${JSON.stringify(file)}\n`;
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // not written yet
  }
  if (current === text) continue;
  if (check) {
    console.error(`${path} is stale: run npm run i18n:compile`);
    stale++;
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale) process.exit(1);
