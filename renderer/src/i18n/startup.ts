import { call } from '../bridge';
import type { OrgSettings, Response } from '../../../shared/contract';
import { chooseLocale, loadLocale } from '.';
import { browserLocales, localeFromAddress, preloadLikelyLocale } from './catalogues';

/**
 * Picks and loads the first screen's language before it renders: the user's own choice (kept by the host), then the
 * one IT fixed in the org configuration, then the operating system's (Electron) or the browser's. A `?locale=` in the
 * page address comes first: the web host's tests and developers use it for the pseudo-locale (`en-XA`).
 */
type AppInfo = Response<'getAppInfo'>;

export async function startLocale(
  facts: Promise<[AppInfo | undefined, OrgSettings | undefined]> = Promise.all([
    call('getAppInfo', {}).catch(() => undefined),
    call('getOrgSettings', {}).catch(() => undefined),
  ]),
): Promise<void> {
  const fromAddress = localeFromAddress();
  const browser = browserLocales();
  // Most starts end in the address's or the browser's language: its catalogue is fetched while the host answers,
  // not after (main.tsx has asked for it already; this covers a start without it).
  preloadLikelyLocale();
  const [info, org] = await facts;
  const chosen = chooseLocale([fromAddress, info?.chosenLocale, org?.locale, info?.systemLocale, ...browser]);
  try {
    await loadLocale(chosen);
  } catch (err) {
    // A catalogue is a chunk of the app's own files; if the chosen one cannot be read, English still lets the user on.
    if (chosen === 'en') throw err;
    await loadLocale('en');
  }
}
