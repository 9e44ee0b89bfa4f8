import { i18n } from '@lingui/core';
import { create } from 'zustand';
import type { FieldProblem } from '../../../shared/domain/field-problems';
import {
  LOCALES,
  type AnyLocale,
  type Catalogue,
  type CompiledCatalogueFile,
  type Locale,
  type ParamMessage,
} from './types';
import { LOADERS } from './catalogues';

export { LOCALES, PSEUDO_LOCALE } from './types';
export { chooseLocale, preloadLocale, supportedLocale } from './catalogues';
export type { AnyLocale, Catalogue, Locale, ParamMessage } from './types';

/**
 * The active catalogue. A live binding: `activateCatalogue` replaces it and the locale store's change re-renders the app,
 * so every screen reads the new words on its next render (what the user typed stays: nothing is remounted).
 */
export let t: Catalogue = undefined as unknown as Catalogue;
let active: AnyLocale = 'en';

/** The locale the screens are in now. */
export function activeLocale(): AnyLocale {
  return active;
}

interface LocaleState {
  locale: AnyLocale;
  set(locale: AnyLocale): void;
}

/** Components that must re-render on a language switch subscribe here (the app's root does, so all do). */
export const useLocaleStore = create<LocaleState>((set) => ({ locale: 'en', set: (locale) => set({ locale }) }));

/** Makes a compiled catalogue the active one: messages, `<html lang>` and the store that re-renders the screens. */
export function activateCatalogue(file: CompiledCatalogueFile, locale: AnyLocale): void {
  i18n.load(locale, file.messages);
  i18n.activate(locale);
  t = file.tree;
  active = locale;
  if (typeof document !== 'undefined') {
    document.documentElement.lang = locale;
    document.title = file.tree.appTitle;
  }
  useLocaleStore.getState().set(locale);
}

/** Loads a locale's catalogue (once) and activates it. */
export async function loadLocale(locale: AnyLocale): Promise<void> {
  const file = (await LOADERS[locale]()).default as CompiledCatalogueFile;
  activateCatalogue(file, locale);
}

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** A message with its values filled (ICU: plurals and numbers in the active locale). Plain messages pass through. */
export function format(message: ParamMessage | string, values: Record<string, string | number>): string {
  if (typeof message === 'string') return message;
  return i18n._(message.id, values);
}

/** Chinese forms ask for the family name (姓) first; English ones for the given name first. */
export function familyNameFirst(): boolean {
  return active === 'zh-CN';
}

/** The Intl locale for numbers and dates: Singapore English keeps the day-month order the emails use. */
function intlLocale(): string {
  return active === 'zh-CN' ? 'zh-CN' : 'en-GB';
}

const SGT_ZONE = 'Asia/Singapore';

/** The machine's own time zone (a parameter in tests). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function wallClock(d: Date, timeZone: string, withDate: boolean): { text: string; zone: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat(intlLocale(), {
      timeZone,
      ...(withDate ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const time = `${parts.hour}:${parts.minute}`;
  const zone = timeZone === SGT_ZONE ? t.dates.sgt : (parts.timeZoneName ?? timeZone);
  if (!withDate) return { text: time, zone };
  // Chinese: the locale's own date form ("2027年1月1日周五"); English keeps the emails' "Fri 1 Jan 2027,".
  const date =
    intlLocale() === 'zh-CN'
      ? new Intl.DateTimeFormat('zh-CN', {
          timeZone,
          weekday: 'short',
          day: 'numeric',
          month: 'long',
          year: 'numeric',
        }).format(d)
      : `${parts.weekday} ${parts.day} ${parts.month} ${parts.year},`;
  return { text: `${date} ${time}`, zone };
}

function withSgt(iso: string | number | Date, withDate: boolean, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const sgt = wallClock(d, SGT_ZONE, withDate);
  const local = wallClock(d, timeZone, withDate);
  const sgtText = format(t.dates.zoned, { time: sgt.text, zone: sgt.zone });
  // The same wall clock as Singapore (SGT itself, or another UTC+8 zone): the SGT form alone, as the emails write it.
  if (local.text === sgt.text) return sgtText;
  return format(t.dates.withSgt, {
    local: format(t.dates.zoned, { time: local.text, zone: local.zone }),
    sgt: sgtText,
  });
}

/**
 * One form for every date the wizard shows: the user's own time with its zone, and Singapore time beside it when
 * they differ (the emails and deadlines are in SGT): `Thu 31 Dec 2026, 20:03 UTC (Fri 1 Jan 2027, 04:03 SGT)`.
 */
export function formatDateTime(iso: string | number | Date, timeZone: string = localTimeZone()): string {
  return withSgt(iso, true, timeZone);
}

/** A time of day in the same form: `20:13 UTC (04:13 SGT)`. */
export function formatTime(iso: string | number | Date, timeZone: string = localTimeZone()): string {
  return withSgt(iso, false, timeZone);
}

/** A country's name in the active language, for codes outside the catalogue's list. */
export function regionName(iso: string): string | undefined {
  try {
    return new Intl.DisplayNames([intlLocale()], { type: 'region' }).of(iso);
  } catch {
    return undefined;
  }
}

/** A country's name in the active language: the catalogue's own list first, then the platform's region names. */
export function countryDisplayName(iso: string): string {
  return (t.countryNames as Readonly<Record<string, string>>)[iso] ?? regionName(iso) ?? iso;
}

/**
 * The active language's wording of a field problem (the shared rules', the host's or the service's). A country
 * parameter is an ISO code, worded as the country's name; a number's digit count, when it differs, is said after.
 */
export function fieldProblemText(problem: FieldProblem): string;
export function fieldProblemText(problem: FieldProblem | undefined): string | undefined;
export function fieldProblemText(problem: FieldProblem | undefined): string | undefined {
  if (!problem) return undefined;
  const message = t.fieldProblems[problem.code];
  const params: Record<string, string | number> = { ...problem.params };
  if (typeof params.country === 'string') params.country = countryDisplayName(params.country);
  const text = format(message, params);
  if (typeof params.entered !== 'number') return text;
  // Chinese runs its sentences on without a space; English separates them with one.
  return `${text}${active === 'zh-CN' ? '' : ' '}${format(t.register.mobileProblems.entered, { count: params.entered })}`;
}
