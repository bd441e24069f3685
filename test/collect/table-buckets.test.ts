/**
 * Table buckets (S3 Tables) read over the wire from the fake endpoint: every page of every list,
 * encryption of buckets and tables, their keys in the key reads, and each failure kept as evidence.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TableBucketRegionEvidence } from '../../src/evidence/table-buckets.js';
import { collectLive, tenant, type LiveRun } from '../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws, type Scenario } from '../support/fake-aws/index.js';

const A = '111111111111';
const CALLER = '999900000000';
const KEY_ID = '11111111-2222-3333-4444-555555555555';
const KEY_ARN = `arn:aws:kms:eu-west-1:${A}:key/${KEY_ID}`;

function scenario(over: Partial<Scenario> = {}): Scenario {
  return {
    caller: { accessKeyId: 'AKIDCALLER', account: CALLER, arn: `arn:aws:iam::${CALLER}:user/auditor` },
    tablesPageCap: 1,
    accounts: [
      {
        id: A,
        role: { name: 'EvidenceReader' },
        buckets: [],
        keys: [{ id: KEY_ID, region: 'eu-west-1', rotation: { enabled: true } }],
        tableBuckets: [
          {
            name: 'analytics',
            region: 'eu-west-1',
            encryption: { algorithm: 'aws:kms', kmsKeyArn: KEY_ARN },
            namespaces: [
              { name: 'sales', tables: [{ name: 'orders' }, { name: 'refunds', encryption: { algorithm: 'AES256' } }] },
              { name: 'web', tables: [{ name: 'clicks' }] },
            ],
          },
          { name: 'scratch', region: 'eu-west-1', namespaces: [] },
          { name: 'other-region', region: 'us-east-1' },
        ],
      },
    ],
    ...over,
  };
}

const config = (regions = ['eu-west-1'], buckets?: Record<string, unknown>) =>
  tenant({
    id: 'acme',
    accounts: [{ id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, regions }],
    ...(buckets ? { buckets } : {}),
  });

let fake: FakeAws | undefined;
let run: LiveRun | undefined;
afterEach(async () => {
  await run?.cleanup();
  await fake?.close();
  run = undefined;
  fake = undefined;
});

async function collect(s: Scenario, regions?: string[], buckets?: Record<string, unknown>) {
  fake = await startFakeAws(s);
  run = await collectLive(fake, config(regions, buckets));
  return run;
}

function region(r: LiveRun, name: string): TableBucketRegionEvidence {
  const found = r.evidence.tableBuckets?.find((x) => x.region === name);
  if (!found) throw new Error(`no table-bucket evidence for ${name}`);
  return found;
}

describe('table buckets over the wire', () => {
  it('lists every page of buckets, namespaces and tables and reads each encryption', async () => {
    const r = await collect(scenario());
    const eu = region(r, 'eu-west-1');
    expect(eu.list.outcome).toBe('ok');
    expect(eu.list.file).toBe(`evidence/accounts/${A}/s3tables/eu-west-1/list-table-buckets.json`);
    expect(eu.buckets.map((b) => b.name)).toEqual(['analytics', 'scratch']);
    const analytics = eu.buckets[0]!;
    expect(analytics.arn).toBe(`arn:aws:s3tables:eu-west-1:${A}:bucket/analytics`);
    expect(analytics.encryption.outcome === 'ok' && analytics.encryption.response).toEqual({
      encryptionConfiguration: { sseAlgorithm: 'aws:kms', kmsKeyArn: KEY_ARN },
    });
    expect(analytics.namespaces.outcome === 'ok' && analytics.namespaces.response.namespaces?.length).toBe(2);
    expect(
      analytics.tableEncryption.map((t) => [
        t.namespace,
        t.name,
        t.encryption.outcome === 'ok' ? t.encryption.response.encryptionConfiguration?.sseAlgorithm : 'failed',
      ]),
    ).toEqual([
      ['sales', 'orders', 'aws:kms'],
      ['sales', 'refunds', 'AES256'],
      ['web', 'clicks', 'aws:kms'],
    ]);
    expect(analytics.tableEncryption[0]!.encryption.file).toBe(
      `evidence/accounts/${A}/s3tables/eu-west-1/analytics/sales/orders/get-table-encryption.json`,
    );
    // Page cap 1: two table buckets (2 pages), two namespaces (2), three tables (3), empty namespace list (1).
    const calls = fake!.recorder.calls.filter((c) => c.service === 's3tables');
    const count = (op: string) => calls.filter((c) => c.operation === op).length;
    expect(count('ListTableBuckets')).toBe(2);
    expect(count('ListNamespaces')).toBe(2 + 1);
    expect(count('ListTables')).toBe(3 + 1);
    expect(count('GetTableEncryption')).toBe(3);
    // The one key named by the bucket and two tables is read once, and knows who named it.
    const key = r.evidence.keys.find((k) => k.reference === KEY_ARN);
    expect(key?.referencedBy).toEqual(['analytics', 'analytics/sales/orders', 'analytics/web/clicks']);
    expect(key?.describe.outcome).toBe('ok');
    expect(key?.policy?.outcome).toBe('ok');
    expect(fake!.recorder.calls.filter((c) => c.operation === 'DescribeKey')).toHaveLength(1);
    // The list is kept as read, every page merged.
    const stored = JSON.parse(await readFile(path.join(r.dir, eu.list.file), 'utf8')) as {
      response: { tableBuckets: Array<{ name: string }> };
      requestId: string;
    };
    expect(stored.response.tableBuckets.map((b) => b.name)).toEqual(['analytics', 'scratch']);
    expect(stored.requestId.split(',')).toHaveLength(2);
  });

  it('keeps AccessDenied on ListTableBuckets as evidence, with no table bucket assumed', async () => {
    const r = await collect(
      scenario({
        faults: [
          {
            service: 's3tables',
            operation: 'ListTableBuckets',
            action: { kind: 'error', status: 403, code: 'AccessDeniedException' },
          },
        ],
      }),
    );
    const eu = region(r, 'eu-west-1');
    expect(eu.list.outcome).toBe('access_denied');
    expect(eu.list.outcome !== 'ok' && eu.list.error.code).toBe('AccessDeniedException');
    expect(eu.buckets).toEqual([]);
  });

  it('keeps AccessDenied on one table encryption beside the others', async () => {
    const r = await collect(
      scenario({
        faults: [
          {
            service: 's3tables',
            operation: 'GetTableEncryption',
            key: 'web/clicks',
            action: { kind: 'error', status: 403, code: 'AccessDeniedException', message: 'no' },
          },
        ],
      }),
    );
    const outcomes = region(r, 'eu-west-1').buckets[0]!.tableEncryption.map((t) => `${t.name}:${t.encryption.outcome}`);
    expect(outcomes).toEqual(['orders:ok', 'refunds:ok', 'clicks:access_denied']);
  });

  it('records a region without S3 Tables as an unreadable list', async () => {
    const r = await collect(scenario({ tablesUnsupportedRegions: ['ap-east-1'] }), ['ap-east-1', 'eu-west-1']);
    const hk = region(r, 'ap-east-1');
    expect(hk.list.outcome).toBe('error');
    expect(hk.list.outcome !== 'ok' && hk.list.error.code).toBe('UnrecognizedClientException');
    expect(hk.buckets).toEqual([]);
    expect(region(r, 'eu-west-1').buckets).toHaveLength(2);
  });

  it('reads an encryption answer without its configuration as unreadable, never as unencrypted', async () => {
    const r = await collect(
      scenario({
        faults: [
          {
            service: 's3tables',
            operation: 'GetTableBucketEncryption',
            bucket: 'analytics',
            action: { kind: 'wrong-shape' },
          },
        ],
      }),
    );
    const enc = region(r, 'eu-west-1').buckets[0]!.encryption;
    expect(enc.outcome).toBe('error');
    expect(enc.outcome !== 'ok' && enc.error.code).toBe('UnreadableEvidence');
  });

  it('leaves out table buckets the name patterns exclude, with the reason', async () => {
    const r = await collect(scenario(), undefined, { include: ['ana*'] });
    const eu = region(r, 'eu-west-1');
    expect(eu.buckets.map((b) => b.name)).toEqual(['analytics']);
    expect(eu.excluded).toEqual([{ name: 'scratch', reason: 'not matched by include patterns "ana*"' }]);
  });
});
