import { describe, expect, it } from 'vitest';
import { MAX_PAST_MONTHS, periodContains, periodFor, periodRefusal, periodTiming, previousMonthLabel } from '../../src/config/period.js';

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

describe('which periods run may make a packet', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  it('a month that has ended in the tenant\'s zone is closed', () => {
    expect(periodTiming(periodFor('2026-11', 'America/Chicago'), now)).toBe('closed');
    expect(periodRefusal(periodFor('2026-11', 'Pacific/Kiritimati'), now)).toBeUndefined();
  });

  it('the current month is open: refused unless provisional, with when it ends in its zone', () => {
    const p = periodFor('2026-12', 'Europe/Berlin');
    expect(periodTiming(p, now)).toBe('open');
    expect(periodRefusal(p, now)).toBe(
      'period 2026-12 has not ended (it ends 2027-01-01 00:00 Europe/Berlin); a packet for an unfinished month is provisional: pass --provisional to make one, stamped PROVISIONAL',
    );
    expect(periodRefusal(p, now, { provisional: true })).toBeUndefined();
  });

  it('the month just ended in UTC is still open further west (1 Dec 01:00 UTC is 30 Nov in Chicago)', () => {
    const early = new Date('2026-12-01T01:00:00Z');
    expect(periodTiming(periodFor('2026-11', 'UTC'), early)).toBe('closed');
    expect(periodTiming(periodFor('2026-11', 'America/Chicago'), early)).toBe('open');
  });

  it('a month not begun is refused even as provisional; far future too', () => {
    expect(periodRefusal(periodFor('2027-01', 'UTC'), now, { provisional: true })).toBe('period 2027-01 has not begun (it starts 2027-01-01 00:00 UTC); there is no evidence for it yet');
    expect(periodRefusal(periodFor('2099-01', 'UTC'), now, { provisional: true, tenant: 'acme' })).toBe('period 2099-01 has not begun for tenant acme (it starts 2099-01-01 00:00 UTC); there is no evidence for it yet');
  });

  it(`a month that ended more than ${MAX_PAST_MONTHS} months ago is refused`, () => {
    expect(periodTiming(periodFor('2021-11', 'UTC'), now)).toBe('too_old');
    expect(periodTiming(periodFor('2021-12', 'UTC'), now)).toBe('closed');
    expect(periodRefusal(periodFor('2020-01', 'UTC'), now)).toBe('period 2020-01 ended more than 60 months ago; evidence collected now cannot describe it (re-render a packet of that month with analyze/render instead)');
  });
});
