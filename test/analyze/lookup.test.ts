import { describe, expect, it } from 'vitest';
import { firstByKey, joinKey } from '../../src/analyze/lookup.js';

describe('firstByKey', () => {
  const items = [
    { name: 'a', tags: ['x', 'y'] },
    { name: 'b', tags: ['y', 'z'] },
    { name: 'a', tags: ['w'] },
  ];

  it('gives what find would: the first item with the key, undefined for none', () => {
    const byName = firstByKey(items, 'name', (i) => [i.name]);
    expect(byName.get('a')).toBe(items[0]);
    expect(byName.get('b')).toBe(items[1]);
    expect(byName.get('c')).toBeUndefined();
    const byTag = firstByKey(items, 'tag', (i) => i.tags);
    expect(byTag.get('y')).toBe(items[0]);
    expect(byTag.get('z')).toBe(items[1]);
    expect(byTag.get('w')).toBe(items[2]);
  });

  it('builds the index once per array and kind', () => {
    let calls = 0;
    const counted = (i: (typeof items)[number]) => {
      calls++;
      return [i.name];
    };
    const first = firstByKey(items, 'counted', counted);
    expect(firstByKey(items, 'counted', counted)).toBe(first);
    expect(calls).toBe(3);
    // Another array, even with equal content, has its own index.
    expect(firstByKey([...items], 'counted', counted).get('b')).toEqual(items[1]);
    expect(calls).toBe(6);
  });

  it('joins parts so that different parts never give the same key', () => {
    expect(joinKey('a|b', 'c')).not.toBe(joinKey('a', 'b|c'));
    expect(joinKey('ab', 'c')).not.toBe(joinKey('a', 'bc'));
  });
});
