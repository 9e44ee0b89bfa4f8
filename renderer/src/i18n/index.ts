import { en, type Messages } from './en';

export { format, dateLocale } from './en';
export type { Messages } from './en';
/** The active message catalogue. */
export const t: Messages = en;

/** A date and time in the user's own time zone, with the zone named so an offshore user is never misled. */
export function formatDateTime(iso: string | number | Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat('en-SG', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
}

export function formatTime(iso: string | number | Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat('en-SG', { hour: 'numeric', minute: '2-digit' }).format(d);
}

/** A message from the shared rules or the host, in the active catalogue's words when it has them. */
export function fromShared(message: string | undefined): string | undefined {
  return message === undefined ? undefined : (t.sharedText[message] ?? message);
}
