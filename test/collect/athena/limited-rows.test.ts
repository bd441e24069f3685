import { describe, expect, it } from 'vitest';
import { limitedRows } from '../../../src/collect/athena/sql-engine.js';

const rows = (total: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ requestid: `r${i}`, denied_total: total }));

describe('limitedRows: a LIMIT query whose rows carry the count before the LIMIT', () => {
  it('keeps the first `room` rows and counts the rest of the total', () => {
    expect(limitedRows(rows('7', 3), 3)).toEqual({ kept: rows('7', 3), past: 4 });
    expect(limitedRows(rows('3', 3), 5)).toEqual({ kept: rows('3', 3), past: 0 });
    // No room left: the one row asked for only carries the count, and is counted too.
    expect(limitedRows(rows('5', 1), 0)).toEqual({ kept: [], past: 5 });
    expect(limitedRows([], 4)).toEqual({ kept: [], past: 0 });
  });

  it('an answer whose total is not a count covering its rows is refused, not believed', () => {
    expect(() => limitedRows(rows('2', 3), 3)).toThrow('a total of "2" for 3 row(s)');
    expect(() => limitedRows(rows('many', 1), 1)).toThrow('a total of "many"');
    expect(() => limitedRows(rows('', 1), 1)).toThrow();
    expect(() => limitedRows([{ denied_total: '4' }, { denied_total: '5' }], 2)).toThrow();
    expect(() => limitedRows([{ requestid: 'r0' }], 1)).toThrow();
  });
});
