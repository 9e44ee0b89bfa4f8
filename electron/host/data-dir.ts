import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The web host's per-user data folder (Electron uses app.getPath('userData') instead): where the non-secret journey
 * progress and the host log live. `TECHPASS_HOST_DATA_DIR` overrides it (tests, several profiles).
 */
export function defaultHostDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: string = process.platform,
): string {
  if (env.TECHPASS_HOST_DATA_DIR) return env.TECHPASS_HOST_DATA_DIR;
  const name = 'TechPass Onboarding (web)';
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'techpass-onboarding-web');
}
