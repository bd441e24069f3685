import { DateTime } from 'luxon';

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
function localDate(instant: string, timeZone: string): string {
  const t = DateTime.fromISO(instant, { zone: 'utc' });
  if (!t.isValid) throw new Error(`"${instant}" is not an ISO-8601 instant`);
  const local = t.setZone(timeZone);
  if (!local.isValid) throw new Error(`"${timeZone}" is not an IANA time zone`);
  return local.toISODate();
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}

/**
 * Days left on an exception that "expires: <date>": it is active through the end of that day in
 * the tenant's zone, so 0 on the day itself and negative once expired.
 */
export function daysLeft(expires: string, asOf: string, timeZone: string): number {
  return daysBetween(localDate(asOf, timeZone), expires);
}
