import { describe, expect, it } from 'vitest';
import { APP_CSP, WEB_HOST_CSP, contentTypeFor } from './renderer-assets';

describe('renderer assets', () => {
  it.each([
    ['out/renderer/index.html', 'text/html; charset=utf-8'],
    ['/a/assets/index-Ab12.JS', 'text/javascript; charset=utf-8'],
    ['C:\\app\\renderer\\assets\\app.css', 'text/css; charset=utf-8'],
    ['/opt/app.v2/renderer/LICENSE', 'application/octet-stream'],
    ['/x/y.exe', 'application/octet-stream'],
  ])('%s is served as %s', (path, type) => expect(contentTypeFor(path)).toBe(type));

  it('the app has no connect-src; the web host allows only its own origin', () => {
    expect(APP_CSP).not.toContain('connect-src');
    expect(WEB_HOST_CSP).toContain("connect-src 'self'");
    for (const csp of [APP_CSP, WEB_HOST_CSP]) {
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    }
  });
});
