/**
 * The shape every language's message catalogue has. Each template is a function of its typed variables (see
 * TemplateParams in ../templates.ts) and of the formatters for the catalogue's language, so a catalogue that leaves a
 * template out, or uses a variable the template does not have, fails typecheck.
 */
import type { Locale } from '../../../../shared/domain/locale';
import { fitsOneSms } from '../sms-segments';
import type { TemplateId, TemplateParams } from '../templates';

export interface Rendered {
  subject?: string;
  body: string;
}

/** Deadlines and times in messages are in the service's time zone, and every date says which zone it is in. */
export const SERVICE_TIME_ZONE = 'Asia/Singapore';

export interface Formatters {
  /** An instant as a date and time in the catalogue's language, with the time zone named. */
  dateTime(value: Date): string;
  /**
   * The first of the given SMS texts that fits one segment (GSM-7 160, UCS-2 70), else the last (shortest) one: a
   * template offers a fuller wording and a shorter one for long variables.
   */
  oneSms(...candidates: string[]): string;
}

export interface Catalogue {
  readonly locale: Locale;
  /** The BCP 47 tag dates are formatted with (the regional form the readers use, e.g. en-SG). */
  readonly intlLocale: string;
  /**
   * A short line in this language, put above a message sent before the reader chose a language (the invitation),
   * telling a reader of this language that the app speaks it.
   */
  readonly otherLanguagePointer: string;
  readonly templates: { readonly [T in TemplateId]: (d: TemplateParams<T>, f: Formatters) => Rendered };
}

const DATE_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: SERVICE_TIME_ZONE,
  // "SGT" in Singapore English, "新加坡时间" in Chinese: the zone by name, not as an offset.
  timeZoneName: 'shortGeneric',
};

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** `2026-12-05T02:00:00Z` in en-SG → `Sat, 5 Dec 2026, 10:00 SGT`; in zh-CN → `2026年12月5日周六 新加坡时间 10:00`. */
export function formatDateTime(value: Date, intlLocale: string): string {
  let f = dateTimeFormats.get(intlLocale);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale, DATE_TIME);
    dateTimeFormats.set(intlLocale, f);
  }
  return f.format(value);
}

export function formattersFor(c: Pick<Catalogue, 'intlLocale'>): Formatters {
  return {
    dateTime: (value) => formatDateTime(value, c.intlLocale),
    oneSms: (...candidates) => candidates.find(fitsOneSms) ?? candidates[candidates.length - 1] ?? '',
  };
}
