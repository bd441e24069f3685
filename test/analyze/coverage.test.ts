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

  it('a bucket without a report keeps why: not configured, not delivered, only stale, no EncryptionStatus', () => {
    for (const cause of ['not_configured', 'not_delivered', 'stale', 'no_encryption_status'] as const)
      expect(bucketCoverage({ bucket: 'b', status: 'missing', cause, reason: 'r' })).toEqual({
        state: 'no_inventory',
        reason: 'r',
        cause,
      });
  });

  it('evidence collected before the cause was recorded: stale reports named make it "stale", else no cause', () => {
    const stale = [{ configId: 'audit', reportDate: '2026-09-30T00:00:00Z', location: 'm.json', why: 'before' }];
    expect(bucketCoverage({ bucket: 'b', status: 'missing', reason: 'r', staleReports: stale })).toMatchObject({
      cause: 'stale',
    });
    expect(bucketCoverage({ bucket: 'b', status: 'missing', reason: 'r' })).not.toHaveProperty('cause');
  });

  it('says which versions the counts include: current only, or all (the report lists VersionId)', () => {
    const current = bucketCoverage(measuredInventory('a', { 'SSE-S3': [2, 20] }));
    const allVersions = measuredInventory('b', { 'SSE-S3': [5, 50] });
    if (allVersions.status === 'ok') allVersions.includesVersions = true;
    expect(current).toMatchObject({ state: 'measured', objectVersions: 'current' });
    expect(bucketCoverage(allVersions)).toMatchObject({ state: 'measured', objectVersions: 'all' });
  });

  it('delete markers are counted apart from objects, per bucket and for the tenant', () => {
    const a = measuredInventory('a', { 'SSE-S3': [4, 40] });
    const b = measuredInventory('b', { 'NOT-SSE': [1, 10] });
    if (a.status !== 'ok' || b.status !== 'ok') throw new Error('measured');
    a.deleteMarkers = 3;
    a.includesVersions = true;
    b.deleteMarkers = 0;
    const s = summariseCoverage([bucketCoverage(a), bucketCoverage(b), { state: 'no_inventory', reason: 'x' }]);
    // 5 objects (4 + 1), never 8: the 3 delete markers are not objects.
    expect(s.total).toEqual({ objects: 5, bytes: 50 });
    expect(s.deleteMarkers).toBe(3);
    expect(s.objectVersions).toBe('mixed');
    expect(summariseCoverage([bucketCoverage(b)]).objectVersions).toBe('current');
    expect(summariseCoverage([{ state: 'unverified', reason: 'x', problems: [] }])).not.toHaveProperty(
      'objectVersions',
    );
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
