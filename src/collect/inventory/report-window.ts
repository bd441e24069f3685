import { DateTime } from 'luxon';
import type { Period } from '../../config/period.js';

/**
 * Which S3 Inventory reports may describe a period. A report's folder (`YYYY-MM-DDTHH-MMZ`) is when
 * S3 began scanning the bucket, so a report dated at or after the period's end shows the objects as
 * they stood when the period closed. The auditor's question is the state at the period's end, so
 * the first such report is taken, if it came within `maxDaysAfterPeriod` days (a weekly inventory,
 * run every Sunday UTC, always has one within 7). A report from before the end misses the period's
 * last days; one from long after describes another month. Both are stale: named, never counted.
 *
 * A provisional packet (the period has not ended) can only use what exists: the newest report
 * delivered within the period so far.
 */
export interface ReportWindow {
  period: Period;
  provisional: boolean;
  maxDaysAfterPeriod: number;
  /** Earliest accepted report date, inclusive, ISO-8601 UTC. */
  fromUtc: string;
  /** Latest accepted report date, ISO-8601 UTC: inclusive, except for a provisional window (the period's end). */
  toUtc: string;
  /** The report to take among those accepted: the first after the end, or (provisional) the newest so far. */
  prefer: 'earliest' | 'latest';
}

const DAY_MS = 86_400_000;

export function reportWindow(
  period: Period,
  opts: { maxDaysAfterPeriod: number; provisional?: boolean },
): ReportWindow {
  const { maxDaysAfterPeriod } = opts;
  if (!Number.isInteger(maxDaysAfterPeriod) || maxDaysAfterPeriod < 0) {
    throw new Error(`maxDaysAfterPeriod must be a whole number of days, not ${maxDaysAfterPeriod}`);
  }
  const provisional = opts.provisional === true;
  return provisional
    ? { period, provisional, maxDaysAfterPeriod, fromUtc: period.startUtc, toUtc: period.endUtc, prefer: 'latest' }
    : {
        period,
        provisional,
        maxDaysAfterPeriod,
        fromUtc: period.endUtc,
        toUtc: isoSeconds(Date.parse(period.endUtc) + maxDaysAfterPeriod * DAY_MS),
        prefer: 'earliest',
      };
}

export function inWindow(reportDate: string, w: ReportWindow): boolean {
  const t = Date.parse(reportDate);
  const from = Date.parse(w.fromUtc);
  const to = Date.parse(w.toUtc);
  return t >= from && (w.provisional ? t < to : t <= to);
}

/** Why a report outside the window does not describe the period, e.g. "delivered …, before the period's end …". */
export function staleBecause(reportDate: string, w: ReportWindow): string {
  const t = Date.parse(reportDate);
  const delivered = `delivered ${utc(reportDate)}`;
  if (w.provisional) {
    return t < Date.parse(w.fromUtc)
      ? `${delivered}, before the period's start ${boundary(w.period.startUtc, w.period.timeZone)}; a provisional packet uses a report delivered within the period`
      : `${delivered}, after the period's end ${boundary(w.period.endUtc, w.period.timeZone)}`;
  }
  if (t < Date.parse(w.fromUtc))
    return `${delivered}, before the period's end ${boundary(w.period.endUtc, w.period.timeZone)}`;
  const after = duration(t - Date.parse(w.period.endUtc));
  return `${delivered}, ${after} after the period's end; the limit is ${w.maxDaysAfterPeriod} ${w.maxDaysAfterPeriod === 1 ? 'day' : 'days'}`;
}

/** What the window accepts, for a reason that no report fits. */
export function describeWindow(w: ReportWindow): string {
  if (w.provisional) {
    return `a provisional packet uses the newest report delivered within the period, from ${boundary(w.period.startUtc, w.period.timeZone)}`;
  }
  const days = `${w.maxDaysAfterPeriod} ${w.maxDaysAfterPeriod === 1 ? 'day' : 'days'}`;
  return `a report must be delivered from the period's end ${boundary(w.period.endUtc, w.period.timeZone)} to ${days} after it`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function utc(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'UTC' }).toFormat("yyyy-MM-dd HH:mm 'UTC'");
}

/** A period boundary in UTC, and as the tenant's midnight when the zone is not UTC. */
function boundary(iso: string, zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return utc(iso);
  return `${utc(iso)} (${DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm')} ${zone})`;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [
    [days, 'day'],
    [hours, 'hour'],
    [mins, 'minute'],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' ') : '0 minutes';
}
