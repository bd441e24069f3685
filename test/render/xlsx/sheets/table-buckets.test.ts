/** The "Table buckets" sheet, read back with the independent workbook reader. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TableBucketsSection } from '../../../../src/model/table-buckets.js';
import { renderXlsx } from '../../../../src/render/xlsx/index.js';
import { loadWording } from '../../../../src/wording/wording.js';
import { readWorkbook, sheetNamed } from '../../../support/xlsx-reader.js';
import { samplePacket } from '../../../support/sample-packet.js';

const A = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${A}:key/11111111-2222-3333-4444-555555555555`;
const section: TableBucketsSection = {
  regions: [
    { account: A, region: 'eu-west-1', listed: true, inScope: 1, excluded: [], evidence: 'evidence/l.json' },
    {
      account: A,
      region: 'ap-east-1',
      listed: false,
      inScope: 0,
      excluded: [],
      reason: 'UnrecognizedClientException: invalid token',
      evidence: 'evidence/hk.json',
    },
  ],
  buckets: [
    {
      name: 'lake',
      arn: `arn:aws:s3tables:eu-west-1:${A}:bucket/lake`,
      account: A,
      region: 'eu-west-1',
      encryption: { state: 'read', mode: 'SSE-S3' },
      namespaces: 1,
      tables: [
        {
          resource: 'lake/sales/orders',
          namespace: 'sales',
          name: 'orders',
          encryption: { state: 'read', mode: 'SSE-KMS', kmsKeyArn: KEY },
          maintenance: { state: 'not_allowed', actions: ['kms:Decrypt'] },
          keyAlias: 'alias/lake',
          evidence: ['evidence/orders.json'],
        },
        {
          resource: 'lake/sales/refunds',
          namespace: 'sales',
          name: 'refunds',
          encryption: { state: 'unreadable', errorCode: 'AccessDeniedException', message: 'no' },
          evidence: ['evidence/refunds.json'],
        },
      ],
      evidence: ['evidence/b.json'],
    },
  ],
};

async function sheet(withSection: boolean) {
  const p = samplePacket();
  if (withSection) p.tableBuckets = section;
  const bytes = await renderXlsx(p, { wording: loadWording(), unencryptedCsv: 'exports/unencrypted-objects.csv' });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tables-xlsx-')), 'p.xlsx');
  writeFileSync(file, bytes);
  return readWorkbook(file);
}

describe('Table buckets sheet', () => {
  it('one row per table, an unlisted region and an unreadable table as NOT EVALUATED, never encrypted', async () => {
    const wb = await sheet(true);
    expect(wb.sheetNames.indexOf('Table buckets')).toBe(wb.sheetNames.indexOf('Keys') + 1);
    const s = sheetNamed(wb, 'Table buckets');
    const rows = s.rows.map((r) => r.map((c) => c.value));
    expect(rows[0]![0]).toBe(
      'S3 table buckets: 1 in scope with 2 tables; table buckets listed in 1 of 2 account regions',
    );
    expect(rows.slice(1, 5).map((r) => r.slice(0, 9))).toEqual([
      [
        'Account',
        'Region',
        'Table bucket',
        'Namespace',
        'Table',
        'Encryption',
        'KMS key',
        'S3 Tables maintenance may use the key',
        'Table bucket default',
      ],
      [
        A,
        'ap-east-1',
        null,
        null,
        null,
        'NOT EVALUATED: table buckets not listed (UnrecognizedClientException: invalid token)',
        null,
        null,
        null,
      ],
      [
        A,
        'eu-west-1',
        'lake',
        'sales',
        'orders',
        'SSE-KMS (aws:kms)',
        `alias/lake (${KEY})`,
        'NO: the key policy does not allow kms:Decrypt',
        'SSE-S3 (AES256)',
      ],
      [
        A,
        'eu-west-1',
        'lake',
        'sales',
        'refunds',
        'NOT EVALUATED: encryption not read (AccessDeniedException)',
        null,
        null,
        'SSE-S3 (AES256)',
      ],
    ]);
  });

  it('is absent from packets made before table buckets were read', async () => {
    expect((await sheet(false)).sheetNames).not.toContain('Table buckets');
  });
});
