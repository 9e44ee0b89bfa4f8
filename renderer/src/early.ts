/**
 * The first module the page evaluates (main.tsx imports it before anything else): it asks the host for what the first
 * screen needs (the journey, the app's facts) and starts fetching the likeliest catalogue while the rest of the code
 * (React, Lingui, the wizard) is still being evaluated. No React or Lingui here: modules run in import order, so
 * anything this imports would run first and delay the requests. Host-independent: the calls go to the preload bridge
 * in Electron and over loopback HTTP in the web host.
 */
import { FIRST_SCREEN_READS } from '../../shared/contract-names';
import { callEarly } from './bridge';
import { preloadLikelyLocale } from './i18n/catalogues';

callEarly(FIRST_SCREEN_READS);
preloadLikelyLocale();
