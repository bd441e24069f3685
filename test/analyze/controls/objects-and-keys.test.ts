import { describe, expect, it } from 'vitest';
import { bucketResult } from '../../../src/analyze/buckets.js';
import { keyResult } from '../../../src/analyze/keys.js';
import { control as objects } from '../../../src/analyze/controls/s3-objects-encrypted/control.js';
import { control as rotate } from '../../../src/analyze/controls/kms-customer-keys-rotate/control.js';
import { control as sse } from '../../../src/analyze/controls/s3-policy-denies-unencrypted-uploads/control.js';
import { control as tls } from '../../../src/analyze/controls/s3-policy-denies-insecure-transport/control.js';
import { tenantSchema } from '../../../src/config/schema.js';
import type { KeyEvidence } from '../../../src/evidence/bundle.js';
import { bucketEvidence, failed, measuredInventory, ok } from '../../support/evidence-builders.js';
import type { InventoryEvidence } from '../../../src/evidence/inventory.js';

const tenant = tenantSchema.parse({ id: 'acme', displayName: 'ACME', accounts: [{ id: '111122223333' }] });
const bucket = (spec: Parameters<typeof bucketEvidence>[0]) =>
  bucketResult(bucketEvidence(spec), tenant, [], 'evidence/accounts/111122223333/s3/list-buckets.json');

describe('s3-objects-encrypted', () => {
  const run = (inventory: InventoryEvidence) =>
    objects.evaluate({ buckets: [bucket({ name: 'b', inventory })], keys: [] })[0]!;
  it('passes: every object encrypted', () =>
    expect(run(measuredInventory('b', { 'SSE-KMS': [5, 50] })).verdict).toBe('pass'));
  it('fails: 3 NOT-SSE objects, with counts and the export file as evidence', () => {
    const j = run(measuredInventory('b', { 'SSE-S3': [7, 70], 'NOT-SSE': [3, 30] }));
    expect(j.verdict).toBe('fail');
    expect(j.facts).toMatchObject({ objects: 3, bytes: 30, total: 10 });
    expect(j.evidence).toContain('evidence/accounts/111122223333/s3/b/unencrypted-objects.csv');
  });
  it('not evaluated: no inventory (never 100 %)', () =>
    expect(run({ bucket: 'b', status: 'missing', reason: 'none' }).verdict).toBe('not_evaluated'));
  it('not evaluated: unverified report', () =>
    expect(run({ bucket: 'b', status: 'unverified', reason: 'MD5 mismatch', problems: [] }).verdict).toBe(
      'not_evaluated',
    ));
  it('not evaluated: rows without EncryptionStatus', () => {
    const inv = measuredInventory('b', { 'SSE-S3': [5, 5] });
    if (inv.status === 'ok') inv.unknownStatus = { objects: 2, bytes: 2 };
    expect(run(inv).verdict).toBe('not_evaluated');
  });
  it('not applicable: empty bucket', () => expect(run(measuredInventory('b', {})).verdict).toBe('not_applicable'));
});

describe('policy enforcement controls', () => {
  const denyAll = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyNoSse',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
      },
      {
        Sid: 'DenyHttp',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
  it('passes both with the classic statements, naming them', () => {
    const b = bucket({ name: 'b', policy: denyAll });
    expect(sse.evaluate({ buckets: [b], keys: [] })[0]).toMatchObject({
      verdict: 'pass',
      facts: { statements: 'DenyNoSse' },
    });
    expect(tls.evaluate({ buckets: [b], keys: [] })[0]).toMatchObject({
      verdict: 'pass',
      facts: { statements: 'DenyHttp' },
    });
  });
  it('fails both without a bucket policy', () => {
    const b = bucket({ name: 'b' });
    expect(sse.evaluate({ buckets: [b], keys: [] })[0]!.verdict).toBe('fail');
    expect(tls.evaluate({ buckets: [b], keys: [] })[0]!.reason).toBe('the bucket has no bucket policy');
  });
  it('not evaluated when GetBucketPolicy is denied', () => {
    const b = bucket({ name: 'b', policy: failed('s3:GetBucketPolicy', 'AccessDenied', 'access_denied') });
    expect(sse.evaluate({ buckets: [b], keys: [] })[0]!.verdict).toBe('not_evaluated');
  });
  it('not evaluated when the policy is not JSON', () => {
    const b = bucket({ name: 'b', policy: ok('s3:GetBucketPolicy', { Policy: '{"Statement": [' }) });
    expect(b.policyState).toBe('unparsable');
    expect(tls.evaluate({ buckets: [b], keys: [] })[0]!.verdict).toBe('not_evaluated');
  });
});

describe('kms-customer-keys-rotate', () => {
  const meta = (manager: string) =>
    ok('kms:DescribeKey', {
      KeyMetadata: {
        KeyId: 'k1',
        Arn: 'arn:aws:kms:eu-west-1:111122223333:key/k1',
        KeyManager: manager,
        KeyState: 'Enabled',
      },
    });
  const key = (over: Partial<KeyEvidence>): KeyEvidence => ({
    reference: 'arn:aws:kms:eu-west-1:111122223333:key/k1',
    referencedBy: ['b'],
    account: '111122223333',
    region: 'eu-west-1',
    describe: meta('CUSTOMER'),
    ...over,
  });
  const run = (k: KeyEvidence) => rotate.evaluate({ buckets: [], keys: [keyResult(k, [])] })[0]!;
  it('passes: rotation on, with its period', () => {
    const j = run(
      key({ rotation: ok('kms:GetKeyRotationStatus', { KeyRotationEnabled: true, RotationPeriodInDays: 180 }) }),
    );
    expect(j).toMatchObject({ verdict: 'pass', reason: 'automatic rotation on, every 180 days' });
  });
  it('fails: rotation off', () =>
    expect(run(key({ rotation: ok('kms:GetKeyRotationStatus', { KeyRotationEnabled: false }) })).verdict).toBe('fail'));
  it('not applicable: AWS-managed key', () =>
    expect(run(key({ describe: meta('AWS') })).verdict).toBe('not_applicable'));
  it('not evaluated: DescribeKey denied (key in another account)', () => {
    const j = run(key({ describe: failed('kms:DescribeKey', 'AccessDeniedException', 'access_denied') }));
    expect(j).toMatchObject({ verdict: 'not_evaluated', reason: 'key unreadable (AccessDeniedException)' });
  });
  it('not evaluated: rotation status denied', () => {
    expect(
      run(key({ rotation: failed('kms:GetKeyRotationStatus', 'AccessDeniedException', 'access_denied') })).verdict,
    ).toBe('not_evaluated');
  });
});
