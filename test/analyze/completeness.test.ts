import { describe, expect, it } from 'vitest';
import { missingEvidence } from '../../src/analyze/completeness.js';
import type { BucketEvidence } from '../../src/evidence/bundle.js';
import { bucketEvidence, failed, ok, tenantEvidence } from '../support/evidence-builders.js';

const LIST_FILE = 'evidence/accounts/111122223333/s3/list-buckets.json';

/** A bucket whose region came from ListBuckets (no GetBucketLocation read), listed with `listed` as BucketRegion. */
function listedOnly(listed: unknown, indexRegion: string | undefined = 'eu-west-1') {
  const { location: _none, region: _r, ...rest } = bucketEvidence({ name: 'data' });
  const bucket: BucketEvidence = { ...rest, ...(indexRegion ? { region: indexRegion } : {}) };
  const ev = tenantEvidence([bucket]);
  ev.accounts[0]!.listBuckets = ok(
    's3:ListBuckets',
    { Buckets: [{ Name: 'data', ...(listed === undefined ? {} : { BucketRegion: listed }) }], Owner: { ID: 'o' } },
    LIST_FILE,
  ) as (typeof ev.accounts)[0]['listBuckets'];
  return missingEvidence(ev, new Map()).filter((m) => m.scope === 'bucket data');
}

describe('missing evidence: a bucket region read from ListBuckets', () => {
  it('is evidence enough when the list gives the bucket a region code, the one recorded', () => {
    // The builder's bucket has no inventory: that is its only missing item.
    expect(listedOnly('eu-west-1').map((m) => m.source)).toEqual(['S3 Inventory']);
  });

  it('is missing evidence when the list gives no BucketRegion and no GetBucketLocation was read', () => {
    expect(listedOnly(undefined)[0]).toEqual({
      scope: 'bucket data',
      source: 's3:ListBuckets',
      reason: `${LIST_FILE} gives no usable BucketRegion for the bucket, and s3:GetBucketLocation was not read: its region is unknown`,
    });
  });

  it.each([[''], ['EU'], ['eu west 1'], [42], [null]])('is missing evidence when BucketRegion is %j', (value) => {
    expect(listedOnly(value)[0]?.source).toBe('s3:ListBuckets');
  });

  it('is missing evidence when the evidence index records another region than the list', () => {
    expect(listedOnly('eu-west-1', 'us-east-1')[0]?.reason).toBe(
      `${LIST_FILE} gives the bucket's region as eu-west-1, but the evidence index records us-east-1`,
    );
  });

  it('is missing evidence when no account of the evidence lists the bucket', () => {
    const { location: _none, ...rest } = bucketEvidence({ name: 'data' });
    const ev = tenantEvidence([{ ...rest, account: '999999999999' }]);
    expect(missingEvidence(ev, new Map()).find((m) => m.source === 's3:ListBuckets')?.reason).toBe(
      'no s3:ListBuckets answer of account 999999999999 lists the bucket, and s3:GetBucketLocation was not read: its region is unknown',
    );
  });

  it('leaves a bucket with a GetBucketLocation record to that record: a refused one is missing, whatever the list says', () => {
    const b = {
      ...bucketEvidence({ name: 'data' }),
      location: failed('s3:GetBucketLocation', 'AccessDenied', 'access_denied'),
    };
    const items = missingEvidence(tenantEvidence([b as BucketEvidence]), new Map()).filter(
      (m) => m.scope === 'bucket data',
    );
    expect(items.map((m) => m.source)).toEqual(['s3:GetBucketLocation', 'S3 Inventory']);
  });
});
