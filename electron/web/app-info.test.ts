import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAppInfo } from './app-info';

describe('readAppInfo', () => {
  it("reads the app's product name and version, as Electron does", () => {
    const root = resolve(__dirname, '..', '..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      productName: string;
      version: string;
    };
    expect(readAppInfo(root)).toEqual({ name: pkg.productName, version: pkg.version });
  });
  it('falls back to the package name without a product name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-info-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'some-app', version: '2.3.4' }));
    expect(readAppInfo(dir)).toEqual({ name: 'some-app', version: '2.3.4' });
  });
  it('says what is wrong when the manifest is missing or has no version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-info-'));
    expect(() => readAppInfo(dir)).toThrow(/Cannot read the app's name and version/);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
    expect(() => readAppInfo(dir)).toThrow(/version/);
  });
});
