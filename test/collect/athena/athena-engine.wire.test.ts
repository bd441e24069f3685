/**
 * The Athena call flow at the wire level: the real @aws-sdk/client-athena against the fake Athena
 * endpoint (test/support/fake-aws/athena.ts), which executes what it is sent on DuckDB over local
 * copies of the S3 locations. Results are held equal to the streaming engine's; FAILED and
 * CANCELLED queries, a workgroup's scan cutoff and the configured scan limit make the evidence
 * unverified with the reason, never zero.
 */
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../../src/collect/athena/athena-engine.js';
import { collectInventory } from '../../../src/collect/inventory/index.js';
import { ORC_INVENTORY } from '../../../src/collect/inventory/manifest.js';
import { reportWindow } from '../../../src/collect/inventory/report-window.js';
import { localTree, type TreeReader } from '../../../src/collect/tree/index.js';
import { scanAccessLogs } from '../../../src/collect/access-logs/scan-access-logs.js';
import { scanAccessLogsWithSql } from '../../../src/collect/athena/sql-access-logs.js';
import { scanCloudTrailWithSql } from '../../../src/collect/athena/sql-cloudtrail.js';
import { scanCloudTrail } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { periodFor } from '../../../src/config/period.js';
import { listFilesRecursive } from '../../../src/util/hash.js';
import type { AthenaEngineConfig } from '../../../src/config/schema.js';
import type { InventoryEvidence } from '../../../src/evidence/inventory.js';
import { startFakeAthena, type FakeAthena, type FakeAthenaOptions } from '../../support/fake-aws/athena.js';
import { writeInventoryParquet } from '../../support/duckdb-parquet.js';
import { writeReport } from '../inventory/build-report.js';

const DEST = 's3://example-inventory-destination-bucket/inventory/';
const BUCKET = 'example-source-bucket';
const CONFIG = 'daily-encryption';
const OCTOBER = reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 7 });
const ATHENA: Pick<AthenaEngineConfig, 'workgroup' | 'database' | 'resultsLocation'> = {
  workgroup: 'evidence',
  database: 's3_evidence',
  resultsLocation: 's3://athena-results-bucket/s3-evidence/',
};

let work: string;
let root: string;
let fake: FakeAthena | undefined;

/** The basic fixture's tree, with the symlink.txt S3 delivers beside the report listing every data file of its manifest. */
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'athena-wire-'));
  root = path.join(work, 'inventory');
  await cp(path.resolve('test/fixtures/inventory/basic'), root, { recursive: true });
  const manifest = JSON.parse(
    await readFile(path.join(root, BUCKET, CONFIG, '2026-11-01T06-00Z', 'manifest.json'), 'utf8'),
  ) as { files: Array<{ key: string }> };
  const hive = path.join(root, BUCKET, CONFIG, 'hive', 'dt=2026-11-01-06-00');
  await mkdir(hive, { recursive: true });
  await writeFile(
    path.join(hive, 'symlink.txt'),
    manifest.files.map((f) => `s3://example-inventory-destination-bucket/${f.key}\n`).join(''),
  );
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await rm(work, { recursive: true, force: true });
});

/** s3://example-inventory-destination-bucket/inventory/… is the local copy under `root`; s3://logs/… the access-log fixtures. */
function localOf(url: string): string {
  if (url.startsWith(DEST)) return path.join(root, url.slice(DEST.length));
  if (url.startsWith('s3://example-inventory-destination-bucket/'))
    return path.join(root, url.slice(url.indexOf(BUCKET)));
  if (url.startsWith('s3://logs/'))
    return path.join(path.resolve('test/fixtures/access-logs'), url.slice('s3://logs/'.length));
  if (url.startsWith('s3://trail/'))
    return path.join(path.resolve('test/fixtures/cloudtrail'), url.slice('s3://trail/'.length));
  throw new Error(`no local copy of ${url}`);
}

/** The local tree as the S3 prefix it copies: what the tool reads the manifest from and names in the tables. */
function s3Tree(local: string, url: string): TreeReader {
  const tree = localTree(local);
  return { ...tree, description: url, locate: (p: string) => `${url}${p}` };
}

async function engineFor(options: Partial<FakeAthenaOptions> = {}, config: Partial<AthenaEngineConfig> = {}) {
  fake = await startFakeAthena({ localOf, workgroups: { evidence: {} }, pageRows: 2, ...options });
  const client = new AthenaClient({
    region: 'eu-west-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    maxAttempts: 1,
  });
  const waits: number[] = [];
  const engine = new AthenaEngine({
    client,
    config: { ...ATHENA, ...config },
    poll: { firstMs: 100, maxMs: 400, timeoutMs: 60_000 },
    sleep: async (ms) => void waits.push(ms),
  });
  return { engine, waits, fake };
}

async function inventory(sql?: AthenaEngine): Promise<{ e: InventoryEvidence; csv: string | null }> {
  const csvPath = path.join(work, 'out', sql ? 'athena.csv' : 'stream.csv');
  const e = await collectInventory({
    trees: [s3Tree(root, DEST)],
    bucket: BUCKET,
    window: OCTOBER,
    unencryptedCsvPath: csvPath,
    unencryptedCsvRelative: 'exports/unencrypted.csv',
    workers: 'in-process',
    ...(sql ? { sql } : {}),
  });
  const csv = await readFile(csvPath, 'utf8').catch(() => null);
  return { e, csv };
}

const sorted = (csv: string | null) => (csv ?? '').split('\n').filter(Boolean).sort();

describe('Athena engine over the wire', () => {
  it('creates the documented inventory table, polls with backoff, pages the results, and equals the streaming engine', async () => {
    const { engine, waits, fake } = await engineFor();
    const athena = await inventory(engine);
    const stream = await inventory();
    expect(athena.e.status).toBe('ok');
    expect(stream.e.status).toBe('ok');
    if (athena.e.status !== 'ok' || stream.e.status !== 'ok') return;
    expect(athena.e.tally).toEqual(stream.e.tally);
    expect(athena.e.unknownStatus).toEqual(stream.e.unknownStatus);
    expect(athena.e.deleteMarkers).toBe(stream.e.deleteMarkers);
    expect(athena.e.largestUnencrypted).toEqual(stream.e.largestUnencrypted);
    expect(athena.e.unencryptedExport.rows).toBe(stream.e.unencryptedExport.rows);
    expect(sorted(athena.csv)).toEqual(sorted(stream.csv));
    expect(athena.e.files).toEqual([]);

    const queries = athena.e.sqlQueries!;
    expect(queries.map((q) => q.purpose)).toEqual([
      'create database',
      expect.stringMatching(/^create table s3evidence_inventory_[0-9a-f]{16}$/),
      'inventory tally',
      'inventory unencrypted objects',
    ]);
    expect(queries.map((q) => q.queryId)).toEqual([
      'fake-query-0001',
      'fake-query-0002',
      'fake-query-0003',
      'fake-query-0004',
    ]);
    expect(queries.every((q) => q.state === 'SUCCEEDED')).toBe(true);
    const ddl = queries[1]!.sql;
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'");
    expect(ddl).toContain("STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'");
    expect(ddl).toContain(`LOCATION '${DEST}${BUCKET}/${CONFIG}/hive/'`);
    expect(ddl).toContain("'projection.dt.format' = 'yyyy-MM-dd-HH-mm'");
    expect(queries[2]!.sql).toContain("WHERE dt = '2026-11-01-06-00'");
    // Data scanned: the two gzipped data files the symlink lists; billed at Athena's 10 MB minimum.
    const dataDir = path.join(root, BUCKET, CONFIG, 'data');
    const bytes =
      (await stat(path.join(dataDir, '939c6d46-85a9-4ba8-87bd-9db705a579ce.csv.gz'))).size +
      (await stat(path.join(dataDir, 'a1f0e2d3-0b9c-4c1e-9a7d-5e6f7a8b9c0d.csv.gz'))).size;
    expect(queries[2]!.dataScannedBytes).toBe(bytes);
    expect(queries[2]!.costUsd).toBe(0.00005); // 10^7 bytes / 10^12 × $5
    expect(queries[0]!.costUsd).toBe(0);
    // Two RUNNING answers per query before the end: waits of 100 then 200 ms, four times.
    expect(waits).toEqual([100, 200, 100, 200, 100, 200, 100, 200]);
    // Results came two rows a page: the unencrypted list (header + rows) took several pages.
    const pages = fake.calls.filter(
      (c) => c.operation === 'GetQueryResults' && c.input.QueryExecutionId === 'fake-query-0004',
    );
    expect(pages.length).toBe(Math.ceil((stream.e.unencryptedExport.rows + 1) / 2));
    expect(pages.slice(1).every((c) => typeof c.input.NextToken === 'string')).toBe(true);
    const start = fake.calls.find((c) => c.operation === 'StartQueryExecution')!.input;
    expect(start.WorkGroup).toBe('evidence');
    expect(start.ResultConfiguration).toEqual({ OutputLocation: ATHENA.resultsLocation });
    expect(start.QueryExecutionContext).toEqual({ Database: 's3_evidence', Catalog: 'AwsDataCatalog' });
  });

  for (const state of ['FAILED', 'CANCELLED'] as const) {
    it(`a ${state} query makes the report unverified with its reason, and leaves no unencrypted list`, async () => {
      const reason =
        state === 'FAILED' ? 'HIVE_BAD_DATA: Error parsing field value' : 'Query was cancelled by the user';
      const { engine } = await engineFor({ faults: [{ sql: /row_class/, state, reason }] });
      const { e, csv } = await inventory(engine);
      expect(e.status).toBe('unverified');
      if (e.status !== 'unverified') return;
      expect(e.reason).toBe(
        `the athena query could not be read: inventory tally: query fake-query-0003 ${state}: ${reason}`,
      );
      expect(e.sqlQueries!.at(-1)).toMatchObject({ purpose: 'inventory tally', state, reason });
      expect(csv).toBeNull();
    });
  }

  it("the workgroup's BytesScannedCutoffPerQuery cancels the query: unverified, with Athena's reason", async () => {
    const { engine } = await engineFor({ workgroups: { evidence: { bytesScannedCutoffPerQuery: 100 } } });
    const { e } = await inventory(engine);
    expect(e.status).toBe('unverified');
    if (e.status !== 'unverified') return;
    expect(e.sqlQueries!.at(-1)).toMatchObject({
      state: 'CANCELLED',
      reason: 'Query cancelled! : Bytes scanned limit was exceeded',
    });
  });

  it('past the configured scanLimitBytes the query is stopped: unverified, naming the limit', async () => {
    const { engine, fake } = await engineFor({}, { scanLimitBytes: 200 });
    const { e } = await inventory(engine);
    expect(e.status).toBe('unverified');
    if (e.status !== 'unverified') return;
    const last = e.sqlQueries!.at(-1)!;
    expect(last.state).toBe('CANCELLED');
    expect(last.reason).toMatch(/^scanned \d+ bytes, over the configured limit of 200 bytes \(scanLimitBytes\)$/);
    expect(
      fake.calls.some((c) => c.operation === 'StopQueryExecution' && c.input.QueryExecutionId === last.queryId),
    ).toBe(true);
  });

  it('an ORC report is read through Athena (locally it stays unsupported, with the way out named)', async () => {
    const orcRoot = path.join(work, 'orc');
    const rows = Array.from({ length: 30 }, (_, i) => ({
      bucket: 'src-bucket',
      key: `k/${i}`,
      size: i * 10,
      encryption_status: i % 3 === 0 ? 'NOT-SSE' : 'SSE-KMS',
      last_modified_date: '2026-10-0' + String(1 + (i % 9)) + 'T00:00:00.000Z',
    }));
    const file = path.join(work, 'orc-standin.parquet');
    await writeInventoryParquet(file, rows, { compression: 'snappy' });
    await writeReport({
      root: orcRoot,
      folder: '2026-11-01T00-00Z',
      fileFormat: 'ORC',
      fileSchemaText:
        'struct<bucket:string,key:string,version_id:string,is_latest:boolean,is_delete_marker:boolean,size:bigint,' +
        'last_modified_date:timestamp,e_tag:string,storage_class:string,encryption_status:string>',
      files: [{ name: 'part-0.orc', bytes: await readFile(file) }],
    });
    const hive = path.join(orcRoot, 'src-bucket', 'daily', 'hive', 'dt=2026-11-01-00-00');
    await mkdir(hive, { recursive: true });
    await writeFile(path.join(hive, 'symlink.txt'), 's3://orc-dest/src-bucket/daily/data/part-0.orc\n');
    fake = await startFakeAthena({
      localOf: (u) => path.join(orcRoot, u.replace(/^s3:\/\/orc-dest\//, '')),
      workgroups: { evidence: {} },
    });
    const client = new AthenaClient({
      region: 'eu-west-1',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
      maxAttempts: 1,
    });
    const engine = new AthenaEngine({ client, config: ATHENA, sleep: async () => undefined });
    const read = (sql?: AthenaEngine) =>
      collectInventory({
        trees: [s3Tree(orcRoot, 's3://orc-dest/')],
        bucket: 'src-bucket',
        window: OCTOBER,
        unencryptedCsvPath: path.join(work, 'orc-out', 'u.csv'),
        unencryptedCsvRelative: 'exports/u.csv',
        ...(sql ? { sql } : {}),
      });
    const local = await read();
    expect(local.status).toBe('unverified');
    if (local.status === 'unverified') expect(local.reason).toBe(ORC_INVENTORY);
    const e = await read(engine);
    expect(e.status).toBe('ok');
    if (e.status !== 'ok') return;
    // Independently: 10 of the 30 rows are NOT-SSE (i = 0, 3, … 27), sizes 0 + 30 + … + 270 = 1350.
    expect(e.tally['NOT-SSE']).toEqual({ objects: 10, bytes: 1350 });
    expect(e.tally['SSE-KMS']).toEqual({ objects: 20, bytes: (10 * 29 * 30) / 2 - 1350 });
    expect(e.sqlQueries![1]!.sql).toContain("ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.orc.OrcSerde'");
    expect(e.sqlQueries![1]!.sql).toContain('`size` bigint');
  });

  it("access logs (date-based key format): the partitioned table, and the streaming engine's counts", async () => {
    const { engine } = await engineFor({ pageRows: 3 });
    const period = periodFor('2026-10', 'Europe/Berlin');
    const local = path.resolve('test/fixtures/access-logs/partitioned');
    const sql = await scanAccessLogsWithSql({
      engine,
      tree: s3Tree(local, 's3://logs/partitioned/'),
      location: 's3://logs/partitioned/',
      period,
      buckets: ['acme-data'],
    });
    const stream = await scanAccessLogs(localTree(local), { period, buckets: ['acme-data'], workers: 'in-process' });
    expect(sql.problems).toEqual([]);
    expect(sql.recordsInPeriod).toBe(stream.recordsInPeriod);
    expect(sql.byBucketDay).toEqual(stream.byBucketDay);
    expect(sql.denied.map((d) => d.requestId)).toEqual(stream.denied.map((d) => d.requestId));
    const ddl = sql.sqlQueries!.find((q) => q.purpose.startsWith('create table'))!.sql;
    expect(ddl).toContain(
      "'storage.location.template' = 's3://logs/partitioned/111122223333/eu-west-1/acme-data/${timestamp}'",
    );
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'");
    expect(sql.sqlQueries!.find((q) => q.purpose === 'access-log totals')!.sql).toContain(
      `"timestamp" BETWEEN '2026/09/29' AND '2026/11/01'`,
    );
  });

  describe('CloudTrail', () => {
    const period = periodFor('2026-10', 'Europe/Berlin');
    const local = path.resolve('test/fixtures/cloudtrail');
    const read = (engine: AthenaEngine) =>
      scanCloudTrailWithSql({ engine, tree: s3Tree(local, 's3://trail/'), location: 's3://trail/', period });

    it("a table per trail folder (AWS's CloudTrail table, day folders projected), paged results equal to the streaming engine's", async () => {
      const { engine } = await engineFor({ pageRows: 2 });
      const sql = await read(engine);
      const stream = await scanCloudTrail(localTree(local), { period, workers: 'in-process' });
      expect(sql.problems).toEqual([]);
      expect(sql.recordsInPeriod).toBe(stream.recordsInPeriod);
      expect(sql.s3DataEventsByBucketDay).toEqual(stream.s3DataEventsByBucketDay);
      expect(sql.denied.map(({ record: _r, ...d }) => d)).toEqual(stream.denied.map(({ record: _r, ...d }) => d));
      expect(sql.kmsTallies).toEqual(stream.kmsTallies);
      expect(sql.kmsManagementEvents).toEqual(stream.kmsManagementEvents);
      const tables = sql.sqlQueries!.filter((q) => q.purpose.startsWith('create table'));
      expect(tables.length).toBe(2);
      expect(tables[0]!.sql).toContain("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
      expect(tables[0]!.sql).toContain("STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'");
      expect(tables[0]!.sql).toContain("LOCATION 's3://trail/AWSLogs/111122223333/CloudTrail/eu-west-1/'");
      expect(tables[1]!.sql).toContain(
        "'storage.location.template' = 's3://trail/AWSLogs/o-exampleorg1/444455556666/CloudTrail/us-east-1/${timestamp}'",
      );
      const calls = sql.sqlQueries!.find((q) => q.purpose === 'CloudTrail KMS calls')!;
      expect(calls.state).toBe('SUCCEEDED');
      expect(calls.sql).toContain(`"timestamp" BETWEEN '2026/09/29' AND '2026/11/01'`);
      // Both trail folders' files are what each query over both tables scans.
      let bytes = 0;
      for (const f of await listFilesRecursive(path.join(local, 'AWSLogs')))
        if (f.includes('/CloudTrail/')) bytes += (await stat(path.join(local, 'AWSLogs', f))).size;
      expect(calls.dataScannedBytes).toBe(bytes);
    });

    it('a FAILED query: the scan holds the reason and no counts, never a clean empty scan', async () => {
      const reason = 'HIVE_CURSOR_ERROR: Row is not a valid JSON Object';
      const { engine } = await engineFor({ faults: [{ sql: /count\(\*\) AS calls/, state: 'FAILED', reason }] });
      const sql = await read(engine);
      expect(sql.problems).toEqual([
        {
          file: 's3://trail/',
          message: expect.stringMatching(
            new RegExp(`^CloudTrail logs unreadable: CloudTrail KMS calls: query fake-query-\\d+ FAILED: ${reason}$`),
          ) as string,
        },
      ]);
      expect(sql.kmsTallies).toEqual([]);
      expect(sql.denied).toEqual([]);
      expect(sql.recordsInPeriod).toBe(0);
      expect(sql.sqlQueries!.at(-1)).toMatchObject({ purpose: 'CloudTrail KMS calls', state: 'FAILED', reason });
    });
  });
});
