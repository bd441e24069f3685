import { describe, expect, it } from 'vitest';
import { describeWindow, inWindow, reportWindow, staleBecause } from '../../../src/collect/inventory/report-window.js';
import { periodFor } from '../../../src/config/period.js';

describe('reportWindow: which report dates describe a period', () => {
  it('closed October in Chicago: from its end (05:00 UTC, CDT) to 7 days after, inclusive, earliest first', () => {
    const w = reportWindow(periodFor('2026-10', 'America/Chicago'), { maxDaysAfterPeriod: 7 });
    expect([w.fromUtc, w.toUtc, w.prefer]).toEqual(['2026-11-01T05:00:00Z', '2026-11-08T05:00:00Z', 'earliest']);
    expect(inWindow('2026-11-01T04:59:00Z', w)).toBe(false);
    expect(inWindow('2026-11-01T05:00:00Z', w)).toBe(true);
    expect(inWindow('2026-11-08T05:00:00Z', w)).toBe(true);
    expect(inWindow('2026-11-08T05:01:00Z', w)).toBe(false);
  });

  it('0 days accepts only a report begun exactly at the end', () => {
    const w = reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 0 });
    expect(inWindow('2026-11-01T00:00:00Z', w)).toBe(true);
    expect(inWindow('2026-11-01T00:01:00Z', w)).toBe(false);
  });

  it('provisional: the period itself, its end excluded, newest first', () => {
    const w = reportWindow(periodFor('2026-11', 'Europe/Berlin'), { maxDaysAfterPeriod: 7, provisional: true });
    expect([w.fromUtc, w.toUtc, w.prefer]).toEqual(['2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z', 'latest']);
    expect(inWindow('2026-10-31T23:00:00Z', w)).toBe(true);
    expect(inWindow('2026-11-30T23:00:00Z', w)).toBe(false);
  });

  it('refuses a limit that is not a whole number of days', () => {
    expect(() => reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 1.5 })).toThrow(/whole number/);
    expect(() => reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: -1 })).toThrow(/whole number/);
  });
});

describe('staleBecause: why a report does not describe the period', () => {
  const utc = reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 7 });
  it('before the end', () => {
    expect(staleBecause('2026-10-31T00:00:00Z', utc)).toBe(
      "delivered 2026-10-31 00:00 UTC, before the period's end 2026-11-01 00:00 UTC",
    );
  });
  it('too long after the end, in days, hours and minutes', () => {
    expect(staleBecause('2026-11-20T00:00:00Z', utc)).toBe(
      "delivered 2026-11-20 00:00 UTC, 19 days after the period's end; the limit is 7 days",
    );
    expect(staleBecause('2026-11-08T01:30:00Z', utc)).toBe(
      "delivered 2026-11-08 01:30 UTC, 7 days 1 hour 30 minutes after the period's end; the limit is 7 days",
    );
    const oneDay = reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 1 });
    expect(staleBecause('2026-11-03T00:00:00Z', oneDay)).toBe(
      "delivered 2026-11-03 00:00 UTC, 2 days after the period's end; the limit is 1 day",
    );
  });
  it('the end is shown as the tenant sees it too', () => {
    const ny = reportWindow(periodFor('2026-10', 'America/New_York'), { maxDaysAfterPeriod: 7 });
    expect(staleBecause('2026-11-01T00:00:00Z', ny)).toBe(
      "delivered 2026-11-01 00:00 UTC, before the period's end 2026-11-01 04:00 UTC (2026-11-01 00:00 America/New_York)",
    );
    expect(describeWindow(ny)).toBe(
      "a report must be delivered from the period's end 2026-11-01 04:00 UTC (2026-11-01 00:00 America/New_York) to 7 days after it",
    );
  });
  it('provisional: before the period began', () => {
    const w = reportWindow(periodFor('2026-11', 'UTC'), { maxDaysAfterPeriod: 7, provisional: true });
    expect(staleBecause('2026-10-31T00:00:00Z', w)).toBe(
      "delivered 2026-10-31 00:00 UTC, before the period's start 2026-11-01 00:00 UTC; a provisional packet uses a report delivered within the period",
    );
    expect(describeWindow(w)).toBe(
      'a provisional packet uses the newest report delivered within the period, from 2026-11-01 00:00 UTC',
    );
  });
});
