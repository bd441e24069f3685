/** The collection benchmark, small: it runs, measures both ways, and stays within the configured limits. */
import { expect, it } from 'vitest';
import { benchCollection } from '../../../bench/collection.js';

it('measures a concurrent and a one-call-at-a-time collection and reports in-flight maxima within the limits', async () => {
  const r = await benchCollection({ buckets: 30, regions: 3, latencyMs: 10, concurrency: { s3: 4, kms: 2 }, bucketConcurrency: 12, serialSample: 3 });
  expect(r.endpoint).toBe('in-process');
  expect(r.buckets).toBe(30);
  // 3 STS + 1 ListBuckets + 30 buckets x 10 reads + 3 keys x 5 KMS reads (ListAliases included)
  expect(r.calls).toBe(3 + 1 + 300 + 15);
  expect(r.serialMeasured.buckets).toBe(3);
  // the sample (bench-00000..00002) uses one KMS key: bench-00001's, in eu-west-1
  expect(r.serialMeasured.calls).toBe(3 + 1 + 30 + 5);
  expect(r.maxInFlightPerAccountRegion.s3).toBeLessThanOrEqual(4);
  expect(r.maxInFlight.s3).toBeLessThanOrEqual(12);
  expect(r.maxInFlight.s3).toBeGreaterThan(4);
  expect(r.withinLimits).toBe(true);
  expect(r.ratio).toBeGreaterThan(1);
}, 30_000);
