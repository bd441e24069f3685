import { describe, expect, it } from 'vitest';
import { firstRepeatedKey, repeatedKeyProblem } from '../../src/format/json-keys.js';
import { seededRandom } from '../../src/util/seeded-random.js';

const check = (text: string) => firstRepeatedKey(text, JSON.parse(text));

describe('a key named twice in one object of a JSON text', () => {
  it('finds none when each object names each key once, the same key in different objects included', () => {
    expect(check('{"a":1,"b":{"a":2,"b":[{"a":3},{"a":4}]}}')).toBeUndefined();
    expect(check('[]')).toBeUndefined();
    expect(check('": b"')).toBeUndefined();
  });

  it('names the key and the path of its object', () => {
    expect(check('{"a":1,"a":2}')).toEqual({ key: 'a', path: [] });
    expect(check('{"x":[{"b":1},{"c":1, "c" :2}]}')).toEqual({ key: 'c', path: ['x', 1] });
    expect(repeatedKeyProblem('{"S":[{"Effect":"Allow","Effect":"Deny"}]}', { S: [{ Effect: 'Deny' }] })).toBe(
      'names "Effect" twice in S[0] (JSON readers differ on which of the two counts)',
    );
    expect(repeatedKeyProblem('{"k":1,\n"k"\t:\r\n1}', { k: 1 })).toBe(
      'names "k" twice at the top (JSON readers differ on which of the two counts)',
    );
  });

  it('compares keys as JSON reads them: an escaped spelling of the same key is the same key', () => {
    expect(check('{"ab":1,"\\u0061b":2}')).toEqual({ key: 'ab', path: [] });
    expect(check('{"a\\\\":1,"a\\\\":2}')).toEqual({ key: 'a\\', path: [] });
    expect(check('{"a\\"":1,"a\\"" : 2}')).toEqual({ key: 'a"', path: [] });
  });

  it('is not misled by colons and quotes inside strings', () => {
    // Values that start with a colon, and keys that hold quotes and colons.
    expect(check('{"a":": x","b":":","c\\":":"\\":"}')).toBeUndefined();
    expect(check('{"a":"\\\\","b":"\\\\\\":"}')).toBeUndefined();
    expect(check('[":",":",{"k":": "}]')).toBeUndefined();
  });

  it('reads any depth JSON.parse reads, and says when the token reader cannot follow', () => {
    const deep = (n: number, inner: string) => '{"a":'.repeat(n) + inner + '}'.repeat(n);
    expect(check(deep(50_000, '1'))).toBeUndefined();
    expect(check('['.repeat(200_000) + ']'.repeat(200_000))).toBeUndefined();
    const wide = JSON.stringify(Array.from({ length: 300_000 }, (_, i) => i));
    expect(check(wide)).toBeUndefined();
    expect(check(deep(3, '{"z":1,"z":2}'))).toEqual({ key: 'z', path: ['a', 'a', 'a'] });
    expect(check(deep(50_000, '{"z":1,"z":2}'))).toBe('too deep');
    expect(repeatedKeyProblem(deep(50_000, '{"z":1,"z":2}'), JSON.parse(deep(50_000, '{"z":1,"z":2}')))).toBe(
      'is nested too deeply to be checked for a key named twice in one object',
    );
  });

  it('agrees with the generator on 3,000 generated documents', () => {
    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    // Keys spelled as JSON text, with what a reader makes of them: escapes, quotes, colons, backslashes.
    const KEYS: [text: string, key: string][] = [
      ['"a"', 'a'],
      ['"\\u0061"', 'a'],
      ['"b:"', 'b:'],
      ['"\\":"', '":'],
      ['"c\\\\"', 'c\\'],
      ['"Effect"', 'Effect'],
      ['""', ''],
      ['"é"', 'é'],
      ['"\\u00e9"', 'é'],
    ];
    const SCALARS = ['1', '"x"', '": y"', '"\\\\"', 'null', 'true', '"\\":"', '[]', '{}'];
    let withRepeat = 0;
    for (let doc = 0; doc < 3000; doc++) {
      // The first repeat in document order, found while writing: the generator's own account.
      let expected: { key: string; path: (string | number)[] } | undefined;
      const value = (depth: number, path: (string | number)[]): string => {
        const roll = random();
        if (depth > 3 || roll < 0.35) return pick(SCALARS);
        if (roll < 0.55) {
          const n = Math.floor(random() * 4);
          return `[${Array.from({ length: n }, (_, i) => value(depth + 1, [...path, i])).join(',')}]`;
        }
        const seen = new Set<string>();
        const members: string[] = [];
        const n = Math.floor(random() * 5);
        for (let i = 0; i < n; i++) {
          const [text, key] = pick(KEYS);
          // Mostly distinct keys; a repeat only now and then.
          if (seen.has(key) && random() < 0.85) continue;
          // A key is met before its value, so a repeat here comes before any inside the value.
          if (seen.has(key) && expected === undefined) expected = { key, path };
          seen.add(key);
          const inner = value(depth + 1, [...path, key]);
          members.push(`${text}${pick(['', ' ', '\n'])}:${pick(['', ' '])}${inner}`);
        }
        return `{${members.join(',')}}`;
      };
      const text = value(0, []);
      if (expected) withRepeat++;
      expect(check(text), text).toEqual(expected);
    }
    expect(withRepeat).toBeGreaterThan(100);
    expect(withRepeat).toBeLessThan(2900);
  });
});
