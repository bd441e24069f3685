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
    startUtc: start.toUTC().toISO({ suppressMilliseconds: true }),
    endUtc: end.toUTC().toISO({ suppressMilliseconds: true }),
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

/** `run` refuses a period that ended longer ago than this: evidence collected now cannot describe it. */
export const MAX_PAST_MONTHS = 60;

/** Where `now` stands against a period, in the period's own zone. */
export type PeriodTiming = 'closed' | 'open' | 'not_begun' | 'too_old';

export function periodTiming(period: Period, now: Date): PeriodTiming {
  const t = now.getTime();
  if (t < Date.parse(period.startUtc)) return 'not_begun';
  if (t < Date.parse(period.endUtc)) return 'open';
  const oldest = DateTime.fromJSDate(now, { zone: period.timeZone }).startOf('month').minus({ months: MAX_PAST_MONTHS });
  return Date.parse(period.endUtc) <= oldest.toMillis() ? 'too_old' : 'closed';
}

function local(isoUtc: string, zone: string): string {
  return DateTime.fromISO(isoUtc, { zone }).toFormat("yyyy-MM-dd HH:mm");
}

/**
 * Why `run` must not make a packet for `period` at `now`, or undefined when it may. An open period
 * (the month has not ended in the tenant's zone) is allowed only as a provisional packet.
 */
export function periodRefusal(period: Period, now: Date, opts: { provisional?: boolean; tenant?: string } = {}): string | undefined {
  const who = opts.tenant ? ` for tenant ${opts.tenant}` : '';
  switch (periodTiming(period, now)) {
    case 'closed':
      return undefined;
    case 'open':
      return opts.provisional
        ? undefined
        : `period ${period.label} has not ended${who} (it ends ${local(period.endUtc, period.timeZone)} ${period.timeZone}); a packet for an unfinished month is provisional: pass --provisional to make one, stamped PROVISIONAL`;
    case 'not_begun':
      return `period ${period.label} has not begun${who} (it starts ${local(period.startUtc, period.timeZone)} ${period.timeZone}); there is no evidence for it yet`;
    case 'too_old':
      return `period ${period.label} ended more than ${MAX_PAST_MONTHS} months ago${who}; evidence collected now cannot describe it (re-render a packet of that month with analyze/render instead)`;
  }
}

const TREND_MONTHS = 12;

/** The `count` period labels ending with `period`, oldest first. */
export function monthsEndingWith(period: string, count = TREND_MONTHS): string[] {
  if (!isPeriodLabel(period)) throw new Error(`period "${period}" is not of the form YYYY-MM`);
  const end = DateTime.fromFormat(period, 'yyyy-MM', { zone: 'utc' });
  return Array.from({ length: count }, (_, i) => end.minus({ months: count - 1 - i }).toFormat('yyyy-MM'));
}
