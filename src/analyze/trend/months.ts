import { DateTime } from 'luxon';
import { isPeriodLabel } from '../../config/period.js';

const TREND_MONTHS = 12;

/** The `count` period labels ending with `period`, oldest first. */
export function monthsEndingWith(period: string, count = TREND_MONTHS): string[] {
  if (!isPeriodLabel(period)) throw new Error(`period "${period}" is not of the form YYYY-MM`);
  const end = DateTime.fromFormat(period, 'yyyy-MM', { zone: 'utc' });
  return Array.from({ length: count }, (_, i) => end.minus({ months: count - 1 - i }).toFormat('yyyy-MM'));
}
