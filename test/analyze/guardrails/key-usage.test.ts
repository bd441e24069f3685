import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseKeyUsage } from '../../../src/analyze/guardrails/key-usage.js';
import { scanCloudTrail } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { type CloudTrailScan } from '../../../src/evidence/log-scans.js';
import { localTree } from '../../../src/collect/tree/local.js';
import { periodFor } from '../../../src/config/period.js';
import { gzippedCopy } from '../../collect/cloudtrail/gzip-tree.js';

const period = periodFor('2026-10', 'Europe/Berlin');
const K1 = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const K2 = 'arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09ba-43dc-65fe-0987654321ba';
const K3 = 'arn:aws:kms:us-east-1:444455556666:key/mrk-1234567890abcdef1234567890abcdef';
const expectedPrincipals = {
  tenant: ['arn:aws:iam::111122223333:role/apps/*'],
  perKey: { [K1]: ['s3.amazonaws.com'] },
};

let tree: string;
let scans: CloudTrailScan[];
beforeAll(async () => {
  tree = await gzippedCopy(path.resolve(__dirname, '../../fixtures/cloudtrail'));
  scans = [await scanCloudTrail(localTree(tree), { period })];
});
afterAll(async () => rm(tree, { recursive: true, force: true }));

describe('summariseKeyUsage', () => {
  it('reports each key with calls by operation, principal and bucket, and failures', () => {
    const { section } = summariseKeyUsage({ period, cloudTrail: scans, expectedPrincipals, keys: [] });
    if (section.state !== 'collected') throw new Error('collected');
    expect(section.keys.map((k) => [k.keyArn, k.calls])).toEqual([
      [K2, 1],
      [K1, 4],
      [K3, 1],
    ]);
    const k1 = section.keys[1]!;
    expect(k1.byOperation).toEqual([
      { name: 'Decrypt', count: 2 },
      { name: 'GenerateDataKey', count: 2 },
    ]);
    expect(k1.byPrincipal).toEqual([
      {
        principal: 'arn:aws:iam::111122223333:role/apps/app-writer',
        kind: 'role',
        calls: 2,
        failures: 0,
        via: ['s3.amazonaws.com'],
        expected: true,
      },
      {
        principal: 'arn:aws:iam::111122223333:role/data-science-adhoc',
        kind: 'role',
        calls: 1,
        failures: 1,
        via: [],
        expected: false,
      },
      { principal: 's3.amazonaws.com', kind: 'aws_service', calls: 1, failures: 0, via: [], expected: true },
    ]);
    expect(k1.byBucket).toEqual([
      { name: 'acme-data', count: 3 },
      { name: 'acme-archive', count: 1 },
    ]);
    expect(k1.failures).toEqual({ total: 1, byErrorCode: [{ name: 'AccessDeniedException', count: 1 }] });
    expect(k1.managementEvents.map((e) => [e.eventName, e.principal])).toEqual([
      ['DisableKeyRotation', 'arn:aws:iam::111122223333:user/kms-admin'],
    ]);
  });

  it('flags principals outside the expected list: an ad-hoc role, a service not listed for the key, another account', () => {
    const { section } = summariseKeyUsage({ period, cloudTrail: scans, expectedPrincipals, keys: [] });
    if (section.state !== 'collected') throw new Error('collected');
    expect(section.keys.map((k) => k.unexpectedPrincipals.map((u) => [u.principal, u.calls, u.operations]))).toEqual([
      [['cloudtrail.amazonaws.com', 1, ['GenerateDataKey']]],
      [['arn:aws:iam::111122223333:role/data-science-adhoc', 1, ['Decrypt']]],
      [['arn:aws:iam::444455556666:role/apps/batch', 1, ['Encrypt']]],
    ]);
    expect(section.totals).toEqual({ calls: 6, failures: 1, unexpectedPrincipals: 3, managementEvents: 2 });
  });

  it('limits the report to the tenant keys, listing an unused key with zero calls', () => {
    const unused = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';
    const { section, rows } = summariseKeyUsage({ period, cloudTrail: scans, expectedPrincipals, keys: [K1, unused] });
    if (section.state !== 'collected') throw new Error('collected');
    expect(section.keys.map((k) => [k.keyArn, k.calls, k.managementEvents.length])).toEqual([
      [unused, 0, 0],
      [K1, 4, 1],
    ]);
    expect(rows.map((r) => [r.principal, r.operation, r.calls, r.expected])).toEqual([
      ['arn:aws:iam::111122223333:role/apps/app-writer', 'GenerateDataKey', 2, true],
      ['arn:aws:iam::111122223333:role/data-science-adhoc', 'Decrypt', 1, false],
      ['s3.amazonaws.com', 'Decrypt', 1, true],
    ]);
  });

  it('flags nobody when no expectation is configured, and says so', () => {
    const { section } = summariseKeyUsage({ period, cloudTrail: scans, keys: [K1] });
    if (section.state !== 'collected') throw new Error('collected');
    expect(section.keys[0]!.expectationConfigured).toBe(false);
    expect(section.keys[0]!.unexpectedPrincipals).toEqual([]);
    expect(section.keys[0]!.byPrincipal.map((p) => p.expected)).toEqual([null, null, null]);
  });

  it('is not collected without a CloudTrail location', () => {
    expect(summariseKeyUsage({ period, cloudTrail: null, keys: [] }).section).toEqual({
      state: 'not_collected',
      reason: 'no CloudTrail location is configured for this tenant',
    });
  });
});
