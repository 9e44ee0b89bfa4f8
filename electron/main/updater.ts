import type { AppUpdater } from 'electron-updater';
import type { NativeNotice } from './native-text';

export type UpdatePolicy = 'none' | 'notify' | 'auto';

export interface UpdaterDeps {
  /** Loads electron-updater's autoUpdater. Never called under 'none', so nothing update-related even loads. */
  loadUpdater: () => Promise<AppUpdater>;
  /** Tells the user an update is ready or available (non-blocking), worded in their language by `native-text.ts`. */
  notify: (notice: NativeNotice) => void;
  log: { warn(message: string, fields?: Record<string, unknown>): void };
  /** Optional generic-provider feed (an organisation's own update server); else the packaged app-update.yml. */
  feedUrl?: string;
  isPackaged: boolean;
  /**
   * electron-updater makes its requests through Chromium in a session of its own (`updater.netSession`); this applies
   * the organisation's proxy and CA rules to it before the first check, so updates take the same way as the host.
   */
  prepareNetwork?: (netSession: Electron.Session) => Promise<void>;
}

/**
 * Applies the organisation's update policy. 'none' (the default) never contacts any server; 'notify' checks and tells
 * the user without downloading; 'auto' downloads in the background and installs when the app quits.
 * Returns whether a check was started.
 */
export async function applyUpdatePolicy(policy: UpdatePolicy, deps: UpdaterDeps): Promise<boolean> {
  if (policy === 'none' || !deps.isPackaged) return false;
  let updater: AppUpdater;
  try {
    updater = await deps.loadUpdater();
  } catch (err) {
    deps.log.warn('updater unavailable', { error: err instanceof Error ? err.message : String(err) });
    return false;
  }
  if (deps.feedUrl) {
    if (!deps.feedUrl.startsWith('https://')) {
      deps.log.warn('update feed refused: https only');
      return false;
    }
    updater.setFeedURL({ provider: 'generic', url: deps.feedUrl });
  }
  if (deps.prepareNetwork) {
    try {
      await deps.prepareNetwork(updater.netSession);
    } catch (err) {
      deps.log.warn('update network settings not applied', { error: err instanceof Error ? err.message : String(err) });
    }
  }
  updater.autoDownload = policy === 'auto';
  updater.autoInstallOnAppQuit = policy === 'auto';
  updater.on('error', (err: Error) => deps.log.warn('update check failed', { error: err.message }));
  if (policy === 'notify') {
    updater.on('update-available', (info: { version: string }) =>
      deps.notify({ kind: 'update_available', version: info.version }),
    );
  } else {
    updater.on('update-downloaded', (info: { version: string }) =>
      deps.notify({ kind: 'update_downloaded', version: info.version }),
    );
  }
  void updater
    .checkForUpdates()
    .catch((err: unknown) =>
      deps.log.warn('update check failed', { error: err instanceof Error ? err.message : String(err) }),
    );
  return true;
}
