/**
 * A healthy region is not given up for one slow call, nor because this process's own event loop
 * stalled while calls were out: only that call's resource is recorded as timed out, and every other
 * call there is still sent and answered. Counted in calls the endpoint received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLive, tenant, type LiveRun } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws, type Fault } from '../../support/fake-aws/index.js';

const A = '111111111111';
const REGION = 'us-east-1';
const BUCKETS = 24;
const TIMEOUT_MS = 1_000;
const SLOW = 'b-03';

async function collectWith(
  fault: Fault,
  over: { s3: number; maxAttempts: number; latencyMs?: number },
): Promise<[FakeAws, LiveRun]> {
  const fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [
      {
        id: A,
        buckets: Array.from({ length: BUCKETS }, (_, i) => ({
          name: `b-${String(i).padStart(2, '0')}`,
          region: REGION,
          encryption: { algorithm: 'AES256' as const },
        })),
      },
    ],
    faults: [fault],
    latencyMs: over.latencyMs ?? 0,
  });
  const run = await collectLive(fake, tenant({ id: 'kept', accounts: [{ id: A, regions: [REGION] }] }), {
    concurrency: { s3: over.s3 },
    timeoutMs: TIMEOUT_MS,
    maxAttempts: over.maxAttempts,
  });
  return [fake, run];
}

const encryptionCodes = (run: LiveRun) =>
  Object.fromEntries(
    run.evidence.buckets.map((b) => [b.name, b.encryption.outcome === 'ok' ? 'ok' : b.encryption.error.code]),
  );
const notAttempted = (run: LiveRun) =>
  run.evidence.buckets
    .flatMap((b): unknown[] => Object.values(b))
    .filter(
      (r) => typeof r === 'object' && r !== null && (r as { error?: { code?: string } }).error?.code === 'NotAttempted',
    );
const expectedCodes = (slow: string) =>
  Object.fromEntries(
    Array.from({ length: BUCKETS }, (_, i) => `b-${String(i).padStart(2, '0')}`).map((n) => [
      n,
      n === slow ? 'TimeoutError' : 'ok',
    ]),
  );

describe('a region whose one call is slower than the timeout, while it answers the others', () => {
  const ATTEMPTS = 2;
  let fake: FakeAws;
  let run: LiveRun;
  beforeAll(async () => {
    [fake, run] = await collectWith(
      {
        service: 's3',
        operation: 'GetBucketEncryption',
        bucket: SLOW,
        times: ATTEMPTS,
        action: { kind: 'latency', ms: TIMEOUT_MS * 3 },
      },
      // Every answer takes 20 ms, so the other buckets' reads are still going when the slow call gives up.
      { s3: 4, maxAttempts: ATTEMPTS, latencyMs: 20 },
    );
  }, 60_000);
  afterAll(async () => {
    await run?.cleanup();
    await fake?.close();
  });

  it('records that call as timed out and reads every other bucket: the region is not given up', () => {
    expect(encryptionCodes(run)).toEqual(expectedCodes(SLOW));
    expect(notAttempted(run)).toEqual([]);
  });

  it('sends every bucket its read, and the slow one its attempts', () => {
    const sent = fake.recorder.find((c) => c.operation === 'GetBucketEncryption');
    expect(sent).toHaveLength(BUCKETS + ATTEMPTS - 1);
    expect(sent.filter((c) => c.bucket === SLOW)).toHaveLength(ATTEMPTS);
  });
});

describe("a region whose call was out while this process's event loop stood still longer than the timeout", () => {
  let fake: FakeAws;
  let run: LiveRun;
  beforeAll(async () => {
    // One S3 call at a time and one attempt: nothing else can answer while the stalled call is out,
    // so only the stall tells the region's silence from this process's.
    [fake, run] = await collectWith(
      {
        service: 's3',
        operation: 'GetBucketEncryption',
        bucket: SLOW,
        times: 1,
        action: { kind: 'block-loop', ms: TIMEOUT_MS * 3 },
      },
      { s3: 1, maxAttempts: 1 },
    );
  }, 60_000);
  afterAll(async () => {
    await run?.cleanup();
    await fake?.close();
  });

  it('records the call out during the stall as timed out, and reads every other bucket', () => {
    expect(encryptionCodes(run)).toEqual(expectedCodes(SLOW));
    expect(notAttempted(run)).toEqual([]);
  });

  it('sends every bucket its read after the stall', () => {
    const sent = fake.recorder.find((c) => c.operation === 'GetBucketEncryption').map((c) => c.bucket);
    expect([...sent].sort()).toEqual(Object.keys(expectedCodes(SLOW)));
  });
});
