import { describe, expect, it } from 'vitest';
import { EventIdSet, guidText, guidWords } from '../../../src/collect/cloudtrail/event-id-set.js';
import { seededRandom } from '../../../src/util/seeded-random.js';

const hex = (rand: () => number, n: number) =>
  Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
const guid = (rand: () => number) => `${hex(rand, 8)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 12)}`;

describe('EventIdSet', () => {
  it('answers as a Set of the same strings does, over 60,000 adds of GUIDs, near-GUIDs and other ids', () => {
    const rand = seededRandom(7);
    const pool: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const g = guid(rand);
      pool.push(g);
      // Kin of a GUID that are other ids: upper case, a space after it, braces, one digit fewer.
      if (i % 50 === 0) pool.push(g.toUpperCase(), `${g} `, `{${g}}`, g.slice(1));
    }
    pool.push('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'e1', '', 'é');
    const set = new EventIdSet();
    const expected = new Set<string>();
    let news = 0;
    for (let i = 0; i < 60_000; i++) {
      const id = pool[Math.floor(rand() * pool.length)]!;
      const isNew = !expected.has(id);
      expected.add(id);
      expect(set.addNew(id)).toBe(isNew);
      if (isNew) news++;
    }
    for (const id of pool) {
      expect(set.addNew(id)).toBe(!expected.has(id));
      expected.add(id);
    }
    expect(set.size).toBe(expected.size);
    expect(news).toBeGreaterThan(10_000);
  });

  it('tells apart GUIDs that differ in one hex digit of any of their four words', () => {
    const set = new EventIdSet();
    const base = '0123abcd-4567-89ab-cdef-0123456789ab';
    expect(set.addNew(base)).toBe(true);
    for (let i = 0; i < base.length; i++) {
      if (base[i] === '-') continue;
      const other = `${base.slice(0, i)}${base[i] === 'f' ? 'e' : 'f'}${base.slice(i + 1)}`;
      expect(set.addNew(other)).toBe(true);
      expect(set.addNew(other)).toBe(false);
    }
    expect(set.addNew(base)).toBe(false);
    expect(set.size).toBe(33);
  });

  it("gives back from a GUID's words the very id they were read from, and reads no other form", () => {
    const rand = seededRandom(11);
    const words = new Int32Array(4);
    for (let i = 0; i < 2_000; i++) {
      const id = guid(rand);
      expect(guidWords(id, words, 0)).toBe(true);
      expect(guidText(words[0]!, words[1]!, words[2]!, words[3]!)).toBe(id);
    }
    for (const id of [
      '',
      'e1',
      '0123ABCD-4567-89ab-cdef-0123456789ab',
      '0123abcd-4567-89ab-cdef-0123456789a',
      '0123abcd-4567-89ab-cdef_0123456789ab',
    ]) {
      words.fill(7);
      expect(guidWords(id, words, 0)).toBe(false);
      expect([...words]).toEqual([7, 7, 7, 7]);
    }
  });
});
