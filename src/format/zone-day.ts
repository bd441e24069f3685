import { DateTime } from 'luxon';

/**
 * Calendar day ("2026-10-05") of an instant in a time zone. Every zone offset is a multiple of
 * 15 minutes, so the label is constant within a 15-minute UTC slot: cache per slot, which keeps
 * luxon off the per-record hot path.
 */
export function zoneDayLabeler(timeZone: string): (epochMs: number) => string {
  const SLOT = 15 * 60 * 1000;
  const cache = new Map<number, string>();
  return (epochMs: number) => {
    const slot = Math.floor(epochMs / SLOT);
    let label = cache.get(slot);
    if (label === undefined) {
      label = DateTime.fromMillis(slot * SLOT, { zone: timeZone }).toFormat('yyyy-MM-dd');
      if (cache.size > 100_000) cache.clear();
      cache.set(slot, label);
    }
    return label;
  };
}

/** Every calendar day in [startUtc, endUtc) as seen in `timeZone`, in order. */
export function daysInPeriod(startUtc: string, endUtc: string, timeZone: string): string[] {
  const days: string[] = [];
  const end = DateTime.fromISO(endUtc, { zone: timeZone });
  for (let d = DateTime.fromISO(startUtc, { zone: timeZone }).startOf('day'); d < end; d = d.plus({ days: 1 })) {
    days.push(d.toFormat('yyyy-MM-dd'));
  }
  return days;
}

/** UTC calendar days ("2026-10-05") from the day of `startUtc` minus `marginDays` to the day of the last instant before `endUtc` plus `marginDays`. */
export function utcDaysAround(startUtc: string, endUtc: string, marginDays: number): string[] {
  const DAY = 86_400_000;
  const first = Math.floor(Date.parse(startUtc) / DAY) - marginDays;
  const last = Math.floor((Date.parse(endUtc) - 1) / DAY) + marginDays;
  const days: string[] = [];
  for (let d = first; d <= last; d++) days.push(new Date(d * DAY).toISOString().slice(0, 10));
  return days;
}

/**
 * An instant as a spreadsheet date: the wall-clock time in `timeZone`, carried in the Date's UTC
 * fields (a spreadsheet date has no zone; the column header names it). undefined when `iso` is not
 * an instant, so the caller keeps the text instead of inventing a date.
 */
export function wallClock(iso: string, timeZone: string): Date | undefined {
  // The shape inventories and the tool's own records use, read without luxon's general ISO parser
  // (a workbook may list 10,000 of them); anything else, or a field out of range, goes the long way.
  const m = UTC_INSTANT.exec(iso);
  if (m) {
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    if (month >= 1 && month <= 12 && hour <= 23 && minute <= 59 && second <= 59 && new Date(ms).getUTCDate() === day) {
      if (timeZone === 'UTC') return new Date(ms);
      const local = DateTime.fromMillis(ms, { zone: timeZone });
      if (!local.isValid) return undefined;
      return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
    }
  }
  const t = DateTime.fromISO(iso, { zone: 'utc' });
  if (!t.isValid) return undefined;
  const local = t.setZone(timeZone);
  if (!local.isValid) return undefined;
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** YYYY-MM-DDThh:mm:ss[.fff]Z from year 1000 on (Date.UTC reads years below 100 as 19xx). */
const UTC_INSTANT = /^([1-9]\d{3})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?Z$/;

/** A calendar day ("2026-10-05") as a spreadsheet date; undefined when it is not one. */
export function calendarDay(day: string): Date | undefined {
  const t = DateTime.fromFormat(day, 'yyyy-MM-dd', { zone: 'utc' });
  return t.isValid ? new Date(t.toMillis()) : undefined;
}
