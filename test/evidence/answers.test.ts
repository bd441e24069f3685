import { describe, expect, it } from 'vitest';
import {
  AWS_ANSWER_SHAPES,
  INVENTORY_MANIFEST,
  readAnswer,
  readStoredRecord,
  shapeProblem,
  UNREADABLE,
} from '../../src/evidence/answers.js';
import type { FiledRecord } from '../../src/evidence/record.js';
import { IAM_ACTION } from '../../src/collect/source.js';

const FILE = 'evidence/accounts/111122223333/s3/b/answer.json';

function ok(operation: string, response: unknown): FiledRecord {
  return {
    operation,
    parameters: {},
    account: '111122223333',
    region: 'us-east-1',
    collectedAt: '2026-11-01T00:00:00Z',
    source: 'offline',
    outcome: 'ok',
    response,
    file: FILE,
  };
}

/** The message of the record readAnswer makes of `response`, or 'fits' when it passes unchanged. */
function verdict(operation: string, response: unknown): string {
  const rec = readAnswer(ok(operation, response));
  if (rec.outcome === 'ok') return 'fits';
  expect(rec.error.code).toBe(UNREADABLE);
  expect('response' in rec).toBe(false);
  return rec.error.message;
}

describe('every AWS answer is read against its documented shape', () => {
  it('has a shape for every S3 and KMS operation the collectors call', () => {
    const called = Object.keys(IAM_ACTION).filter((op) => !['ListObjectsV2', 'GetObject'].includes(op));
    for (const op of called) {
      const service = IAM_ACTION[op as keyof typeof IAM_ACTION].split(':')[0];
      expect(AWS_ANSWER_SHAPES[`${service}:${op}`], `${service}:${op}`).toBeDefined();
    }
  });

  it.each([
    ['s3:GetBucketTagging', { TagSet: [{ Key: 'tenant', Value: 'acme' }] }],
    ['s3:GetBucketLocation', { LocationConstraint: null }],
    ['s3:GetBucketLocation', { LocationConstraint: 'EU' }],
    ['s3:GetBucketLocation', { LocationConstraint: 'us-gov-west-1' }],
    [
      's3:GetBucketEncryption',
      {
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' },
              BucketKeyEnabled: true,
            },
          ],
        },
      },
    ],
    ['s3:GetBucketLogging', {}],
    ['s3:GetBucketVersioning', {}],
    ['kms:GetKeyRotationStatus', { KeyRotationEnabled: false }],
    ['kms:GetKeyPolicy', { Policy: '{"Version":"2012-10-17","Statement":[]}', PolicyName: 'default' }],
    ['kms:DescribeKey', { KeyMetadata: { KeyId: 'k', KeyManager: 'CUSTOMER', KeyState: 'Enabled' } }],
    ['config:DescribeConfigurationRecorders', { ConfigurationRecorders: [] }],
    ['s3:ListBuckets', { Buckets: [], Owner: { ID: 'owner-1' } }],
    ['sts:GetCallerIdentity', { UserId: 'AIDAX', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/a' }],
    [
      'sts:AssumeRole',
      {
        Credentials: {
          AccessKeyId: 'ASIA1',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: '2026-11-01T01:00:00.000Z',
        },
        AssumedRoleUser: { AssumedRoleId: 'AROA:x', Arn: 'arn:aws:sts::1:assumed-role/r/x' },
      },
    ],
  ])('%s accepts %j', (op, response) => {
    expect(verdict(op, response)).toBe('fits');
  });

  it.each([
    ['s3:GetBucketTagging', {}, 'TagSet: expected array, got nothing'],
    ['s3:GetBucketTagging', [], '(the whole answer): expected object, got an empty array'],
    ['s3:GetBucketTagging', { TagSet: 'x' }, 'TagSet: expected array, got a string'],
    ['s3:GetBucketTagging', null, '(the whole answer): expected object, got null'],
    ['s3:GetBucketTagging', { TagSet: [{ Key: 'tenant' }] }, 'TagSet[0].Value: expected string, got nothing'],
    ['s3:GetBucketEncryption', {}, 'ServerSideEncryptionConfiguration: expected object, got nothing'],
    [
      's3:GetBucketEncryption',
      { ServerSideEncryptionConfiguration: { Rules: [] } },
      'ServerSideEncryptionConfiguration.Rules: expected at least one rule, got an empty array',
    ],
    ['s3:GetBucketPolicy', { Policy: 5 }, 'Policy: expected string, got a number'],
    ['s3:GetBucketPolicy', { Policy: '' }, 'Policy: expected a non-empty string, got an empty string'],
    ['s3:GetBucketLocation', {}, 'LocationConstraint: expected null (us-east-1), "EU" or a region code, got nothing'],
    [
      's3:GetBucketLocation',
      { LocationConstraint: 'wrong-shape' },
      'LocationConstraint: expected null (us-east-1), "EU" or a region code, got a string',
    ],
    [
      's3:GetPublicAccessBlock',
      { PublicAccessBlockConfiguration: { BlockPublicAcls: true } },
      'PublicAccessBlockConfiguration.IgnorePublicAcls: expected boolean, got nothing',
    ],
    ['kms:GetKeyRotationStatus', [], '(the whole answer): expected object, got an empty array'],
    ['kms:GetKeyRotationStatus', { KeyRotationEnabled: 'true' }, 'KeyRotationEnabled: expected boolean, got a string'],
    ['kms:GetKeyPolicy', { Policy: '' }, 'Policy: expected a non-empty string, got an empty string'],
    [
      'kms:GetKeyPolicy',
      { Policy: '{"Statement": [' },
      'Policy: expected a JSON policy document (an object) as a string, got a string',
    ],
    ['kms:DescribeKey', { KeyMetadata: { KeyId: 'k', KeyManager: 'SOMEONE' } }, 'KeyMetadata.KeyManager:'],
    ['kms:ListAliases', { Aliases: null }, 'Aliases: expected array, got null'],
    ['s3:ListBuckets', { Buckets: [{ Name: 7 }] }, 'Buckets[0].Name: expected string, got a number'],
    [
      'config:GetResourceConfigHistory',
      { configurationItems: {} },
      'configurationItems: expected array, got an empty object',
    ],
    [
      'config:GetResourceConfigHistory',
      { configurationItems: 'wrong-shape' },
      'configurationItems: expected array, got a string',
    ],
    // What the SDK makes of XML whose elements hold text instead of their content.
    [
      's3:GetBucketTagging',
      { TagSet: [] },
      'TagSet: expected at least one tag (S3 answers NoSuchTagSet for a bucket without tags), got an empty array',
    ],
    ['s3:ListBuckets', { Buckets: [], Owner: {} }, 'Owner.ID: expected string, got nothing'],
    ['s3:ListBuckets', { Buckets: [] }, 'Owner: expected object, got nothing'],
    ['sts:GetCallerIdentity', {}, 'Account: expected string, got nothing'],
    [
      'sts:GetCallerIdentity',
      { Account: '', Arn: 'arn' },
      'Account: expected a 12-digit account id, got an empty string',
    ],
    ['sts:AssumeRole', { AssumedRoleUser: {} }, 'Credentials: expected object, got nothing'],
  ])('%s rejects %j, naming the file and field', (op, response, problem) => {
    const message = verdict(op, response);
    expect(message.startsWith(`${FILE}: ${op} answer does not have the documented shape: `)).toBe(true);
    expect(message).toContain(problem);
  });

  it('passes refusals through unchanged', () => {
    const denied: FiledRecord = {
      ...ok('s3:GetBucketPolicy', undefined),
      outcome: 'access_denied',
      error: { code: 'AccessDenied', message: 'no' },
    };
    delete (denied as { response?: unknown }).response;
    expect(readAnswer(denied)).toBe(denied);
  });

  it('treats an answer of an operation with no known shape as unreadable', () => {
    expect(verdict('s3:GetBucketAcl', {})).toContain('no documented shape is known for s3:GetBucketAcl');
  });

  it('refuses a stored file that is not an evidence record', () => {
    expect(readStoredRecord(null, FILE)).toEqual({
      problem: `${FILE}: not an evidence record: (the whole answer): expected object, got null`,
    });
    expect(readStoredRecord({ outcome: 'ok' }, FILE)).toMatchObject({
      problem: expect.stringContaining('operation: expected string, got nothing'),
    });
  });

  it('an inventory manifest lists at least one data file', () => {
    const manifest = { sourceBucket: 'b', fileFormat: 'CSV', fileSchema: 'Bucket, Key', files: [] };
    expect(shapeProblem(INVENTORY_MANIFEST, manifest)).toBe(
      'files: expected at least one data file, got an empty array',
    );
  });
});

describe('directory bucket answers (s3express)', () => {
  it('ListDirectoryBuckets: the list is always sent (an answer without it is unreadable); a name must end --x-s3', () => {
    expect(verdict('s3express:ListDirectoryBuckets', { Buckets: [] })).toBe('fits');
    expect(verdict('s3express:ListDirectoryBuckets', {})).toContain('Buckets: expected array');
    expect(
      verdict('s3express:ListDirectoryBuckets', {
        Buckets: [{ Name: 'trades--use1-az4--x-s3', BucketRegion: 'us-east-1', CreationDate: '2026-01-02T00:00:00Z' }],
      }),
    ).toBe('fits');
    expect(verdict('s3express:ListDirectoryBuckets', { Buckets: [{ Name: 'plain-bucket' }] })).toBe(
      `${FILE}: s3express:ListDirectoryBuckets answer does not have the documented shape: Buckets[0].Name: expected a directory bucket name (ending --x-s3), got a string`,
    );
    expect(verdict('s3express:ListDirectoryBuckets', { Buckets: {} })).toContain(
      'Buckets: expected array, got an empty object',
    );
  });

  it('GetBucketEncryption: only AES256 and aws:kms are directory-bucket encryption', () => {
    const rule = (SSEAlgorithm: string) => ({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm } }] },
    });
    expect(verdict('s3express:GetBucketEncryption', rule('aws:kms'))).toBe('fits');
    expect(verdict('s3express:GetBucketEncryption', rule('AES256'))).toBe('fits');
    expect(verdict('s3express:GetBucketEncryption', rule('aws:kms:dsse'))).toContain(
      'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm: expected AES256 or aws:kms',
    );
    expect(verdict('s3express:GetBucketEncryption', {})).toContain(
      'ServerSideEncryptionConfiguration: expected object, got nothing',
    );
  });
});
