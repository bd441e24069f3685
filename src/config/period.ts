import { DateTime } from 'luxon';

/** A reporting month: calendar bounds in the tenant's zone, recorded as UTC instants. */
export interface Period {
  /** "2026-10" */
  label: string;
  timeZone: string;
  /** Inclusive start, ISO-8601 UTC. */
  startUtc: string;
  /** Exclusive end, ISO-8601 UTC. */
  endUtc: string;
}

const LABEL = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriodLabel(value: string): boolean {
  return LABEL.test(value);
}

export function periodFor(label: string, timeZone: string): Period {
  const m = LABEL.exec(label);
  if (!m) throw new Error(`period "${label}" is not of the form YYYY-MM`);
  const start = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: timeZone });
  if (!start.isValid) throw new Error(`period "${label}" is not valid in zone ${timeZone}`);
  const end = start.plus({ months: 1 });
  return {
    label,
    timeZone,
    startUtc: start.toUTC().toISO({ suppressMilliseconds: true })!,
    endUtc: end.toUTC().toISO({ suppressMilliseconds: true })!,
  };
}

/** The previous full calendar month as seen in `timeZone` at instant `now`. */
export function previousMonthLabel(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('month').minus({ months: 1 }).toFormat('yyyy-MM');
}

export function periodContains(period: Period, instant: string | Date): boolean {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return t >= Date.parse(period.startUtc) && t < Date.parse(period.endUtc);
}
