import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UiLocale } from '../../shared/contract';

/**
 * The user's own choices about the app itself (today: the language), kept beside the journey progress in the same
 * data folder and as non-secret as it. Apart from the progress because they outlive a journey: "Start over" or a new
 * invitation forgets where the user was, not which language they read.
 */
export const UiPreferences = z.object({
  version: z.literal(1),
  locale: UiLocale.optional(),
  /**
   * A language the user chose that the account has not been told yet (no session then, or the service could not be
   * reached): sent once at the next sign-in (PUT /v1/me/locale), so later emails and SMS follow it.
   */
  localeToSync: UiLocale.optional(),
});
export type UiPreferences = z.infer<typeof UiPreferences>;

export const UI_PREFERENCES_FILE = 'ui-preferences.json';

export class UiPreferencesStore {
  constructor(private readonly dir: string) {}

  read(): UiPreferences {
    try {
      const parsed = UiPreferences.safeParse(JSON.parse(readFileSync(join(this.dir, UI_PREFERENCES_FILE), 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Missing or unreadable: the defaults (the language then follows the org configuration or the system).
    }
    return { version: 1 };
  }

  write(prefs: UiPreferences): void {
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, UI_PREFERENCES_FILE);
    // Write then rename, so a crash never leaves half a file.
    writeFileSync(`${path}.tmp`, `${JSON.stringify(UiPreferences.parse(prefs))}\n`, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
}
