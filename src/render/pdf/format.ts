/** Number, hash and time formatting for the page. Words come from the wording file, never from here. */
import { DateTime } from 'luxon';

/**
 * A coverage percentage that never rounds up to a clean sheet: at or above 99.9 it is floored to
 * three decimals (99.9996 shows 99.999), below that to one decimal; only exactly 100 shows "100".
 * Returns null for null (no data is not a number).
 */
export function formatPercent(value: number | null): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (value === 100) return '100';
  if (value > 100 || value < 0) throw new Error(`percentage out of range: ${value}`);
  const decimals = value >= 99.9 ? 3 : 1;
  const scale = 10 ** decimals;
  // The epsilon absorbs binary noise (99.9 * 1000 = 99900.00000000001 or 99899.99999999999).
  const floored = Math.floor(value * scale + 1e-7) / scale;
  return Math.min(floored, 100 - 1 / scale).toFixed(decimals);
}

/** `3f9a1c2b` and `c21e` of a sha256: enough to compare by eye with the manifest. */
export function hashParts(sha256: string): { head: string; tail: string } {
  return { head: sha256.slice(0, 8), tail: sha256.slice(-4) };
}

/** A UTC ISO instant shown in `zone` with a luxon format taken from the wording file. */
export function formatInstant(isoUtc: string, zone: string, format: string, locale: string): string {
  const dt = DateTime.fromISO(isoUtc, { zone: 'utc' });
  if (!dt.isValid) throw new Error(`not an ISO-8601 instant: "${isoUtc}"`);
  return dt.setZone(zone).setLocale(locale).toFormat(format);
}

/** A trend month (YYYY-MM) as a luxon format from the wording file, e.g. "Sep" or "Jan 2026". */
export function formatMonth(period: string, format: string, locale: string): string {
  const dt = DateTime.fromFormat(period, 'yyyy-MM', { zone: 'utc' });
  if (!dt.isValid) throw new Error(`not a YYYY-MM month: "${period}"`);
  return dt.setLocale(locale).toFormat(format);
}
