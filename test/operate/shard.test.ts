import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseShard, shardOf, tenantsOfShard } from '../../src/operate/shard.js';
import { UsageError } from '../../src/errors.js';

/** The shard spelled out from the documented rule: first 8 bytes of sha256(id), big-endian, mod n, + 1. */
function documentedShard(id: string, n: number): number {
  const hex = createHash('sha256').update(id).digest('hex').slice(0, 16);
  return Number(BigInt(`0x${hex}`) % BigInt(n)) + 1;
}

const ids = Array.from({ length: 300 }, (_, i) => `tenant-${String(i + 1).padStart(3, '0')}`);

describe('parseShard', () => {
  it('reads i/n, 1-based', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 });
    expect(parseShard('2/2')).toEqual({ index: 2, count: 2 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  it.each([
    ['0/2', 'shards are numbered from 1 (1/2 … 2/2)'],
    ['3/2', 'there is no shard 3 of 2'],
    ['abc', 'is not of the form <i>/<n>'],
    ['1/0', 'the number of shards must be between 1 and 10000'],
    ['1/2/3', 'is not of the form'],
    ['-1/2', 'is not of the form'],
    ['1.5/2', 'is not of the form'],
    ['', 'is not of the form'],
  ])('refuses %j: %s', (spec, message) => {
    expect(() => parseShard(spec, {})).toThrow(UsageError);
    expect(() => parseShard(spec, {})).toThrow(message);
  });

  it('auto/n takes the 0-based index of an AWS Batch array job or a Kubernetes Indexed Job', () => {
    expect(parseShard('auto/4', { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '2', AWS_BATCH_JOB_ARRAY_INDEX: '2' })).toEqual({
      index: 3,
      count: 4,
    });
  });

  it('auto/n refuses a missing, out-of-range, garbled or ambiguous index', () => {
    expect(() => parseShard('auto/4', {})).toThrow('neither is set');
    expect(() => parseShard('auto/4', { JOB_COMPLETION_INDEX: '4' })).toThrow(
      'the array index 4 is shard 5, but there are only 4 shards',
    );
    expect(() => parseShard('auto/4', { AWS_BATCH_JOB_ARRAY_INDEX: 'x' })).toThrow('is not a 0-based array index');
    expect(() => parseShard('auto/4', { AWS_BATCH_JOB_ARRAY_INDEX: '1', JOB_COMPLETION_INDEX: '2' })).toThrow(
      'AWS_BATCH_JOB_ARRAY_INDEX=1 and JOB_COMPLETION_INDEX=2 disagree',
    );
  });
});

describe('shardOf', () => {
  it('is the documented hash rule', () => {
    for (const id of ['acme', 'globex', 'northwind', ...ids.slice(0, 50)])
      for (const n of [1, 2, 3, 7]) expect(shardOf(id, n)).toBe(documentedShard(id, n));
    // Pinned: a change of rule would move every tenant of an existing deployment.
    expect(['acme', 'globex', 'northwind'].map((id) => shardOf(id, 2))).toEqual([1, 2, 2]);
  });

  it('puts every tenant in exactly one shard and splits 300 tenants roughly evenly', () => {
    for (const n of [2, 3, 5]) {
      const shards = Array.from({ length: n }, (_, i) =>
        tenantsOfShard(
          ids.map((id) => ({ id })),
          { index: i + 1, count: n },
        ),
      );
      const all = shards.flat().map((t) => t.id);
      expect(all.sort()).toEqual([...ids].sort());
      for (const s of shards) expect(s.length).toBeGreaterThan((300 / n) * 0.75);
    }
  });

  it('moves no tenant when others are added or removed', () => {
    const before = new Map(ids.map((id) => [id, shardOf(id, 4)]));
    const fewer = ids.filter((_, i) => i % 3 !== 0);
    const more = [...ids, 'newcomer-1', 'newcomer-2'];
    for (const list of [fewer, more])
      for (const t of tenantsOfShard(
        list.map((id) => ({ id })),
        { index: 2, count: 4 },
      ))
        if (before.has(t.id)) expect(before.get(t.id)).toBe(2);
  });

  it('keeps the configured order within a shard', () => {
    const list = ids.map((id) => ({ id }));
    const mine = tenantsOfShard(list, { index: 1, count: 2 }).map((t) => t.id);
    expect(mine).toEqual(ids.filter((id) => documentedShard(id, 2) === 1));
  });
});
