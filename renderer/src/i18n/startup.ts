import { call } from '../bridge';
import { chooseLocale, loadLocale } from '.';

/**
 * Picks and loads the first screen's language before it renders: the user's own choice (kept by the host), then the
 * one IT fixed in the org configuration, then the operating system's (Electron) or the browser's. A `?locale=` in the
 * page address comes first: the web host's tests and developers use it for the pseudo-locale (`en-XA`).
 */
export async function startLocale(): Promise<void> {
  const fromAddress = new URLSearchParams(window.location.search).get('locale');
  const [info, org] = await Promise.all([
    call('getAppInfo', {}).catch(() => undefined),
    call('getOrgSettings', {}).catch(() => undefined),
  ]);
  await loadLocale(
    chooseLocale([fromAddress, info?.chosenLocale, org?.locale, info?.systemLocale, ...(navigator.languages ?? []), navigator.language]),
  );
}
