import { describe, expect, it } from 'vitest';
import { bucketCoverage, percent, summariseCoverage } from '../../src/analyze/coverage.js';
import { measuredInventory } from '../support/evidence-builders.js';

describe('object coverage', () => {
  it('10 objects with 3 NOT-SSE is exactly 70.0 % by count and the exact bytes ratio', () => {
    // 7 encrypted objects of 100 B each (700 B), 3 NOT-SSE of 1,000 B each (3,000 B).
    const c = bucketCoverage(measuredInventory('b', { 'SSE-S3': [4, 400], 'SSE-KMS': [3, 300], 'NOT-SSE': [3, 3000] }));
    if (c.state !== 'measured') throw new Error('expected measured');
    expect(c.objectsPct).toBe(70);
    expect(c.bytesPct).toBe((700 / 3700) * 100);
    expect(c.total).toEqual({ objects: 10, bytes: 3700 });
    expect(c.unencrypted).toEqual({ objects: 3, bytes: 3000 });
  });

  it('counts SSE-C and DSSE-KMS as encrypted', () => {
    const c = bucketCoverage(measuredInventory('b', { 'SSE-C': [1, 10], 'DSSE-KMS': [1, 10] }));
    expect(c.state === 'measured' && c.objectsPct).toBe(100);
  });

  it('never rounds 9,999 of 10,000 up to 100', () => {
    const c = bucketCoverage(measuredInventory('b', { 'SSE-S3': [9999, 9999], 'NOT-SSE': [1, 1] }));
    expect(c.state === 'measured' && c.objectsPct).toBeCloseTo(99.99, 10);
    expect(c.state === 'measured' && c.objectsPct! < 100).toBe(true);
  });

  it('an empty bucket has no percentage, not 100 %', () => {
    const c = bucketCoverage(measuredInventory('b', {}));
    expect(c.state === 'measured' && c.objectsPct).toBeNull();
    expect(percent(0, 0)).toBeNull();
  });

  it('a bucket without inventory is "no inventory", never a number', () => {
    expect(bucketCoverage({ bucket: 'b', status: 'missing', reason: 'no report for the period' })).toEqual({
      state: 'no_inventory',
      reason: 'no report for the period',
    });
  });

  it('an unverified report carries its problems with file and line', () => {
    const c = bucketCoverage({
      bucket: 'b',
      status: 'unverified',
      reason: 'MD5 mismatch',
      problems: [{ file: 'data/x.csv.gz', line: 4, message: 'bad' }],
    });
    expect(c).toEqual({ state: 'unverified', reason: 'MD5 mismatch', problems: ['data/x.csv.gz:4: bad'] });
  });

  it('tenant coverage sums measured buckets only and says how many', () => {
    const s = summariseCoverage([
      bucketCoverage(measuredInventory('a', { 'SSE-S3': [9, 90], 'NOT-SSE': [1, 10] })),
      bucketCoverage(measuredInventory('b', { 'SSE-KMS': [10, 100] })),
      { state: 'no_inventory', reason: 'x' },
    ]);
    expect(s.measuredBuckets).toBe(2);
    expect(s.totalBuckets).toBe(3);
    expect(s.objectsPct).toBe(95);
    expect(s.bytesPct).toBe(95);
  });

  it('with no measured bucket the tenant percentage is null', () => {
    expect(summariseCoverage([{ state: 'no_inventory', reason: 'x' }]).objectsPct).toBeNull();
  });
});
