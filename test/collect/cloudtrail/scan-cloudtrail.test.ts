import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCloudTrail } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { type CloudTrailScan } from '../../../src/evidence/log-scans.js';
import { localTree } from '../../../src/collect/tree/local.js';
import { periodFor } from '../../../src/config/period.js';
import { gzippedCopy } from './gzip-tree.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/cloudtrail');
const period = periodFor('2026-10', 'Europe/Berlin');
const K1 = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const K2 = 'arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09ba-43dc-65fe-0987654321ba';
const K3 = 'arn:aws:kms:us-east-1:444455556666:key/mrk-1234567890abcdef1234567890abcdef';
const OCT5 =
  'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/05/111122223333_CloudTrail_eu-west-1_20261005T0920Z_Qm9vZ2xlMTIzNDU2.json.gz';

let tree: string;
let scan: CloudTrailScan;
beforeAll(async () => {
  tree = await gzippedCopy(FIXTURES);
  scan = await scanCloudTrail(localTree(tree), { period });
});
afterAll(async () => rm(tree, { recursive: true, force: true }));

describe('scanCloudTrail', () => {
  it('finds the account trail and the organization trail, reading only day folders of the period ± 1 day', () => {
    expect(
      scan.trails.map((t) => [
        t.prefix,
        t.organizationId ?? null,
        t.account,
        t.region,
        t.dayFoldersRead,
        t.dayFoldersWithFiles,
      ]),
    ).toEqual([
      ['AWSLogs/111122223333/CloudTrail/eu-west-1/', null, '111122223333', 'eu-west-1', 34, 2],
      ['AWSLogs/o-exampleorg1/444455556666/CloudTrail/us-east-1/', 'o-exampleorg1', '444455556666', 'us-east-1', 34, 1],
    ]);
    expect(scan.filesRead).toBe(3);
  });

  it('counts S3 and KMS records by eventTime (the 30 Sep folder holds records before and after the start)', () => {
    expect(scan.recordsRead).toBe(15 + 3 + 2);
    // S3: 5 on 5 Oct + 1 on 30 Sep 22:30Z + 1 org; KMS: 8 on 5 Oct + 1 org
    expect(scan.recordsInPeriod).toBe(16);
    expect(scan.s3DataEvents).toBe(7);
    expect(scan.s3DataEventsByBucketDay).toEqual({
      'acme-archive': { '2026-10-01': 1 },
      'acme-data': { '2026-10-05': 5 },
      'acme-eu-data': { '2026-10-20': 1 },
    });
  });

  it('keeps the refused uploads with the SSE header and transport CloudTrail recorded', () => {
    expect(scan.denied.map((d) => [d.requestId, d.eventName, d.bucket, d.principal, d.sseHeader, d.transport])).toEqual(
      [
        [
          'DENY0011',
          'CreateMultipartUpload',
          'acme-archive',
          'arn:aws:iam::111122223333:user/legacy-uploader',
          null,
          'tls',
        ],
        ['DENY0001', 'PutObject', 'acme-data', 'arn:aws:iam::111122223333:role/apps/app-writer', null, 'tls'],
        ['DENY0002', 'PutObject', 'acme-data', 'arn:aws:iam::111122223333:role/apps/app-writer', 'AES256', 'plain'],
        ['DENY0010', 'PutObject', 'acme-data', 'arn:aws:iam::111122223333:user/legacy-uploader', 'AES256', 'tls'],
        ['DENY0012', 'UploadPart', 'acme-data', 'arn:aws:iam::111122223333:role/apps/app-writer', null, 'tls'],
        ['DENY0013', 'PutObject', 'acme-eu-data', 'arn:aws:iam::444455556666:role/partner-sync', null, 'tls'],
      ],
    );
  });

  it('tallies KMS calls per key, principal, operation, day and bucket; a service acting for a role is the role', () => {
    expect(scan.kmsEvents).toBe(8);
    expect(
      scan.kmsTallies.map((t) => [
        t.keyArn,
        t.principal,
        t.kind,
        t.operation,
        t.day,
        t.bucket,
        t.calls,
        t.failures,
        t.via,
      ]),
    ).toEqual([
      [K2, 'cloudtrail.amazonaws.com', 'aws_service', 'GenerateDataKey', '2026-10-05', '', 1, 0, []],
      [
        K1,
        'arn:aws:iam::111122223333:role/apps/app-writer',
        'role',
        'GenerateDataKey',
        '2026-10-05',
        'acme-data',
        2,
        0,
        ['s3.amazonaws.com'],
      ],
      [K1, 'arn:aws:iam::111122223333:role/data-science-adhoc', 'role', 'Decrypt', '2026-10-05', 'acme-data', 1, 1, []],
      [K1, 's3.amazonaws.com', 'aws_service', 'Decrypt', '2026-10-05', 'acme-archive', 1, 0, []],
      [K3, 'arn:aws:iam::444455556666:role/apps/batch', 'role', 'Encrypt', '2026-10-20', '', 1, 0, []],
    ]);
    expect(scan.kmsTallies[2]!.errorCodes).toEqual({ AccessDeniedException: 1 });
  });

  it('lists key-management events with who, when and a detail; DescribeKey is neither usage nor management', () => {
    expect(scan.kmsManagementEvents).toEqual([
      {
        keyArn: K2,
        time: '2026-10-05T16:30:00.000Z',
        eventName: 'ScheduleKeyDeletion',
        principal: 'arn:aws:iam::111122223333:role/ops/break-glass',
        kind: 'role',
        sourceIp: '192.0.2.11',
        requestId: 'k-0007',
        eventId: 'e0000002-0000-4000-8000-000000000007',
        detail: 'pending window 7 days',
      },
      {
        keyArn: K1,
        time: '2026-10-05T16:00:00.000Z',
        eventName: 'DisableKeyRotation',
        principal: 'arn:aws:iam::111122223333:user/kms-admin',
        kind: 'user',
        sourceIp: '192.0.2.10',
        requestId: 'k-0006',
        eventId: 'e0000002-0000-4000-8000-000000000006',
      },
    ]);
  });

  it('counts a record that is not an object as skipped with its file and index', () => {
    expect(scan.skipped).toEqual({ count: 1, samples: [{ file: OCT5, line: 14, message: 'record is not an object' }] });
    expect(scan.problems).toEqual([]);
  });

  it('reads only the listed accounts', async () => {
    const only = await scanCloudTrail(localTree(tree), { period, accounts: ['444455556666'] });
    expect(only.trails.map((t) => t.account)).toEqual(['444455556666']);
    expect(only.denied.map((d) => d.requestId)).toEqual(['DENY0013']);
  });

  it('names a truncated gzip and a file without Records as problems, and still reads the rest', async () => {
    const broken = await gzippedCopy(FIXTURES);
    try {
      const target = path.join(broken, OCT5);
      const gz = await readFile(target);
      await writeFile(target, gz.subarray(0, gz.length - 40));
      const org =
        'AWSLogs/o-exampleorg1/444455556666/CloudTrail/us-east-1/2026/10/20/444455556666_CloudTrail_us-east-1_20261020T1205Z_T3JnVHJhaWwwMDAx.json.gz';
      const { gzipSync } = await import('node:zlib');
      await writeFile(path.join(broken, org), gzipSync('{"records": []}'));
      const result = await scanCloudTrail(localTree(broken), { period });
      expect(result.problems.map((p) => p.file)).toEqual([OCT5, org]);
      expect(result.problems[0]!.message).toMatch(/^unreadable: .*unexpected end of file/);
      expect(result.problems[1]!.message).toBe('no "Records" array');
      expect(result.filesRead).toBe(1);
      expect(result.denied.map((d) => d.requestId)).toEqual(['DENY0011']);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
