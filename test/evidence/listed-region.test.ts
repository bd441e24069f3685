import { describe, expect, it } from 'vitest';
import { listedBucketRegions } from '../../src/evidence/listed-region.js';
import type { EvidenceRecord } from '../../src/evidence/record.js';
import type { ListBucketsOutput } from '../../src/evidence/aws-shapes.js';

const list = (Buckets: unknown[]): EvidenceRecord<ListBucketsOutput> => ({
  operation: 's3:ListBuckets',
  parameters: {},
  account: '111122223333',
  region: 'us-east-1',
  collectedAt: '2026-11-01T06:00:00Z',
  source: 'live',
  outcome: 'ok',
  response: { Buckets: Buckets as ListBucketsOutput['Buckets'] },
});

describe('listedBucketRegions', () => {
  it('gives each bucket the region code ListBuckets named', () => {
    const regions = listedBucketRegions(
      list([
        { Name: 'a', BucketRegion: 'eu-west-1' },
        { Name: 'b', BucketRegion: 'us-gov-west-1' },
        { Name: 'c', BucketRegion: 'ap-southeast-2' },
      ]),
    );
    expect([...regions]).toEqual([
      ['a', 'eu-west-1'],
      ['b', 'us-gov-west-1'],
      ['c', 'ap-southeast-2'],
    ]);
  });

  it('leaves out a bucket without a usable region: absent, empty, "EU", garbled, not a string', () => {
    const regions = listedBucketRegions(
      list([
        { Name: 'none' },
        { Name: 'empty', BucketRegion: '' },
        { Name: 'eu', BucketRegion: 'EU' },
        { Name: 'garbled', BucketRegion: '../eu-west-1' },
        { Name: 'number', BucketRegion: 1 },
        { Name: 'good', BucketRegion: 'eu-west-1' },
      ]),
    );
    expect([...regions.keys()]).toEqual(['good']);
  });

  it('leaves out a bucket listed twice with two regions, keeps one listed twice alike', () => {
    const regions = listedBucketRegions(
      list([
        { Name: 'twice', BucketRegion: 'eu-west-1' },
        { Name: 'twice', BucketRegion: 'us-east-1' },
        { Name: 'twice', BucketRegion: 'eu-west-1' },
        { Name: 'same', BucketRegion: 'eu-west-1' },
        { Name: 'same', BucketRegion: 'eu-west-1' },
      ]),
    );
    expect([...regions]).toEqual([['same', 'eu-west-1']]);
  });

  it('gives none for a failed list', () => {
    const refused: EvidenceRecord<ListBucketsOutput> = {
      ...list([]),
      outcome: 'access_denied',
      error: { code: 'AccessDenied', message: 'Access Denied' },
    };
    expect(listedBucketRegions(refused).size).toBe(0);
  });
});
