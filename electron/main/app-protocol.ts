import { APP_CSP, contentTypeFor } from '../../shared/renderer-assets';
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'onboarding';

/** Content-Security-Policy of every page of the app: no connect-src (all HTTP happens in the host). */
export const CONTENT_SECURITY_POLICY = APP_CSP;

export const mimeFor = contentTypeFor;

/**
 * Maps `app://onboarding/<path>` to a file inside the renderer folder, or null when the URL is not ours or escapes
 * the folder. Unknown paths fall back to index.html (the wizard is a single page).
 */
export function resolveAppUrl(rawUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  const pathname = decodeURIComponent(url.pathname);
  if (pathname.includes('\0')) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = normalize(rendererDir + sep);
  const file = normalize(join(rendererDir, relative));
  if (!file.startsWith(root)) return null;
  return extname(file) ? file : join(rendererDir, 'index.html');
}
