/** Calls in flight stay within the configured bound per service, account and region. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectLive, tenant, type LiveRun } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws, type FakeBucket } from '../../support/fake-aws/index.js';

const A = '111111111111';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
let fake: FakeAws;
let run: LiveRun;

beforeAll(async () => {
  const buckets: FakeBucket[] = Array.from({ length: 24 }, (_, i) => ({
    name: `b-${String(i).padStart(2, '0')}`,
    region: REGIONS[i % 3]!,
    encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:${REGIONS[i % 3]}:${A}:key/k-${i % 3}` },
  }));
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [{ id: A, buckets, keys: REGIONS.map((region, i) => ({ id: `k-${i}`, region })) }],
    latencyMs: 15,
  });
  run = await collectLive(fake, tenant({ id: 'many', accounts: [{ id: A }] }), {
    concurrency: { s3: 3, kms: 1 },
    bucketConcurrency: 24,
  });
});
afterAll(async () => {
  await run?.cleanup();
  await fake?.close();
});

it('reads every bucket', () => {
  expect(run.evidence.buckets).toHaveLength(24);
  expect(run.evidence.buckets.every((b) => b.encryption.outcome === 'ok')).toBe(true);
  expect(run.evidence.keys.map((k) => k.describe.outcome)).toEqual(['ok', 'ok', 'ok']);
});

it('never has more S3 calls in flight per account and region than configured, and uses the bound', () => {
  for (const region of REGIONS) expect(fake.recorder.maxInFlightBy[`s3|${A}|${region}`]).toBe(3);
  expect(fake.recorder.maxInFlight.s3).toBeLessThanOrEqual(9);
  expect(fake.recorder.maxInFlight.s3).toBeGreaterThan(3);
});

it('never has more than one KMS call in flight per region when so configured', () => {
  for (const region of REGIONS) expect(fake.recorder.maxInFlightBy[`kms|${A}|${region}`]).toBe(1);
});

it('reports progress per bucket and per key', () => {
  const buckets = run.progress.filter((p) => p.phase === 'buckets');
  expect(buckets).toHaveLength(24);
  expect(buckets[23]).toEqual({ phase: 'buckets', account: A, done: 24, total: 24 });
  expect(run.progress.filter((p) => p.phase === 'keys').map((p) => p.done)).toEqual([1, 2, 3]);
});
