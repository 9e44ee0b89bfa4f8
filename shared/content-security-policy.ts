/**
 * The Content-Security-Policy of every page of the wizard. The Electron app has no connect-src at all (every HTTP
 * request happens in the host); the web host adds connect-src 'self' so the page can reach its loopback bridge.
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
