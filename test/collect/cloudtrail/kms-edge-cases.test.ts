/**
 * KMS records in shapes the AWS KMS developer guide documents: a record whose `resources` is null
 * takes its key ARN from what KMS answered, an alias key id is kept as an alias ARN for analysis to
 * resolve, and a record delivered twice (same eventID) counts once.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliasTargets, summariseKeyUsage } from '../../../src/analyze/guardrails/key-usage.js';
import { keyArnsOf } from '../../../src/collect/cloudtrail/kms-events.js';
import { scanCloudTrail } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { type CloudTrailScan } from '../../../src/evidence/log-scans.js';
import { localTree } from '../../../src/collect/tree/local.js';
import { periodFor } from '../../../src/config/period.js';
import type { AccountEvidence } from '../../../src/evidence/bundle.js';
import { ok } from '../../support/evidence-builders.js';
import { gzippedCopy } from './gzip-tree.js';

const period = periodFor('2026-10', 'UTC');
const KEY = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ALIAS = 'arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias';

let tree: string;
let scan: CloudTrailScan;
beforeAll(async () => {
  tree = await gzippedCopy(path.resolve(__dirname, '../../fixtures/cloudtrail-edge'));
  scan = await scanCloudTrail(localTree(tree), { period });
});
afterAll(async () => rm(tree, { recursive: true, force: true }));

describe('KMS record edge cases', () => {
  it('resources null: the key ARN KMS answered with, not one rebuilt from awsRegion', () => {
    const record = {
      eventName: 'ScheduleKeyDeletion',
      awsRegion: 'us-east-1',
      recipientAccountId: '111122223333',
      requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      responseElements: { keyId: KEY },
      resources: null,
    };
    expect(keyArnsOf(record as never)).toEqual([KEY]);
    const deletion = scan.kmsManagementEvents.filter((e) => e.eventName === 'ScheduleKeyDeletion');
    expect(deletion.map((e) => e.keyArn)).toEqual([KEY]);
  });

  it("an alias key id is recorded as the alias ARN of the call's region and account", () => {
    expect(scan.kmsTallies.filter((t) => t.operation === 'GenerateDataKey').map((t) => [t.keyArn, t.calls])).toEqual([
      [ALIAS, 1],
    ]);
  });

  it('records repeated with the same eventID in two trail files count once', () => {
    expect(scan.recordsRead).toBe(5);
    expect(scan.kmsEvents).toBe(3);
    expect(scan.kmsTallies.filter((t) => t.operation === 'Decrypt').map((t) => [t.keyArn, t.calls])).toEqual([
      [KEY, 1],
    ]);
    expect(scan.kmsManagementEvents).toHaveLength(1);
  });

  it("analysis resolves the alias through the account's ListAliases: the key has all three events", () => {
    const account: AccountEvidence = {
      id: '111122223333',
      listBuckets: ok('s3:ListBuckets', { Buckets: [] }),
      aliases: [
        {
          ...ok('kms:ListAliases', {
            Aliases: [
              { AliasName: 'alias/ExampleAlias', AliasArn: ALIAS, TargetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
              { AliasName: 'alias/aws/s3', AliasArn: 'arn:aws:kms:us-west-2:111122223333:alias/aws/s3' },
            ],
          }),
          region: 'us-west-2',
        },
      ],
    };
    expect([...aliasTargets([account])]).toEqual([[ALIAS, KEY]]);
    const { section, rows } = summariseKeyUsage({
      period,
      cloudTrail: [scan],
      keys: [KEY],
      aliases: aliasTargets([account]),
    });
    if (section.state !== 'collected') throw new Error(section.state);
    expect(
      section.keys.map((k) => [k.keyArn, k.calls, k.byOperation, k.managementEvents.map((e) => e.eventName)]),
    ).toEqual([
      [
        KEY,
        2,
        [
          { name: 'Decrypt', count: 1 },
          { name: 'GenerateDataKey', count: 1 },
        ],
        ['ScheduleKeyDeletion'],
      ],
    ]);
    expect(rows.map((r) => [r.keyArn, r.operation, r.calls])).toEqual([
      [KEY, 'Decrypt', 1],
      [KEY, 'GenerateDataKey', 1],
    ]);
  });
});
