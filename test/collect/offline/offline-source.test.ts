/** S3 Tables and directory-bucket reads from an AWS CLI export: s3tables/<region>/<table-bucket>/<namespace>/<table>/, s3express/<region>/<bucket>/. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineAccountSource } from '../../../src/collect/offline/offline-source.js';

const A = '111122223333';
const ARN = `arn:aws:s3tables:eu-west-1:${A}:bucket/lake`;

function exportFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'export-tables-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('offline S3 Tables reads', () => {
  const dir = exportFolder({
    's3tables/eu-west-1/list-table-buckets.json': JSON.stringify({ tableBuckets: [{ arn: ARN, name: 'lake' }] }),
    's3tables/eu-west-1/lake/get-table-bucket-encryption.json': JSON.stringify({
      encryptionConfiguration: { sseAlgorithm: 'AES256' },
    }),
    's3tables/eu-west-1/lake/sales/orders/get-table-encryption.json': JSON.stringify({
      encryptionConfiguration: { sseAlgorithm: 'aws:kms', kmsKeyArn: `arn:aws:kms:eu-west-1:${A}:key/k` },
    }),
    's3tables/eu-west-1/lake/list-tables.error.txt':
      'An error occurred (AccessDeniedException) when calling the ListTables operation: denied\n',
  });
  const source = offlineAccountSource({ account: A, folder: dir, collectedAt: '2026-11-01T06:00:00Z' });

  it('reads the region list, the bucket and the table from their folders', async () => {
    const list = await source.tablesCall('ListTableBuckets', {}, 'eu-west-1');
    expect(list.outcome === 'ok' && list.response).toEqual({ tableBuckets: [{ arn: ARN, name: 'lake' }] });
    expect(list.operation).toBe('s3tables:ListTableBuckets');
    const table = await source.tablesCall(
      'GetTableEncryption',
      { tableBucketARN: ARN, namespace: 'sales', name: 'orders' },
      'eu-west-1',
    );
    expect(table.outcome).toBe('ok');
    expect(table.parameters).toEqual({ tableBucketARN: ARN, namespace: 'sales', name: 'orders' });
    expect(table.sourcePath).toBe(path.join(dir, 's3tables/eu-west-1/lake/sales/orders/get-table-encryption.json'));
  });

  it('keeps an exported error as the error it is', async () => {
    const tables = await source.tablesCall('ListTables', { tableBucketARN: ARN }, 'eu-west-1');
    expect(tables.outcome).toBe('access_denied');
    expect(tables.outcome !== 'ok' && tables.error.code).toBe('AccessDeniedException');
  });

  it('a read that was not exported is missing evidence, never an empty list', async () => {
    const namespaces = await source.tablesCall('ListNamespaces', { tableBucketARN: ARN }, 'eu-west-1');
    expect(namespaces.outcome).toBe('error');
    expect(namespaces.outcome !== 'ok' && namespaces.error.code).toBe('NotExported');
  });

  it('never turns a name that climbs out of the export into a path', async () => {
    const r = await source.tablesCall(
      'GetTableEncryption',
      { tableBucketARN: ARN, namespace: '..', name: 'orders' },
      'eu-west-1',
    );
    expect(r.outcome !== 'ok' && r.error.code).toBe('InvalidIdentifier');
    const bad = await source.tablesCall('GetTableBucketEncryption', { tableBucketARN: 'lake/../..' }, 'eu-west-1');
    expect(bad.outcome !== 'ok' && bad.error.message).toContain('is not an S3 table bucket name');
  });
});

describe('offline directory-bucket reads', () => {
  const HOT = 'hot--euw1-az1--x-s3';
  const dir = exportFolder({
    's3express/eu-west-1/list-directory-buckets.json': JSON.stringify({
      Buckets: [{ Name: HOT, CreationDate: '2026-05-11T08:30:00+00:00', BucketRegion: 'eu-west-1' }],
    }),
    [`s3express/eu-west-1/${HOT}/get-bucket-encryption.json`]: JSON.stringify({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
    [`s3express/eu-west-1/${HOT}/get-bucket-policy.error.txt`]:
      'An error occurred (AccessDenied) when calling the GetBucketPolicy operation: Access Denied\n',
  });
  const source = offlineAccountSource({ account: A, folder: dir, collectedAt: '2026-11-01T06:00:00Z' });

  it('reads the region list and the bucket encryption from their folders, as s3express operations', async () => {
    const list = await source.directoryCall('ListDirectoryBuckets', undefined, 'eu-west-1');
    expect(list.operation).toBe('s3express:ListDirectoryBuckets');
    expect(list.outcome === 'ok' && list.response).toEqual({
      Buckets: [{ Name: HOT, CreationDate: '2026-05-11T08:30:00+00:00', BucketRegion: 'eu-west-1' }],
    });
    const enc = await source.directoryCall('GetBucketEncryption', HOT, 'eu-west-1');
    expect(enc.outcome).toBe('ok');
    expect(enc.parameters).toEqual({ Bucket: HOT });
    expect(enc.sourcePath).toBe(path.join(dir, `s3express/eu-west-1/${HOT}/get-bucket-encryption.json`));
  });

  it('keeps an exported AccessDenied, and a region that was not exported is missing evidence, never none', async () => {
    const policy = await source.directoryCall('GetBucketPolicy', HOT, 'eu-west-1');
    expect(policy.outcome).toBe('access_denied');
    const other = await source.directoryCall('ListDirectoryBuckets', undefined, 'us-east-1');
    expect(other.outcome !== 'ok' && other.error.code).toBe('NotExported');
  });

  it('never turns a name that climbs out of the export into a path', async () => {
    const r = await source.directoryCall('GetBucketEncryption', '../..', 'eu-west-1');
    expect(r.outcome !== 'ok' && r.error.code).toBe('InvalidIdentifier');
  });
});
