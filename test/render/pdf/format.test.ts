import { describe, expect, it } from 'vitest';
import { formatInstant, formatPercent, hashParts } from '../../../src/render/pdf/format.js';

describe('formatPercent', () => {
  it.each([
    [99.982, '99.982'],
    [99.995, '99.995'],
    [99.9996, '99.999'],
    [99.99999, '99.999'],
    [99.9, '99.900'],
    [99.89, '99.8'],
    [95.67, '95.6'],
    [50, '50.0'],
    [0, '0.0'],
    [100, '100'],
  ])('%s -> %s', (value, shown) => {
    expect(formatPercent(value)).toBe(shown);
  });
  it('has no figure for no data', () => {
    expect(formatPercent(null)).toBeNull();
  });
  it('refuses impossible percentages', () => {
    expect(() => formatPercent(100.5)).toThrow(/out of range/);
    expect(() => formatPercent(-1)).toThrow(/out of range/);
  });
});

describe('formatInstant', () => {
  it('shows the instant in the tenant zone with its abbreviation', () => {
    // 11:00 UTC on 1 Nov 2026 is after the US switch back to standard time (06:00 UTC that day).
    expect(formatInstant('2026-11-01T11:00:00Z', 'America/New_York', 'yyyy-MM-dd HH:mm ZZZZ', 'en-US')).toBe(
      '2026-11-01 06:00 EST',
    );
    expect(formatInstant('2026-10-01T04:00:00Z', 'America/New_York', 'LLLL yyyy', 'en-US')).toBe('October 2026');
    expect(formatInstant('2026-10-01T04:00:00Z', 'UTC', 'yyyy-MM-dd HH:mm', 'en-US')).toBe('2026-10-01 04:00');
  });
  it('rejects a non-date', () => {
    expect(() => formatInstant('yesterday', 'UTC', 'yyyy', 'en-US')).toThrow(/not an ISO-8601 instant/);
  });
});

describe('hashParts', () => {
  it('takes the first 8 and last 4 hex digits', () => {
    expect(hashParts(`3f9a1c2b${'0'.repeat(52)}c21e`)).toEqual({ head: '3f9a1c2b', tail: 'c21e' });
  });
});
