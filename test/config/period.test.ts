import { describe, expect, it } from 'vitest';
import { periodContains, periodFor, previousMonthLabel } from '../../src/config/period.js';

describe('reporting period', () => {
  it('October 2026 in New York ends when EDT midnight of 1 November passes (04:00 UTC)', () => {
    expect(periodFor('2026-10', 'America/New_York')).toEqual({ label: '2026-10', timeZone: 'America/New_York', startUtc: '2026-10-01T04:00:00Z', endUtc: '2026-11-01T04:00:00Z' });
  });
  it('March 2026 in Berlin spans the DST change (starts +01:00, ends +02:00)', () => {
    expect(periodFor('2026-03', 'Europe/Berlin')).toMatchObject({ startUtc: '2026-02-28T23:00:00Z', endUtc: '2026-03-31T22:00:00Z' });
  });
  it('the default is the previous full month in the configured zone', () => {
    // 2026-11-01T03:00Z is still 31 October in New York, so the previous month there is September.
    expect(previousMonthLabel(new Date('2026-11-01T03:00:00Z'), 'America/New_York')).toBe('2026-09');
    expect(previousMonthLabel(new Date('2026-11-01T03:00:00Z'), 'UTC')).toBe('2026-10');
    expect(previousMonthLabel(new Date('2026-01-15T12:00:00Z'), 'UTC')).toBe('2025-12');
  });
  it('bounds are start-inclusive and end-exclusive', () => {
    const p = periodFor('2026-10', 'UTC');
    expect(periodContains(p, '2026-10-01T00:00:00Z')).toBe(true);
    expect(periodContains(p, '2026-10-31T23:59:59Z')).toBe(true);
    expect(periodContains(p, '2026-11-01T00:00:00Z')).toBe(false);
  });
  it('rejects a malformed label', () => {
    expect(() => periodFor('2026-13', 'UTC')).toThrow('period "2026-13" is not of the form YYYY-MM');
  });
});
