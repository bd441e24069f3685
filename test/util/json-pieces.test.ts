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

  it('takes apart a large value at any depth, so no piece holds much of it', () => {
    // Like a packet's controls: a few objects, each with a list of 5,000 resources, under two levels.
    const controls = Array.from({ length: 6 }, (_, c) => ({
      id: `C-${c}`,
      resources: Array.from({ length: 5_000 }, (_, i) => ({
        resource: `bucket-${String(i).padStart(5, '0')}`,
        verdict: i % 7 ? 'pass' : 'fail',
        reason: i % 11 ? undefined : 'x'.repeat(i % 300),
        evidence: [`evidence/accounts/1/s3/bucket-${i}/get-bucket-encryption.json`],
      })),
    }));
    const value = { sections: { deep: { deeper: { controls } } }, tail: [controls[0], 1, undefined, 'end'] };
    const pieces = [...stableJsonPieces(value)];
    const text = pieces.join('');
    expect(text).toBe(stableJson(value));
    // No piece is more than a small part of the whole (some 7 MB): the longest is a batch of resources.
    expect(text.length).toBeGreaterThan(7_000_000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(64 * 1024);
  });

  it('joins to exactly the text of stableJson for values of every shape, small and large', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    let budget = 0;
    const make = (depth: number): unknown => {
      const r = random();
      if (depth === 0 || r < 0.3 || --budget < 0) {
        const leaves = ['s\n"q"', 0, -1.25, true, null, undefined, '', 'x'.repeat(Math.floor(random() * 200))];
        return leaves[Math.floor(random() * leaves.length)];
      }
      const n = Math.floor(random() * (r < 0.5 ? 4 : 150));
      if (r < 0.75) return Array.from({ length: n }, () => make(depth - 1));
      return Object.fromEntries(
        Array.from({ length: n }, (_, i) => [i % 5 === 0 ? String(i) : `k${i}`, make(depth - 1)]),
      );
    };
    for (let i = 0; i < 40; i++) {
      budget = 400;
      const value = make(5);
      if (value === undefined) continue;
      expect(joined(value)).toBe(stableJson(value));
    }
  });
});
