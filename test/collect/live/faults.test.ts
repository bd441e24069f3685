/** Throttling bursts slow a run down without failing it; a call that never answers is recorded as a timeout. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailedRecord } from '../../../src/evidence/record.js';
import { collectLive, tenant, type LiveRun } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';

const A = '111111111111';
const MAX_ATTEMPTS = 3;
const TIMEOUT_MS = 250;

let fake: FakeAws;
let run: LiveRun;

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [
      {
        id: A,
        buckets: [
          {
            name: 'throttled',
            region: 'eu-west-1',
            encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:eu-west-1:${A}:key/k-thr` },
          },
          { name: 'throttled-long', region: 'eu-west-1', encryption: { algorithm: 'AES256' } },
          {
            name: 'hanging',
            region: 'us-east-1',
            encryption: { algorithm: 'AES256' },
            policy: '{"Version":"2012-10-17","Statement":[]}',
          },
        ],
        keys: [{ id: 'k-thr', region: 'eu-west-1' }],
      },
    ],
    faults: [
      {
        service: 's3',
        operation: 'GetBucketEncryption',
        bucket: 'throttled',
        times: MAX_ATTEMPTS - 1,
        action: { kind: 'throttle' },
      },
      {
        service: 's3',
        operation: 'GetBucketEncryption',
        bucket: 'throttled-long',
        times: MAX_ATTEMPTS + 5,
        action: { kind: 'throttle' },
      },
      { service: 'kms', operation: 'DescribeKey', key: 'k-thr', times: MAX_ATTEMPTS - 1, action: { kind: 'throttle' } },
      { service: 's3', operation: 'GetBucketPolicy', bucket: 'hanging', action: { kind: 'hang' } },
    ],
  });
  // No roleArn: the caller's own account is read with the caller's credentials.
  run = await collectLive(fake, tenant({ id: 'solo', accounts: [{ id: A }] }), {
    maxAttempts: MAX_ATTEMPTS,
    timeoutMs: TIMEOUT_MS,
  });
}, 30_000);
afterAll(async () => {
  await run?.cleanup();
  await fake?.close();
});

const bucket = (name: string) => run.evidence.buckets.find((b) => b.name === name)!;
const sent = (op: string, bucketName?: string, key?: string) =>
  fake.recorder.find(
    (c) => c.operation === op && (!bucketName || c.bucket === bucketName) && (!key || (c.key ?? '').includes(key)),
  );

describe('throttling', () => {
  it('a 503 SlowDown burst shorter than the attempt budget succeeds after retries', () => {
    const attempts = sent('GetBucketEncryption', 'throttled');
    expect(attempts.map((c) => c.status)).toEqual([503, 503, 200]);
    const enc = bucket('throttled').encryption;
    expect(enc.outcome).toBe('ok');
    expect(enc.requestId).toBe(attempts[2]!.requestId);
  });

  it('a KMS ThrottlingException burst succeeds after retries', () => {
    expect(sent('DescribeKey', undefined, 'k-thr').map((c) => c.status)).toEqual([400, 400, 200]);
    expect(run.evidence.keys[0]!.describe.outcome).toBe('ok');
  });

  it('attempts are bounded: a longer burst is recorded as SlowDown with status and request id', () => {
    const attempts = sent('GetBucketEncryption', 'throttled-long');
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    const enc = bucket('throttled-long').encryption as FailedRecord;
    expect(enc.outcome).toBe('error');
    expect(enc.error).toEqual({ code: 'SlowDown', message: 'Please reduce your request rate.', httpStatus: 503 });
    expect(enc.requestId).toBe(attempts[MAX_ATTEMPTS - 1]!.requestId);
    expect(bucket('throttled-long').policy.outcome).toBe('not_configured');
  });
});

describe('timeouts', () => {
  it('a call that never answers is recorded as outcome error, code TimeoutError, after the bounded attempts', () => {
    const attempts = sent('GetBucketPolicy', 'hanging');
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    expect(attempts.every((c) => c.status === undefined)).toBe(true);
    const policy = bucket('hanging').policy as FailedRecord;
    expect(policy.outcome).toBe('error');
    expect(policy.error.code).toBe('TimeoutError');
    expect(policy.error.message).toMatch(/250 ms/);
    expect(policy.requestId).toBeUndefined();
  });

  it('the rest of the bucket is read regardless', () => {
    expect(bucket('hanging').encryption.outcome).toBe('ok');
    expect(bucket('hanging').publicAccessBlock.outcome).toBe('not_configured');
  });
});
