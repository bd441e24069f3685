import { describe, expect, it } from 'vitest';
import { buildPacket } from '../../src/analyze/build-packet.js';
import { loadCatalog } from '../../src/analyze/catalog.js';
import { scopeByType } from '../../src/analyze/scope.js';
import type { BucketResult } from '../../src/model/packet.js';
import { loadWording } from '../../src/wording/wording.js';
import { bucketEvidence, failed, ok, tenantEvidence } from '../support/evidence-builders.js';

const directoryListing = (region: string, names: string[]) => ({
  ...ok('s3express:ListDirectoryBuckets', { Buckets: names.map((Name) => ({ Name, BucketRegion: region })) }),
  region,
});
const gp = (name: string) => ({ name }) as BucketResult;
const dir = (name: string) => ({ name, type: 'directory' }) as BucketResult;

describe('scopeByType', () => {
  it('counts general purpose buckets from ListBuckets; a type never listed reads "not_read", not zero', () => {
    const ev = tenantEvidence([bucketEvidence({ name: 'a' }), bucketEvidence({ name: 'b' })]);
    ev.excludedBuckets = [{ name: 'c', account: '111122223333', reason: 'excluded by name' }];
    const types = scopeByType(ev, [gp('a'), gp('b')]);
    expect(types).toEqual([
      { type: 'general_purpose', state: 'listed', inScope: 2, excluded: 1, undetermined: 0, unlisted: [] },
      { type: 'directory', state: 'not_read', inScope: 0, excluded: 0, undetermined: 0, unlisted: [] },
      { type: 'table', state: 'not_read', inScope: 0, excluded: 0, undetermined: 0, unlisted: [] },
    ]);
  });

  it('directory buckets listed in every region count per type, excluded ones by their own type', () => {
    const ev = tenantEvidence([bucketEvidence({ name: 'a' })]);
    ev.accounts[0]!.directoryBuckets = [
      directoryListing('eu-west-1', ['d1--euw1-az1--x-s3', 'd2--euw1-az1--x-s3']),
      directoryListing('us-east-1', []),
    ];
    ev.excludedBuckets = [
      { name: 'd2--euw1-az1--x-s3', account: '111122223333', reason: 'excluded by name', type: 'directory' },
    ];
    const [general, directory] = scopeByType(ev, [gp('a'), dir('d1--euw1-az1--x-s3')]);
    expect(general).toMatchObject({ state: 'listed', inScope: 1, excluded: 0 });
    expect(directory).toEqual({
      type: 'directory',
      state: 'listed',
      inScope: 1,
      excluded: 1,
      undetermined: 0,
      unlisted: [],
    });
  });

  it('a refused region makes the type "unlisted" and names where and why; the other region still counts', () => {
    const ev = tenantEvidence([]);
    ev.accounts[0]!.directoryBuckets = [
      directoryListing('eu-west-1', ['d1--euw1-az1--x-s3']),
      { ...failed('s3express:ListDirectoryBuckets', 'AccessDenied', 'access_denied'), region: 'us-east-1' },
    ];
    const directory = scopeByType(ev, [dir('d1--euw1-az1--x-s3')])[1];
    expect(directory).toEqual({
      type: 'directory',
      state: 'unlisted',
      inScope: 1,
      excluded: 0,
      undetermined: 0,
      unlisted: [
        {
          where: 'account 111122223333 us-east-1',
          source: 's3express:ListDirectoryBuckets',
          reason: 'AccessDenied: AccessDenied',
        },
      ],
    });
  });

  it('a failed ListBuckets leaves general purpose buckets unlisted for that account', () => {
    const ev = tenantEvidence([]);
    ev.accounts[0]!.listBuckets = failed('s3:ListBuckets', 'AccessDenied', 'access_denied');
    expect(scopeByType(ev, [])[0]).toMatchObject({
      type: 'general_purpose',
      state: 'unlisted',
      inScope: 0,
      unlisted: [{ where: 'account 111122223333', source: 's3:ListBuckets' }],
    });
  });
});

describe('buildPacket: a bucket type that could not be listed', () => {
  it('makes the packet incomplete and names the region and the reason', () => {
    const ev = tenantEvidence([]);
    ev.accounts[0]!.directoryBuckets = [
      {
        ...failed('s3express:ListDirectoryBuckets', 'UnsupportedRegion', 'error'),
        region: 'ap-south-2',
      },
    ];
    const p = buildPacket({
      evidence: ev,
      logs: { accessLogs: null, cloudTrail: null },
      governance: null,
      catalog: loadCatalog(),
      wording: loadWording(),
    });
    expect(p.completeness.complete).toBe(false);
    expect(p.completeness.missing).toContainEqual({
      scope: 'account 111122223333 ap-south-2',
      source: 's3express:ListDirectoryBuckets',
      reason: 'UnsupportedRegion: UnsupportedRegion',
    });
    expect(p.scope?.types[1]).toMatchObject({ type: 'directory', state: 'unlisted' });
  });
});
