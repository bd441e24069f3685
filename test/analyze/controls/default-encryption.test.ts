import { describe, expect, it } from 'vitest';
import { defaultEncryptionOf } from '../../../src/analyze/default-encryption.js';
import { control as enabled } from '../../../src/analyze/controls/s3-default-encryption-enabled/control.js';
import { control as matches } from '../../../src/analyze/controls/s3-default-encryption-matches-expectation/control.js';
import { bucketResult } from '../../../src/analyze/buckets.js';
import { tenantSchema } from '../../../src/config/schema.js';
import { bucketEvidence, failed, kmsRule, ok } from '../../support/evidence-builders.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab';

function judge(control: typeof enabled, encryption: ReturnType<typeof ok>, tenant: Record<string, unknown> = {}) {
  const t = tenantSchema.parse({ id: 'acme', displayName: 'ACME', accounts: [{ id: '111122223333' }], ...tenant });
  const b = bucketResult(
    bucketEvidence({ name: 'data-bucket', encryption }),
    t,
    [],
    'evidence/accounts/111122223333/s3/list-buckets.json',
  );
  return control.evaluate({ buckets: [b], keys: [] })[0]!;
}

describe('default encryption parsing', () => {
  it('aws:kms with a key id is SSE-KMS with that key and Bucket Key', () => {
    expect(defaultEncryptionOf(kmsRule('aws:kms', KEY))).toEqual({
      state: 'enabled',
      mode: 'SSE-KMS',
      algorithm: 'aws:kms',
      kmsKeyId: KEY,
      bucketKeyEnabled: true,
      extraRules: 0,
    });
  });
  it('aws:kms:dsse is DSSE-KMS', () => {
    expect(defaultEncryptionOf(kmsRule('aws:kms:dsse', KEY))).toMatchObject({ mode: 'DSSE-KMS', kmsKeyId: KEY });
  });
  it('AES256 is SSE-S3 and ignores any key id', () => {
    expect(defaultEncryptionOf(kmsRule('AES256', KEY))).toMatchObject({ mode: 'SSE-S3' });
    expect(defaultEncryptionOf(kmsRule('AES256', KEY))).not.toHaveProperty('kmsKeyId');
  });
  it('aws:kms without a key id means the AWS-managed aws/s3 key (no kmsKeyId)', () => {
    expect(defaultEncryptionOf(kmsRule('aws:kms'))).not.toHaveProperty('kmsKeyId');
  });
  it('only the first of several rules applies; the rest are counted', () => {
    expect(defaultEncryptionOf(kmsRule('aws:kms', KEY, 2))).toMatchObject({ mode: 'SSE-KMS', extraRules: 2 });
  });
  it('ServerSideEncryptionConfigurationNotFoundError is "not configured"', () => {
    expect(
      defaultEncryptionOf(
        failed('s3:GetBucketEncryption', 'ServerSideEncryptionConfigurationNotFoundError', 'not_configured'),
      ),
    ).toEqual({ state: 'not_configured' });
  });
  it('AccessDenied is unreadable, never "not encrypted"', () => {
    expect(defaultEncryptionOf(failed('s3:GetBucketEncryption', 'AccessDenied', 'access_denied'))).toMatchObject({
      state: 'unreadable',
      errorCode: 'AccessDenied',
    });
  });
});

describe('s3-default-encryption-enabled', () => {
  it('passes: aws:kms', () => expect(judge(enabled, kmsRule('aws:kms', KEY)).verdict).toBe('pass'));
  it('passes: aws:kms:dsse', () => expect(judge(enabled, kmsRule('aws:kms:dsse', KEY)).verdict).toBe('pass'));
  it('passes: AES256', () => expect(judge(enabled, kmsRule('AES256')).verdict).toBe('pass'));
  it('passes: aws:kms with no key id (AWS-managed key named in the reason)', () => {
    const j = judge(enabled, kmsRule('aws:kms'));
    expect(j.verdict).toBe('pass');
    expect(j.reason).toContain('aws/s3');
  });
  it('fails: no configuration', () => {
    expect(
      judge(
        enabled,
        failed('s3:GetBucketEncryption', 'ServerSideEncryptionConfigurationNotFoundError', 'not_configured'),
      ).verdict,
    ).toBe('fail');
  });
  it('not evaluated: access denied, with the code as reason and the evidence file', () => {
    const j = judge(
      enabled,
      failed('s3:GetBucketEncryption', 'AccessDenied', 'access_denied', 'evidence/x/get-bucket-encryption.json'),
    );
    expect(j).toMatchObject({
      verdict: 'not_evaluated',
      reason: 'GetBucketEncryption failed: AccessDenied',
      evidence: ['evidence/x/get-bucket-encryption.json'],
    });
  });
});

describe('s3-default-encryption-matches-expectation', () => {
  const expect_ = (requiredMode: string, allowedKmsKeys: string[] = []) => ({
    expectations: [{ buckets: 'data-*', requiredMode, allowedKmsKeys }],
  });
  it('passes: no expectation accepts any mode', () => expect(judge(matches, kmsRule('AES256')).verdict).toBe('pass'));
  it('fails: SSE-S3 where SSE-KMS is required', () => {
    const j = judge(matches, kmsRule('AES256'), expect_('SSE-KMS'));
    expect(j.verdict).toBe('fail');
    expect(j.reason).toBe('default encryption is SSE-S3; expectation "data-*" requires at least SSE-KMS');
  });
  it('passes: DSSE-KMS satisfies an SSE-KMS requirement', () =>
    expect(judge(matches, kmsRule('aws:kms:dsse', KEY), expect_('SSE-KMS')).verdict).toBe('pass'));
  it('fails: SSE-KMS where DSSE-KMS is required', () =>
    expect(judge(matches, kmsRule('aws:kms', KEY), expect_('DSSE-KMS')).verdict).toBe('fail'));
  it('passes: the key is in the allowed list', () =>
    expect(judge(matches, kmsRule('aws:kms', KEY), expect_('SSE-KMS', [KEY])).verdict).toBe('pass'));
  it('fails: the key is not in the allowed list', () =>
    expect(judge(matches, kmsRule('aws:kms', OTHER_KEY), expect_('SSE-KMS', [KEY])).verdict).toBe('fail'));
  it('fails: no key id means aws/s3, never an allowed key', () =>
    expect(judge(matches, kmsRule('aws:kms'), expect_('SSE-KMS', [KEY])).verdict).toBe('fail'));
  it('not evaluated: a bare key id that DescribeKey could not resolve', () => {
    expect(
      judge(matches, kmsRule('aws:kms', '1234abcd-12ab-34cd-56ef-1234567890ab'), expect_('SSE-KMS', [KEY])).verdict,
    ).toBe('not_evaluated');
  });
  it('not evaluated: access denied', () => {
    expect(
      judge(matches, failed('s3:GetBucketEncryption', 'AccessDenied', 'access_denied'), expect_('SSE-KMS')).verdict,
    ).toBe('not_evaluated');
  });
  it('fails: no configuration at all', () => {
    expect(
      judge(
        matches,
        failed('s3:GetBucketEncryption', 'ServerSideEncryptionConfigurationNotFoundError', 'not_configured'),
        expect_('SSE-S3'),
      ).verdict,
    ).toBe('fail');
  });
});
