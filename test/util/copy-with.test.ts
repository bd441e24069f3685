import { describe, expect, it } from 'vitest';
import { copyWith } from '../../src/util/copy-with.js';

describe('copyWith', () => {
  it('gives what a spread gives: the same keys in the same order, a key of `more` overriding in place', () => {
    const parsed = JSON.parse('{"operation":"s3:GetBucketPolicy","file":"old","outcome":"ok","n":1}') as object;
    const copy = copyWith(parsed, { file: 'evidence/x.json', extra: undefined });
    expect(Object.keys(copy)).toEqual(['operation', 'file', 'outcome', 'n', 'extra']);
    expect(copy).toStrictEqual({ ...parsed, ...{ file: 'evidence/x.json', extra: undefined } });
    expect(JSON.stringify(copy)).toBe(
      '{"operation":"s3:GetBucketPolicy","file":"evidence/x.json","outcome":"ok","n":1}',
    );
    expect(copy).not.toBe(parsed);
    expect(parsed).toStrictEqual({ operation: 's3:GetBucketPolicy', file: 'old', outcome: 'ok', n: 1 });
  });

  it('keeps a parsed own __proto__ key an own data property, never the copy prototype', () => {
    const hostile = JSON.parse('{"outcome":"ok","__proto__":{"requestId":"inherited"}}') as Record<string, unknown>;
    const copy = copyWith(hostile, { file: 'f' }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy.requestId).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ requestId: 'inherited' });
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...hostile, file: 'f' }));
  });
});
