/**
 * Whether a text starts with a day that is on the calendar (`YYYY-MM-DD`). JavaScript's Date rolls
 * an impossible day over without a word (2026-02-31 is 3 March), so a date a person or a file
 * gave is checked here before it is read, and refused instead of stored as another day.
 */
export function startsWithCalendarDay(value: string): boolean {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
  if (!day) return false;
  const noon = new Date(`${day}T12:00:00.000Z`);
  return !Number.isNaN(noon.getTime()) && noon.toISOString().startsWith(day);
}
