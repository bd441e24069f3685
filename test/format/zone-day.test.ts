import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { wallClock } from '../../src/format/zone-day.js';

/** luxon's general ISO reading, as wallClock did for every text before its fast path. */
function throughLuxon(iso: string, zone: string): Date | undefined {
  const t = DateTime.fromISO(iso, { zone: 'utc' });
  if (!t.isValid) return undefined;
  const local = t.setZone(zone);
  if (!local.isValid) return undefined;
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

describe('wallClock: an instant as a zone-less spreadsheet date', () => {
  it('UTC: the same fields, milliseconds dropped', () => {
    expect(wallClock('2026-10-05T12:34:07.999Z', 'UTC')?.toISOString()).toBe('2026-10-05T12:34:07.000Z');
    expect(wallClock('2026-10-05T12:34:07Z', 'UTC')?.toISOString()).toBe('2026-10-05T12:34:07.000Z');
  });

  it('another zone: its wall-clock time, across a daylight-saving change', () => {
    // Berlin is UTC+2 until 2026-10-25 01:00 UTC, then UTC+1.
    expect(wallClock('2026-10-25T00:59:59.000Z', 'Europe/Berlin')?.toISOString()).toBe('2026-10-25T02:59:59.000Z');
    expect(wallClock('2026-10-25T01:00:00.000Z', 'Europe/Berlin')?.toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(wallClock('2026-10-31T23:30:00.000Z', 'Asia/Kathmandu')?.toISOString()).toBe('2026-11-01T05:15:00.000Z');
  });

  it('no date for days, months and times that do not exist, nor for a zone that does not', () => {
    for (const iso of [
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-10-05T23:60:00Z',
      'x',
    ])
      expect(wallClock(iso, 'UTC')).toBeUndefined();
    expect(wallClock('2026-10-05T12:00:00Z', 'Mars/Olympus')).toBeUndefined();
    expect(wallClock('2028-02-29T23:59:59Z', 'UTC')?.toISOString()).toBe('2028-02-29T23:59:59.000Z');
    // luxon reads 24:00 as the next day's midnight; the fast path leaves it to luxon.
    expect(wallClock('2026-10-05T24:00:00Z', 'UTC')?.toISOString()).toBe('2026-10-06T00:00:00.000Z');
  });

  it('agrees with luxon reading the text itself, for the fast shape and others', () => {
    const texts = [
      '2026-10-05T12:34:07.000Z',
      '2026-10-05T12:34:07.5Z',
      '2026-01-01T00:00:00Z',
      '2026-12-31T23:59:59.123Z',
      '2024-02-29T10:00:00Z',
      '2026-02-29T10:00:00Z',
      '2026-06-31T10:00:00Z',
      '2026-00-10T10:00:00Z',
      '2026-10-05T23:60:00Z',
      '2026-10-05T23:59:60Z',
      '2026-10-05T24:00:00Z',
      '0999-10-05T12:00:00Z',
      '2026-10-05T12:34:07.123456Z',
      '2026-10-05T12:34:07+02:00',
      '2026-10-05T12:34',
      '2026-10-05',
      '',
    ];
    for (const zone of [
      'UTC',
      'Europe/Berlin',
      'America/St_Johns',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'Nowhere/Else',
    ])
      for (const iso of texts) expect(wallClock(iso, zone), `${iso} in ${zone}`).toEqual(throughLuxon(iso, zone));
  });
});
