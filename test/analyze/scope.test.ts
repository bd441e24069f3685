import { describe, expect, it } from 'vitest';
import { buildPacket } from '../../src/analyze/build-packet.js';
import { loadCatalog } from '../../src/analyze/catalog.js';
import { scopeByType } from '../../src/analyze/scope.js';
import type { DirectoryBucketRegionEvidence } from '../../src/evidence/directory-buckets.js';
import type { FiledRecord } from '../../src/evidence/record.js';
import type { TableBucketRegionEvidence } from '../../src/evidence/table-buckets.js';
import { loadWording } from '../../src/wording/wording.js';
import { bucketEvidence, failed, ok, tenantEvidence } from '../support/evidence-builders.js';

const A = '111122223333';
/** A region of a regional bucket type: its list record, the buckets read there, the ones left out by name. */
const region = (name: string, list: FiledRecord, read: string[], excluded: string[] = []) => ({
  account: A,
  region: name,
  list: { ...list, region: name, file: `${list.operation}-${name}.json` },
  buckets: read.map((b) => ({ name: b })),
  excluded: excluded.map((b) => ({ name: b, reason: 'excluded by name' })),
});
const dirRegion = (...a: Parameters<typeof region>) => region(...a) as unknown as DirectoryBucketRegionEvidence;
const tableRegion = (...a: Parameters<typeof region>) => region(...a) as unknown as TableBucketRegionEvidence;
const dirList = ok('s3express:ListDirectoryBuckets', { Buckets: [] });
const tableList = ok('s3tables:ListTableBuckets', { tableBuckets: [] });

describe('scopeByType', () => {
  it('counts general purpose buckets from ListBuckets; a type never listed reads "not_read", not zero', () => {
    const ev = tenantEvidence([bucketEvidence({ name: 'a' }), bucketEvidence({ name: 'b' })]);
    ev.excludedBuckets = [{ name: 'c', account: A, reason: 'excluded by name' }];
    expect(scopeByType(ev, 2)).toEqual([
      { type: 'general_purpose', state: 'listed', inScope: 2, excluded: 1, undetermined: 0, unlisted: [] },
      { type: 'directory', state: 'not_read', inScope: 0, excluded: 0, undetermined: 0, unlisted: [] },
      { type: 'table', state: 'not_read', inScope: 0, excluded: 0, undetermined: 0, unlisted: [] },
    ]);
  });

  it('directory buckets listed in every region count per type, the ones left out by name apart', () => {
    const ev = tenantEvidence([bucketEvidence({ name: 'a' })]);
    ev.directoryBuckets = [
      dirRegion('eu-west-1', dirList, ['d1--euw1-az1--x-s3'], ['d2--euw1-az1--x-s3']),
      dirRegion('us-east-1', dirList, []),
    ];
    const [general, directory] = scopeByType(ev, 1);
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
    ev.directoryBuckets = [
      dirRegion('eu-west-1', dirList, ['d1--euw1-az1--x-s3']),
      dirRegion('us-east-1', failed('s3express:ListDirectoryBuckets', 'AccessDenied', 'access_denied'), []),
    ];
    expect(scopeByType(ev, 0)[1]).toEqual({
      type: 'directory',
      state: 'unlisted',
      inScope: 1,
      excluded: 0,
      undetermined: 0,
      unlisted: [
        {
          where: `account ${A} us-east-1`,
          source: 's3express:ListDirectoryBuckets',
          reason: 'AccessDenied: AccessDenied',
        },
      ],
    });
  });

  it('a failed ListBuckets leaves general purpose buckets unlisted for that account', () => {
    const ev = tenantEvidence([]);
    ev.accounts[0]!.listBuckets = failed('s3:ListBuckets', 'AccessDenied', 'access_denied');
    expect(scopeByType(ev, 0)[0]).toMatchObject({
      type: 'general_purpose',
      state: 'unlisted',
      inScope: 0,
      unlisted: [{ where: `account ${A}`, source: 's3:ListBuckets' }],
    });
  });
});

describe('scopeByType: table buckets', () => {
  it('counts the table buckets read in each region, and the ones left out by name', () => {
    const ev = tenantEvidence([]);
    ev.tableBuckets = [
      tableRegion('eu-west-1', tableList, ['lake', 'mart'], ['scratch']),
      tableRegion('us-east-1', tableList, ['raw']),
    ];
    expect(scopeByType(ev, 0)[2]).toEqual({
      type: 'table',
      state: 'listed',
      inScope: 3,
      excluded: 1,
      undetermined: 0,
      unlisted: [],
    });
  });

  it('a region whose ListTableBuckets was refused leaves the type unlisted, with the region and the reason', () => {
    const ev = tenantEvidence([]);
    ev.tableBuckets = [
      tableRegion('eu-west-1', tableList, ['lake']),
      tableRegion('ap-south-2', failed('s3tables:ListTableBuckets', 'AccessDeniedException', 'access_denied'), []),
    ];
    expect(scopeByType(ev, 0)[2]).toEqual({
      type: 'table',
      state: 'unlisted',
      inScope: 1,
      excluded: 0,
      undetermined: 0,
      unlisted: [
        {
          where: `account ${A} ap-south-2`,
          source: 's3tables:ListTableBuckets',
          reason: 'AccessDeniedException: AccessDeniedException',
        },
      ],
    });
  });
});

describe('buildPacket: a bucket type that could not be listed', () => {
  const build = (ev: ReturnType<typeof tenantEvidence>) =>
    buildPacket({
      evidence: ev,
      logs: { accessLogs: null, cloudTrail: null },
      governance: null,
      catalog: loadCatalog(),
      wording: loadWording(),
    });

  it('a directory listing in a region without S3 Express One Zone makes the packet incomplete, with region and reason', () => {
    const ev = tenantEvidence([]);
    ev.directoryBuckets = [
      dirRegion('ap-south-2', failed('s3express:ListDirectoryBuckets', 'UnsupportedRegion', 'error'), []),
    ];
    const p = build(ev);
    expect(p.completeness.complete).toBe(false);
    expect(p.completeness.missing).toContainEqual({
      scope: `account ${A} ap-south-2`,
      source: 's3express:ListDirectoryBuckets',
      reason: 'UnsupportedRegion: UnsupportedRegion',
    });
    expect(p.scope?.types[1]).toMatchObject({ type: 'directory', state: 'unlisted' });
  });

  it('a refused table listing makes the packet incomplete and the table line unlisted', () => {
    const ev = tenantEvidence([]);
    ev.tableBuckets = [
      tableRegion('eu-west-1', failed('s3tables:ListTableBuckets', 'AccessDeniedException', 'access_denied'), []),
    ];
    const p = build(ev);
    expect(p.completeness.complete).toBe(false);
    expect(p.completeness.missing).toContainEqual(expect.objectContaining({ source: 's3tables:ListTableBuckets' }));
    expect(p.scope?.types[2]).toMatchObject({ type: 'table', state: 'unlisted', inScope: 0 });
  });
});
