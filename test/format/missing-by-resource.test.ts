import { describe, expect, it } from 'vitest';
import { missingByResource } from '../../src/format/missing-by-resource.js';

describe('missingByResource', () => {
  it('gives one entry per resource in first-seen order, each source and short reason once', () => {
    const groups = missingByResource([
      { scope: 'bucket b', source: 's3:GetBucketEncryption', reason: 'AccessDenied: User is not authorized' },
      { scope: 'bucket a', source: 'S3 Inventory', reason: 'no S3 Inventory report for bucket a (looked in /x/y)' },
      { scope: 'bucket b', source: 's3:GetBucketPolicy', reason: 'AccessDenied: User is not authorized' },
      { scope: 'bucket b', source: 's3:GetBucketEncryption', reason: 'ThrottlingException: Rate exceeded' },
    ]);
    expect(groups).toEqual([
      {
        scope: 'bucket b',
        sources: ['s3:GetBucketEncryption', 's3:GetBucketPolicy'],
        reasons: ['AccessDenied', 'ThrottlingException'],
      },
      { scope: 'bucket a', sources: ['S3 Inventory'], reasons: ['no S3 Inventory report for bucket a'] },
    ]);
  });

  it('cuts a long first clause at 60 characters and gives nothing for nothing', () => {
    const long = 'x'.repeat(80);
    expect(missingByResource([{ scope: 's', source: 'src', reason: long }])[0]!.reasons).toEqual([
      `${'x'.repeat(57)}...`,
    ]);
    expect(missingByResource([])).toEqual([]);
  });
});
