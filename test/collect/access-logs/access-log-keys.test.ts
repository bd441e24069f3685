import { describe, expect, it } from 'vitest';
import { fileMayHoldPeriod, parseAccessLogKey } from '../../../src/collect/access-logs/access-log-keys.js';

describe('parseAccessLogKey', () => {
  it('reads the simple-prefix format', () => {
    expect(parseAccessLogKey('logs/acme-2026-10-05-10-15-22-1A2B3C4D5E6F7A8B')).toEqual({
      layout: 'simple',
      fileTimeMs: Date.UTC(2026, 9, 5, 10, 15, 22),
    });
  });

  it('reads the date-partitioned format with account, region and source bucket', () => {
    expect(
      parseAccessLogKey('dest/111122223333/eu-west-1/acme-data/2026/10/31/2026-10-31-00-00-00-9F8E7D6C5B4A3921'),
    ).toEqual({
      layout: 'partitioned',
      fileTimeMs: Date.UTC(2026, 9, 31),
      sourceAccount: '111122223333',
      sourceRegion: 'eu-west-1',
      sourceBucket: 'acme-data',
    });
  });

  it('has no date for other names', () => {
    expect(parseAccessLogKey('logs/stray-file')).toBeNull();
  });

  it('keeps files dated within the margin around the period and drops the rest', () => {
    const start = Date.parse('2026-09-30T22:00:00Z');
    const end = Date.parse('2026-10-31T23:00:00Z');
    const at = (iso: string) => ({ layout: 'simple' as const, fileTimeMs: Date.parse(iso) });
    expect(fileMayHoldPeriod(at('2026-09-29T22:00:00Z'), start, end, 1)).toBe(true);
    expect(fileMayHoldPeriod(at('2026-09-29T21:59:59Z'), start, end, 1)).toBe(false);
    expect(fileMayHoldPeriod(at('2026-11-01T22:59:59Z'), start, end, 1)).toBe(true);
    expect(fileMayHoldPeriod(at('2026-11-01T23:00:00Z'), start, end, 1)).toBe(false);
  });
});
