import type { Locale } from '../../shared/domain/locale';
import type { HostLogger } from './host-log';
import { HostError } from './host-error';
import type { ProvisioningClient } from './provisioning-client';
import type { UiPreferencesStore } from './ui-preferences';

/** What became of a language choice on the account: told now, or held for the next sign-in. */
export type AccountLocaleOutcome = 'updated' | 'pending';

/**
 * The language the user reads in the wizard, carried to the account (whose `locale` chooses the language of every
 * later email and SMS). Before registering, the registration carries it; after, a switch is sent at once when signed
 * in (PUT /v1/me/locale), else held in the UI preferences and sent once at the next sign-in.
 */
export interface AccountLocaleSync {
  /** The user switched language; `token` is the session when there is one. */
  chosen(locale: Locale, token: string | undefined): Promise<AccountLocaleOutcome>;
  /** A sign-in just gave a session: send a held choice, once. */
  signedIn(token: string): Promise<void>;
  /** A registration went out carrying this language: nothing is left to send for it. */
  registered(locale: Locale | undefined): void;
}

export function createAccountLocaleSync(deps: {
  preferences: UiPreferencesStore;
  client: ProvisioningClient;
  log: HostLogger;
}): AccountLocaleSync {
  const { preferences, client, log } = deps;
  const send = async (token: string): Promise<AccountLocaleOutcome> => {
    const held = preferences.read().localeToSync;
    if (!held) return 'updated';
    try {
      await client.updateMyLocale(token, held);
    } catch (err) {
      log.warn('account language not updated; sent at the next sign-in', {
        code: err instanceof HostError ? err.code : 'UNEXPECTED',
      });
      return 'pending';
    }
    // Cleared only if no newer choice arrived meanwhile.
    const now = preferences.read();
    if (now.localeToSync === held) preferences.write({ ...now, localeToSync: undefined });
    log.info('account language updated', { locale: held });
    return 'updated';
  };
  return {
    async chosen(locale, token) {
      preferences.write({ ...preferences.read(), locale, localeToSync: locale });
      return token ? send(token) : 'pending';
    },
    async signedIn(token) {
      await send(token);
    },
    registered(locale) {
      const now = preferences.read();
      if (locale && now.localeToSync === locale) preferences.write({ ...now, localeToSync: undefined });
    },
  };
}
