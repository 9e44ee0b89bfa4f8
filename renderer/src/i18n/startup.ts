import { call } from '../bridge';
import type { OrgSettings, Response } from '../../../shared/contract';
import { chooseLocale, loadLocale, preloadLocale } from '.';

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
  const fromAddress = new URLSearchParams(window.location.search).get('locale');
  const browser = [...(navigator.languages ?? []), navigator.language];
  // Most starts end in the address's or the browser's language: its catalogue is fetched while the host answers,
  // not after (one round trip fewer before the first screen).
  preloadLocale(chooseLocale([fromAddress, ...browser]));
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

/**
 * Shown when no catalogue could be loaded at all (the app's files are damaged or incomplete): there are no words to
 * render the wizard with, so this one fixed notice says, in both languages, what happened and what to do.
 */
export const NO_CATALOGUE_NOTICE = {
  en: 'TechPass Onboarding could not load its screens. Restart the app; if this happens again, reinstall it or ask your IT support.',
  zh: 'TechPass Onboarding 无法加载界面。请重新启动应用；如果再次出现，请重新安装应用或联系您的 IT 支持人员。',
} as const;
