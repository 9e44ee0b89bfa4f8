import { en, format, type Messages } from './en';

export { format, dateLocale } from './en';
export type { Messages } from './en';
/** The active message catalogue. */
export const t: Messages = en;

const SGT_ZONE = 'Asia/Singapore';

/** The machine's own time zone (a parameter in tests). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function wallClock(d: Date, timeZone: string, withDate: boolean): { text: string; zone: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
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
  const text = withDate ? `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${time}` : time;
  return { text, zone: timeZone === SGT_ZONE ? 'SGT' : (parts.timeZoneName ?? timeZone) };
}

function withSgt(iso: string | number | Date, withDate: boolean, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const sgt = wallClock(d, SGT_ZONE, withDate);
  const local = wallClock(d, timeZone, withDate);
  const sgtText = `${sgt.text} ${sgt.zone}`;
  // The same wall clock as Singapore (SGT itself, or another UTC+8 zone): the SGT form alone, as the emails write it.
  if (local.text === sgt.text) return sgtText;
  return format(t.dates.withSgt, { local: `${local.text} ${local.zone}`, sgt: sgtText });
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

/** A message from the shared rules or the host, in the active catalogue's words when it has them. */
export function fromShared(message: string | undefined): string | undefined {
  return message === undefined ? undefined : (t.sharedText[message] ?? message);
}
