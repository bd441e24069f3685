import { describe, expect, it } from 'vitest';
import { identifierProblem, isBucketName, isKmsKeyReference, isRegion } from '../../src/evidence/aws-identifiers.js';

describe('AWS identifier formats', () => {
  it('bucket names: the documented rules, legacy us-east-1 names, never a path', () => {
    for (const ok of [
      'acme-prod-data',
      'a.b.c',
      'abc',
      'x'.repeat(63),
      'my-bucket--usw2-az1--x-s3',
      'Legacy_Bucket.Name',
    ])
      expect(isBucketName(ok), ok).toBe(true);
    for (const bad of [
      '..',
      '.',
      '',
      'ab',
      '../etc',
      'a/b',
      'a..b',
      '-abc',
      'abc-',
      'x'.repeat(256),
      'a\u0000b',
      'bucket ',
    ])
      expect(isBucketName(bad), bad).toBe(false);
  });

  it('regions', () => {
    for (const ok of ['eu-west-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5', 'us-isob-east-1'])
      expect(isRegion(ok), ok).toBe(true);
    for (const bad of ['..', 'eu-west', 'EU', '../../x', 'eu-west-1/..', '']) expect(isRegion(bad), bad).toBe(false);
  });

  it('KMS key references: key id, multi-Region id, key ARN, alias name, alias ARN', () => {
    for (const ok of [
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      'mrk-1234567890abcdef1234567890abcdef',
      'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234567890abcdef1234567890abcdef',
      'alias/aws/s3',
      'alias/acme/app_key-1',
      'arn:aws:kms:eu-west-1:111122223333:alias/acme-app',
    ])
      expect(isKmsKeyReference(ok), ok).toBe(true);
    for (const bad of [
      'key/../../../../outside',
      '../../../../outside',
      'arn:aws:kms:eu-west-1:111122223333:key/../../outside',
      'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab/../x',
      'alias/../../x',
      'alias/',
      'k-1',
      '',
    ])
      expect(isKmsKeyReference(bad), bad).toBe(false);
  });

  it('says what was found and what was expected, quoted', () => {
    expect(identifierProblem('kmsKey', 'key/../../../../outside')).toBe(
      '"key/../../../../outside" is not a KMS key id (UUID or mrk-…), key ARN, alias name (alias/…) or alias ARN',
    );
    expect(identifierProblem('bucket', null)).toBe(
      'a null is not an S3 bucket name (3-63 characters of a-z, 0-9, "." and "-"; legacy us-east-1 names up to 255 with A-Z and "_")',
    );
    expect(identifierProblem('region', 'eu-west-1')).toBeUndefined();
    expect(identifierProblem('bucket', 'line\nbreak')).toContain('"line\\nbreak"');
  });
});
