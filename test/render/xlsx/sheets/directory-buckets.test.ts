/** The "Directory buckets" sheet, read back with the independent workbook reader. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DirectoryBucketsSection } from '../../../../src/model/directory-buckets.js';
import { renderXlsx } from '../../../../src/render/xlsx/index.js';
import { loadWording } from '../../../../src/wording/wording.js';
import { readWorkbook, sheetNamed } from '../../../support/xlsx-reader.js';
import { samplePacket } from '../../../support/sample-packet.js';

const A = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${A}:key/11111111-2222-3333-4444-555555555555`;
const any = { requiredMode: 'any' as const, allowedKmsKeys: [], source: 'none configured' };
const section: DirectoryBucketsSection = {
  regions: [
    { account: A, region: 'eu-west-1', listed: true, inScope: 2, excluded: [], evidence: 'evidence/l.json' },
    {
      account: A,
      region: 'ap-south-2',
      listed: false,
      inScope: 0,
      excluded: [],
      reason: 'TimeoutError: no answer from the s3express-control endpoint of ap-south-2',
      evidence: 'evidence/hyd.json',
    },
  ],
  buckets: [
    {
      name: 'hot--euw1-az1--x-s3',
      account: A,
      region: 'eu-west-1',
      zoneId: 'euw1-az1',
      encryption: { state: 'read', mode: 'SSE-KMS', kmsKeyId: KEY, bucketKeyEnabled: true },
      kmsKeyArn: KEY,
      keyAlias: 'alias/app',
      policy: { state: 'present', statements: 2 },
      expectation: any,
      evidence: ['evidence/hot-enc.json', 'evidence/hot-policy.json'],
    },
    {
      name: 'cold--euw1-az3--x-s3',
      account: A,
      region: 'eu-west-1',
      zoneId: 'euw1-az3',
      encryption: { state: 'unreadable', errorCode: 'AccessDenied', message: 'Access Denied' },
      policy: { state: 'none' },
      expectation: any,
      evidence: ['evidence/cold-enc.json', 'evidence/cold-policy.json'],
    },
  ],
};

async function sheet(withSection: boolean) {
  const p = samplePacket();
  if (withSection) p.directoryBuckets = section;
  const bytes = await renderXlsx(p, { wording: loadWording(), unencryptedCsv: 'exports/unencrypted-objects.csv' });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'directory-xlsx-')), 'p.xlsx');
  writeFileSync(file, bytes);
  return readWorkbook(file);
}

describe('Directory buckets sheet', () => {
  it('one row per bucket with the type properties stated, an unlisted region and an unread encryption NOT EVALUATED', async () => {
    const wb = await sheet(true);
    const s = sheetNamed(wb, 'Directory buckets');
    const rows = s.rows.map((r) => r.map((c) => c.value));
    expect(rows[0]![0]).toMatch(
      /^Directory buckets \(S3 Express One Zone\): 2 in scope; listed in 1 of 2 account regions\. AWS documents that directory buckets encrypt every object/,
    );
    expect(rows[0]![0]).toContain(
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-data-protection.html',
    );
    expect(rows.slice(1, 5).map((r) => r.slice(0, 9))).toEqual([
      [
        'Account',
        'Region',
        'Directory bucket',
        'Zone',
        'Default encryption',
        'KMS key',
        'Bucket policy',
        'Objects',
        'Transport',
      ],
      [
        A,
        'ap-south-2',
        null,
        null,
        'NOT EVALUATED: directory buckets not listed (TimeoutError: no answer from the s3express-control endpoint of ap-south-2)',
        null,
        null,
        null,
        null,
      ],
      [
        A,
        'eu-west-1',
        'hot--euw1-az1--x-s3',
        'euw1-az1',
        'SSE-KMS (aws:kms), Bucket Key on',
        `alias/app (${KEY})`,
        '2 statements (recorded; compared with the baseline on the Drift sheet)',
        'encrypted by construction (a property of the bucket type, see the note)',
        'HTTPS only (a property of the bucket type, see the note)',
      ],
      [
        A,
        'eu-west-1',
        'cold--euw1-az3--x-s3',
        'euw1-az3',
        'NOT EVALUATED: encryption not read (AccessDenied)',
        null,
        'no bucket policy',
        'encrypted by construction (a property of the bucket type, see the note)',
        'HTTPS only (a property of the bucket type, see the note)',
      ],
    ]);
  });

  it('is absent from packets made before directory buckets were read', async () => {
    const wb = await sheet(false);
    expect(wb.sheetNames).not.toContain('Directory buckets');
  });
});
