/**
 * Times as people read them: in the blog's time zone (the `timeZone` setting), formatted for the
 * language. One place, so the desk, the mails and the reader pages never disagree about a date.
 */
import type { Lang } from './messages';

const locale = (lang: Lang) => (lang === 'de' ? 'de-DE' : 'en-GB');

/** "01.12.2026, 00:30" in the zone; '' for a missing or broken date. */
export function formatLocalTime(date: Date | string | undefined, lang: Lang, timeZone: string): string {
  if (date === undefined) return '';
  const moment = new Date(date);
  if (Number.isNaN(moment.getTime())) return '';
  return moment.toLocaleString(locale(lang), { timeZone, dateStyle: 'medium', timeStyle: 'short' });
}

/** The same with the zone's short name ("… 00:30 MEZ"): a mail is read wherever she is. */
export function formatLocalTimeWithZone(date: Date, lang: Lang, timeZone: string): string {
  const shown = formatLocalTime(date, lang, timeZone);
  if (!shown) return '';
  const zone = new Intl.DateTimeFormat(locale(lang), { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((part) => part.type === 'timeZoneName')?.value;
  return zone ? `${shown} ${zone}` : shown;
}
