/**
 * A region that does not answer is given up once: after one call's timeout x attempts, every
 * remaining call there (S3, KMS, AWS Config; any resource) is recorded as not attempted, naming the
 * first failure, instead of each resource waiting out its own timeouts. Other regions are unaffected.
 * On a process whose event loop stalls while the calls are out, after the next round of calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLive, tenant, type LiveRun } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws, type FakeBucket } from '../../support/fake-aws/index.js';
import { responsiveLoop } from '../../support/responsive-loop.js';

const A = '111111111111';
const HUNG = 'eu-west-1';
const REGIONS = ['us-east-1', HUNG];
const BUCKETS = 40;
const TIMEOUT_MS = 400;
const ATTEMPTS = 2;
const S3_LIMIT = 4;
const KMS_LIMIT = 2;
const CONFIG_LIMIT = 2;
const CLOUDTRAIL_LIMIT = 2;
let fake: FakeAws;
let run: LiveRun;

beforeAll(async () => {
  const buckets: FakeBucket[] = Array.from({ length: BUCKETS }, (_, i) => ({
    name: `b-${String(i).padStart(2, '0')}`,
    region: REGIONS[i % 2]!,
    encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:${REGIONS[i % 2]}:${A}:key/k-${i % 2}` },
  }));
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [
      {
        id: A,
        buckets,
        keys: REGIONS.map((region, i) => ({ id: `k-${i}`, region })),
        configRecorders: REGIONS.map((region) => ({ region, recording: true, allSupported: true })),
      },
    ],
    faults: [{ region: HUNG, action: { kind: 'hang' } }],
  });
  run = await collectLive(
    fake,
    tenant({ id: 'hung', accounts: [{ id: A, regions: REGIONS }], kmsKeys: [`arn:aws:kms:${HUNG}:${A}:key/k-1`] }),
    {
      concurrency: { s3: S3_LIMIT, kms: KMS_LIMIT, config: CONFIG_LIMIT, cloudtrail: CLOUDTRAIL_LIMIT },
      timeoutMs: TIMEOUT_MS,
      maxAttempts: ATTEMPTS,
      awsConfig: true,
      kmsLookup: true,
      loopStalls: responsiveLoop,
    },
  );
}, 60_000);
afterAll(async () => {
  await run?.cleanup();
  await fake?.close();
});

describe('a hung region', () => {
  const inHung = () => run.evidence.buckets.filter((b) => b.region === HUNG);

  it('leaves every bucket of the other region read', () => {
    const ok = run.evidence.buckets.filter((b) => b.region === 'us-east-1');
    expect(ok).toHaveLength(BUCKETS / 2);
    expect(ok.every((b) => b.encryption.outcome === 'ok' && b.policy.outcome !== 'error')).toBe(true);
  });

  it('records every call for its buckets as a failure: the first ones timed out, the rest not attempted, naming the timeout', () => {
    const hung = inHung();
    expect(hung).toHaveLength(BUCKETS / 2);
    const records = hung.flatMap((b) => [b.tagging, b.encryption]);
    expect(records.every((r) => r.outcome === 'error')).toBe(true);
    const codes = records.map((r) => (r.outcome === 'ok' ? 'ok' : r.error.code));
    expect(new Set(codes)).toEqual(new Set(['TimeoutError', 'NotAttempted']));
    // Only the calls in flight when the region stopped answering waited for their timeout.
    expect(codes.filter((c) => c === 'TimeoutError').length).toBeLessThanOrEqual(S3_LIMIT);
    const skipped = records.find((r) => r.outcome !== 'ok' && r.error.code === 'NotAttempted');
    // Keys are read while buckets are: the first call to time out there may be S3's or KMS's.
    expect(skipped?.outcome === 'error' && skipped.error.message).toMatch(
      /^not attempted: (s3|kms) in eu-west-1 did not answer \(TimeoutError/,
    );
  });

  it('skips the key and AWS Config calls there without waiting again', () => {
    const key = run.evidence.keys.find((k) => k.region === HUNG);
    expect(key?.describe.outcome === 'error' && key.describe.error.code).toBe('NotAttempted');
    const region = run.awsConfig?.accounts[0]?.regions.find((r) => r.region === HUNG);
    expect(region?.recorders.outcome === 'error' && region.recorders.error.code).toBe('NotAttempted');
    const other = run.awsConfig?.accounts[0]?.regions.find((r) => r.region === 'us-east-1');
    expect(other?.recorders.outcome).toBe('ok');
  });

  it('skips CloudTrail LookupEvents there, naming the first failure', () => {
    const hung = run.kmsEvents?.find((r) => r.region === HUNG);
    expect(hung?.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^LookupEvents page 1 failed: NotAttempted: not attempted: (s3|kms) in eu-west-1 did not answer/,
      ),
    ]);
    expect(run.kmsEvents?.find((r) => r.region === 'us-east-1')?.problems).toEqual([]);
  });

  it('costs one call timeout x attempts, not that per resource: counted in calls, not seconds', () => {
    // Only the calls in flight when it stopped answering were sent there, each attempt: at most every
    // service's limit (S3 and KMS start first; on a slow machine a Config or CloudTrail call may already be
    // on its way before the first timeout; S3 Tables and directory-bucket calls share S3's limit). Waiting per resource would
    // have sent 20 buckets x 10 reads x 2 attempts, plus keys, Config and CloudTrail.
    const hungCalls = fake.recorder.calls.filter((c) => c.region === HUNG);
    expect(hungCalls.length).toBeGreaterThan(0);
    const limitOf = { s3: S3_LIMIT, kms: KMS_LIMIT, config: CONFIG_LIMIT, cloudtrail: CLOUDTRAIL_LIMIT };
    const limitGroup = (service: string) => (service === 's3tables' || service === 's3express' ? 's3' : service);
    expect(hungCalls.every((c) => limitGroup(c.service) in limitOf)).toBe(true);
    for (const [group, limit] of Object.entries(limitOf)) {
      expect(hungCalls.filter((c) => limitGroup(c.service) === group).length).toBeLessThanOrEqual(limit * ATTEMPTS);
    }
    // Every read of the region's buckets that was not sent is recorded as not attempted.
    const records = inHung().flatMap((b) => [b.tagging, b.encryption]);
    const timedOut = records.filter((r) => r.outcome === 'error' && r.error.code === 'TimeoutError').length;
    expect(records.length - timedOut).toBe(
      records.filter((r) => r.outcome === 'error' && r.error.code === 'NotAttempted').length,
    );
  });
});

describe('a hung region while this process stalls', () => {
  // One attempt per call: the calls out when the loop stood still (the other region's first encryption
  // read blocks it) time out as it resumes, so their timeouts may be this process's own; the next
  // calls sent there find nothing answering either.
  const STALL_ATTEMPTS = 1;
  let stalledFake: FakeAws;
  let stalledRun: LiveRun;
  beforeAll(async () => {
    stalledFake = await startFakeAws({
      caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
      accounts: [
        {
          id: A,
          buckets: Array.from({ length: BUCKETS }, (_, i) => ({
            name: `b-${String(i).padStart(2, '0')}`,
            region: REGIONS[i % 2]!,
            encryption: { algorithm: 'AES256' as const },
          })),
        },
      ],
      faults: [
        {
          region: 'us-east-1',
          operation: 'GetBucketEncryption',
          times: 1,
          action: { kind: 'block-loop', ms: TIMEOUT_MS * 3 },
        },
        { region: HUNG, action: { kind: 'hang' } },
      ],
    });
    stalledRun = await collectLive(stalledFake, tenant({ id: 'stalled', accounts: [{ id: A, regions: REGIONS }] }), {
      concurrency: { s3: S3_LIMIT },
      timeoutMs: TIMEOUT_MS,
      maxAttempts: STALL_ATTEMPTS,
    });
  }, 60_000);
  afterAll(async () => {
    await stalledRun?.cleanup();
    await stalledFake?.close();
  });

  it('is given up by the next round of calls: the rest recorded as not attempted, naming the timeout', () => {
    const hung = stalledRun.evidence.buckets.filter((b) => b.region === HUNG);
    const records = hung.flatMap((b) => [b.tagging, b.encryption]);
    const codes = records.map((r) => (r.outcome === 'error' ? r.error.code : 'read'));
    expect(new Set(codes)).toEqual(new Set(['TimeoutError', 'NotAttempted']));
    const skipped = records.find((r) => r.outcome !== 'ok' && r.error.code === 'NotAttempted');
    expect(skipped?.outcome === 'error' && skipped.error.message).toMatch(
      /^not attempted: s3 in eu-west-1 did not answer \(TimeoutError/,
    );
    // The other region's calls out during the stall timed out too (their records say so); it is not given up.
    const other = stalledRun.evidence.buckets.filter((b) => b.region === 'us-east-1');
    expect(other).toHaveLength(BUCKETS / 2);
    const otherCodes = other
      .flatMap((b) => [b.tagging, b.encryption])
      .map((r) => (r.outcome === 'error' ? r.error.code : 'read'));
    expect(otherCodes.filter((c) => c !== 'read' && c !== 'TimeoutError')).toEqual([]);
    expect(otherCodes.filter((c) => c === 'read').length).toBeGreaterThan(BUCKETS / 2);
  });

  it('costs at most two rounds of calls there, not one per resource', () => {
    const records = stalledRun.evidence.buckets
      .filter((b) => b.region === HUNG)
      .flatMap((b) => [b.tagging, b.encryption]);
    const timedOut = records.filter((r) => r.outcome === 'error' && r.error.code === 'TimeoutError').length;
    expect(timedOut).toBeLessThanOrEqual(2 * S3_LIMIT);
    expect(stalledFake.recorder.calls.filter((c) => c.region === HUNG).length).toBeLessThanOrEqual(
      2 * S3_LIMIT * STALL_ATTEMPTS,
    );
  });
});
