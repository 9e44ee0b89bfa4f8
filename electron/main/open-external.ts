import { isAllowedExternalUrl } from '../host/org-config';

/**
 * The one place the app opens links outside itself: https only, no credentials, allow-listed hosts only (the support
 * desk and docs from org configuration plus the defaults). Everything else is logged and dropped.
 */
export function createSafeOpener(
  allowlist: Set<string>,
  open: (url: string) => Promise<void>,
  log: { warn(message: string, fields?: Record<string, unknown>): void },
): (raw: string) => Promise<boolean> {
  return async (raw) => {
    if (!isAllowedExternalUrl(raw, allowlist)) {
      log.warn('external link refused', { host: hostOf(raw) });
      return false;
    }
    await open(new URL(raw).toString());
    return true;
  };
}

function hostOf(raw: string): string {
  try {
    return new URL(raw).host.slice(0, 100);
  } catch {
    return '(not a URL)';
  }
}
