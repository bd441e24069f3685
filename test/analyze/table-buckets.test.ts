import { describe, expect, it } from 'vitest';
import { control } from '../../src/analyze/controls/s3tables-kms-key-allows-maintenance/control.js';
import { tableBucketsMissing, tableBucketsSection } from '../../src/analyze/table-buckets.js';
import type { KeyEvidence } from '../../src/evidence/bundle.js';
import type { FiledRecord } from '../../src/evidence/record.js';
import type { TableBucketRegionEvidence } from '../../src/evidence/table-buckets.js';

const A = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${A}:key/11111111-2222-3333-4444-555555555555`;
const OPEN_KEY = `arn:aws:kms:eu-west-1:${A}:key/22222222-2222-3333-4444-555555555555`;
const ARN = `arn:aws:s3tables:eu-west-1:${A}:bucket/lake`;

function ok<T>(file: string, response: T): FiledRecord<T> {
  return {
    operation: 'x:Op',
    parameters: {},
    account: A,
    region: 'eu-west-1',
    collectedAt: '2026-11-01T00:00:00Z',
    source: 'live',
    outcome: 'ok',
    response,
    file,
  };
}
function failed(file: string, code: string): FiledRecord<never> {
  return {
    operation: 'x:Op',
    parameters: {},
    account: A,
    region: 'eu-west-1',
    collectedAt: '2026-11-01T00:00:00Z',
    source: 'live',
    outcome: code.startsWith('AccessDenied') ? 'access_denied' : 'error',
    error: { code, message: `${code} message` },
    file,
  };
}
const kms = (arn: string) => ok('t.json', { encryptionConfiguration: { sseAlgorithm: 'aws:kms', kmsKeyArn: arn } });
const aes = ok('t.json', { encryptionConfiguration: { sseAlgorithm: 'AES256' } });

function key(arn: string, statements: object[]): KeyEvidence {
  return {
    reference: arn,
    referencedBy: [],
    account: A,
    region: 'eu-west-1',
    describe: ok('describe.json', { KeyMetadata: { KeyId: arn.split('/')[1]!, KeyManager: 'CUSTOMER' as const } }),
    policy: ok(`policy-${arn.slice(-4)}.json`, { Policy: JSON.stringify({ Statement: statements }) }),
  };
}
const allowMaintenance = {
  Effect: 'Allow',
  Sid: 'S3TablesMaintenance',
  Principal: { Service: 'maintenance.s3tables.amazonaws.com' },
  Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
  Resource: '*',
};
const rootOnly = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' };

const regions: TableBucketRegionEvidence[] = [
  {
    account: A,
    region: 'eu-west-1',
    list: ok('list.json', { tableBuckets: [{ arn: ARN, name: 'lake' }] }),
    excluded: [],
    buckets: [
      {
        arn: ARN,
        name: 'lake',
        account: A,
        region: 'eu-west-1',
        encryption: kms(KEY),
        namespaces: ok('ns.json', { namespaces: [{ namespace: ['sales'] }, { namespace: ['web'] }] }),
        tables: ok('tables.json', { tables: [] }),
        tableEncryption: [
          { namespace: 'sales', name: 'orders', encryption: kms(KEY) },
          { namespace: 'sales', name: 'refunds', encryption: aes },
          { namespace: 'web', name: 'clicks', encryption: kms(OPEN_KEY) },
          { namespace: 'web', name: 'views', encryption: failed('views.json', 'AccessDeniedException') },
        ],
      },
    ],
  },
  {
    account: A,
    region: 'ap-east-1',
    list: failed('hk.json', 'UnrecognizedClientException'),
    excluded: [],
    buckets: [],
  },
];
const keys = [key(KEY, [rootOnly]), key(OPEN_KEY, [rootOnly, allowMaintenance])];

describe('table buckets section', () => {
  const section = tableBucketsSection(regions, keys, []);

  it('reads each table encryption and judges the key policy of each SSE-KMS table', () => {
    const t = section.buckets[0]!.tables!;
    expect(
      t.map((x) => [
        x.resource,
        x.encryption.state === 'read' ? x.encryption.mode : 'unreadable',
        x.maintenance?.state,
      ]),
    ).toEqual([
      ['lake/sales/orders', 'SSE-KMS', 'not_allowed'],
      ['lake/sales/refunds', 'SSE-S3', undefined],
      ['lake/web/clicks', 'SSE-KMS', 'allowed'],
      ['lake/web/views', 'unreadable', undefined],
    ]);
    expect(section.buckets[0]!.namespaces).toBe(2);
    expect(section.regions.map((r) => [r.region, r.listed, r.inScope, r.reason])).toEqual([
      ['eu-west-1', true, 1, undefined],
      ['ap-east-1', false, 0, 'UnrecognizedClientException: UnrecognizedClientException message'],
    ]);
  });

  it('names what could not be read: the unlisted region and the unreadable table', () => {
    expect(tableBucketsMissing(section).map((m) => [m.scope, m.source])).toEqual([
      [`table buckets of ${A} in ap-east-1`, 's3tables:ListTableBuckets'],
      ['table lake/web/views', 's3tables:GetTableEncryption'],
    ]);
  });
});

describe('s3tables-kms-key-allows-maintenance', () => {
  const section = tableBucketsSection(regions, keys, []);
  const verdicts = () =>
    control.evaluate({ buckets: [], keys: [], tableBuckets: section.buckets }).map((j) => [j.resource, j.verdict]);

  it('fails a key that does not allow maintenance, passes one that does, N/A for SSE-S3, NOT EVALUATED when unread', () => {
    expect(verdicts()).toEqual([
      ['lake/sales/orders', 'fail'],
      ['lake/sales/refunds', 'not_applicable'],
      ['lake/web/clicks', 'pass'],
      ['lake/web/views', 'not_evaluated'],
    ]);
  });

  it('a key whose policy could not be read is NOT EVALUATED, never a pass', () => {
    const unread: KeyEvidence = { ...keys[1]!, policy: failed('p.json', 'AccessDeniedException') };
    const s = tableBucketsSection(regions, [keys[0]!, unread], []);
    const j = control
      .evaluate({ buckets: [], keys: [], tableBuckets: s.buckets })
      .find((x) => x.resource === 'lake/web/clicks');
    expect([j?.verdict, j?.reason]).toEqual(['not_evaluated', 'kms:GetKeyPolicy failed: AccessDeniedException']);
  });

  it('a table bucket whose tables could not be listed is NOT EVALUATED as a whole', () => {
    const noTables = structuredClone(regions);
    noTables[0]!.buckets[0]!.tables = failed('tables.json', 'AccessDeniedException');
    const s = tableBucketsSection(noTables, keys, []);
    expect(control.evaluate({ buckets: [], keys: [], tableBuckets: s.buckets })).toEqual([
      {
        resource: 'lake',
        verdict: 'not_evaluated',
        reason: 'ListTables failed: AccessDeniedException: AccessDeniedException message',
        evidence: ['t.json', 'ns.json', 'tables.json'],
      },
    ]);
  });
});
