import { describe, expect, it } from 'vitest';
import { stableJson } from '../../src/util/atomic-write.js';
import { stableJsonPieces } from '../../src/util/json-pieces.js';
import { samplePacket } from '../support/sample-packet.js';

const joined = (value: unknown) => [...stableJsonPieces(value)].join('');

describe('stableJsonPieces', () => {
  it('joins to exactly the text of stableJson for a packet', () => {
    const packet = samplePacket({ governance: true });
    expect(joined(packet)).toBe(stableJson(packet));
  });

  it('joins to exactly the text of stableJson at every level it takes apart and beyond', () => {
    const value = {
      empty: {},
      none: [],
      left: undefined,
      fn: () => 1,
      date: new Date(Date.UTC(2026, 9, 31, 23, 59, 59)),
      text: 'two\nlines "quoted" \u2028 and \\ back',
      n: [1, -0, 1.5e300, Number.NaN, null, true],
      holes: [undefined, () => 2, { a: undefined }, [], {}],
      nested: { deeper: { deepest: [{ x: [1, [2, { y: 'z' }]] }] }, list: [[[]], [{}], [[1, 2]]] },
      many: Array.from({ length: 200 }, (_, i) => ({ i, name: `bucket-${i}`, tags: i % 3 ? [] : ['a', { b: i }] })),
      '10': 'integer-like keys come first',
      noProto: Object.assign(Object.create(null) as object, { k: 'v' }),
    };
    expect(joined(value)).toBe(stableJson(value));
    expect(joined([])).toBe(stableJson([]));
    expect(joined({})).toBe(stableJson({}));
    expect(joined([1, [2, [3]], undefined])).toBe(stableJson([1, [2, [3]], undefined]));
    expect(joined('top')).toBe(stableJson('top'));
  });

  it('never holds the text of a large array in one piece', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ name: `bucket-${String(i).padStart(5, '0')}` }));
    const pieces = [...stableJsonPieces({ rows })];
    const total = pieces.reduce((n, p) => n + p.length, 0);
    // 64 items a piece: 10,000 rows are 157 pieces, the longest about 64 rows' text (1/157 of the whole).
    expect(pieces.filter((p) => p.includes('bucket-')).length).toBe(Math.ceil(10_000 / 64));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(total / 100);
  });
});
