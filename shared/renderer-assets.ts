/**
 * How the built renderer is served, the same by the Electron app (app://) and by the web host: its
 * Content-Security-Policy and the content types of its files.
 */

/**
 * The Electron app has no connect-src at all (every HTTP request happens in the host); the web host adds
 * connect-src 'self' so the page can reach its loopback bridge.
 */
const BASE = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const APP_CSP = BASE.join('; ');
export const WEB_HOST_CSP = [...BASE, "connect-src 'self'"].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** The content type of a renderer file, by its extension. */
export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  const ext = dot > path.lastIndexOf('/') && dot > path.lastIndexOf('\\') ? path.slice(dot).toLowerCase() : '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
