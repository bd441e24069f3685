/**
 * One truth, two engines: the aggregation SQL (run here by DuckDB over the local fixture trees)
 * gives what the streaming engine gives, fixture by fixture: inventory CSV and Parquet (coverage
 * counts and bytes per status, delete markers, empty statuses, the unencrypted list, its largest
 * and oldest), access logs of both key formats (records per bucket and day, denied uploads),
 * CloudTrail trees (S3 data events per bucket and day, denied uploads, KMS call tallies by key,
 * principal, operation, day and bucket, key-management events), plain and gzipped.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../../src/collect/inventory/index.js';
import { reportWindow } from '../../../src/collect/inventory/report-window.js';
import { localTree } from '../../../src/collect/tree/index.js';
import { periodFor } from '../../../src/config/period.js';
import type { InventoryEvidence } from '../../../src/evidence/inventory.js';
import { scanAccessLogs } from '../../../src/collect/access-logs/scan-access-logs.js';
import { scanAccessLogsWithSql } from '../../../src/collect/athena/sql-access-logs.js';
import type { AccessLogScan, CloudTrailScan } from '../../../src/evidence/log-scans.js';
import { scanCloudTrail } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { scanCloudTrailWithSql } from '../../../src/collect/athena/sql-cloudtrail.js';
import { gzippedCopy } from '../cloudtrail/gzip-tree.js';
import { DuckdbEngine, duckdbConnection } from '../../support/duckdb-engine.js';
import { PARQUET_FILE_SCHEMA, writeInventoryParquet, type ParquetInventoryRow } from '../../support/duckdb-parquet.js';
import { writeReport } from '../inventory/build-report.js';

const FIXTURES = path.resolve('test/fixtures');
let work: string;
let engine: DuckdbEngine;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'engine-equivalence-'));
  engine = new DuckdbEngine(await duckdbConnection(), (l) => l, 7);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function bothInventories(root: string, bucket: string, period: string, name: string) {
  const window = reportWindow(periodFor(period, 'UTC'), { maxDaysAfterPeriod: 7 });
  const run = async (label: string, sql?: DuckdbEngine) => {
    const csv = path.join(work, `${name}-${label}.csv`);
    const e = await collectInventory({
      trees: [localTree(root)],
      bucket,
      window,
      unencryptedCsvPath: csv,
      unencryptedCsvRelative: 'exports/unencrypted.csv',
      workers: 'in-process',
      ...(sql ? { sql } : {}),
    });
    const lines = e.status === 'ok' ? (await readFile(csv, 'utf8')).split('\n').filter(Boolean) : [];
    return { e, lines };
  };
  return { stream: await run('stream'), sql: await run('sql', engine) };
}

/** What both engines must agree on (the streaming engine also lists data files and their MD5s; SQL leaves them to Athena). */
function aggregates(e: InventoryEvidence) {
  if (e.status !== 'ok') return e;
  const { files: _files, sqlQueries: _queries, ...rest } = e;
  return rest;
}

describe('inventory: streaming engine = SQL on DuckDB', () => {
  it('CSV (the basic fixture: URL-encoded keys, quotes, commas, every status)', async () => {
    const root = path.join(FIXTURES, 'inventory', 'basic');
    const { stream, sql } = await bothInventories(root, 'example-source-bucket', '2026-10', 'csv');
    expect(stream.e.status).toBe('ok');
    expect(aggregates(sql.e)).toEqual(aggregates(stream.e));
    // The list holds the same objects (SQL lists them in key order, the stream in file order).
    expect([...sql.lines].sort()).toEqual([...stream.lines].sort());
    expect(sql.lines.length).toBeGreaterThan(1);
    // Independently of both engines: the fixture's NOT-SSE rows, from the source CSVs.
    const sources = await Promise.all(
      ['part-1.csv', 'part-2.csv'].map((f) => readFile(path.join(FIXTURES, 'inventory', 'source', f), 'utf8')),
    );
    const notSse = sources
      .join('')
      .split('\n')
      .filter((l) => l.includes('"NOT-SSE"')).length;
    expect(sql.lines.length).toBe(notSse + 1); // + the header line
  });

  it('Parquet written by DuckDB (delete markers, null statuses, non-ASCII keys, two files)', async () => {
    const root = path.join(work, 'parquet');
    const rows = (file: number): ParquetInventoryRow[] =>
      Array.from({ length: 900 }, (_, i) => {
        const deleteMarker = i % 41 === 7;
        const statuses = ['SSE-S3', 'NOT-SSE', 'SSE-KMS', null, 'DSSE-KMS', 'SSE-C', 'NOT-SSE'] as const;
        return {
          bucket: 'src-bucket',
          key: `${['a b+c', 'ünï/файл', 'x,"y"'][i % 3]}-${file}-${i}`,
          version_id: `v${file}-${i}`,
          is_latest: i % 4 !== 0,
          is_delete_marker: deleteMarker,
          size: deleteMarker ? null : (i * 7919 + file) % 3_000_000,
          last_modified_date: new Date(Date.UTC(2026, 8, 1 + (i % 30), i % 24, i % 60, i % 60, i % 1000)).toISOString(),
          storage_class: deleteMarker ? null : 'STANDARD',
          encryption_status: deleteMarker ? null : statuses[i % statuses.length]!,
        };
      });
    const files = [];
    for (const f of [1, 2]) {
      const file = path.join(work, `inv-${f}.parquet`);
      await writeInventoryParquet(file, rows(f), { compression: 'zstd', rowGroupSize: 256 });
      files.push({ name: `part-${f}.parquet`, bytes: await readFile(file) });
    }
    await writeReport({
      root,
      folder: '2026-11-01T00-00Z',
      fileFormat: 'Parquet',
      fileSchemaText: PARQUET_FILE_SCHEMA,
      files,
    });
    const { stream, sql } = await bothInventories(root, 'src-bucket', '2026-10', 'parquet');
    expect(stream.e.status).toBe('ok');
    expect(aggregates(sql.e)).toEqual(aggregates(stream.e));
    expect([...sql.lines].sort()).toEqual([...stream.lines].sort());
    // Independently: NOT-SSE rows of both files (every 7 rows two, minus delete markers).
    const all = [...rows(1), ...rows(2)];
    expect(sql.lines.length - 1).toBe(all.filter((r) => r.encryption_status === 'NOT-SSE').length);
    if (sql.e.status === 'ok') expect(sql.e.deleteMarkers).toBe(all.filter((r) => r.is_delete_marker).length);
  });
});

/** What both engines must agree on for access logs (lines are numbered only by the stream; files are listed by it). */
function logAggregates(scan: AccessLogScan) {
  return {
    recordsInPeriod: scan.recordsInPeriod,
    byBucketDay: scan.byBucketDay,
    denied: scan.denied.map(({ line: _line, file, ...d }) => ({ ...d, file: path.basename(file) })),
    problems: scan.problems,
  };
}

describe('access logs: streaming engine = SQL on DuckDB', () => {
  const period = periodFor('2026-10', 'Europe/Berlin');
  for (const [layout, buckets] of [
    ['simple', ['acme-data', 'acme-logs', 'acme-archive']],
    ['partitioned', ['acme-data']],
  ] as const) {
    it(`${layout} key format`, async () => {
      const root = path.join(FIXTURES, 'access-logs', layout);
      const stream = await scanAccessLogs(localTree(root), { period, buckets, workers: 'in-process' });
      const sql = await scanAccessLogsWithSql({ engine, tree: localTree(root), location: root, period, buckets });
      expect(logAggregates(sql)).toEqual(logAggregates(stream));
      expect(stream.recordsInPeriod).toBeGreaterThan(0);
      expect(stream.denied.length).toBeGreaterThan(0);
    });
  }
});

/**
 * A scan limited to k of the n refused uploads: the first k of the unlimited scan's (in the query's
 * time order), the rest counted; the query itself carries the limit, so the engine never pages out
 * more than k rows.
 */
function expectFirstItemised<S extends AccessLogScan | CloudTrailScan>(
  limited: S,
  all: S,
  k: number,
  n: number,
  purpose: string,
): void {
  expect(limited.denied).toEqual(all.denied.slice(0, k));
  expect(limited.deniedPastLimit).toEqual({ limit: k, count: n - k });
  expect(limited.sqlQueries?.find((q) => q.purpose === purpose)?.sql).toMatch(new RegExp(`\\nLIMIT ${k}$`));
}

describe('access logs: SQL itemises at most sources.maxDeniedUploads and counts the rest where the logs lie', () => {
  const period = periodFor('2026-10', 'Europe/Berlin');
  const buckets = ['acme-data', 'acme-logs', 'acme-archive'];
  const root = path.join(FIXTURES, 'access-logs', 'simple');

  it('one table: the first k in time order, the rest counted, every other figure unchanged', async () => {
    const stream = await scanAccessLogs(localTree(root), { period, buckets, workers: 'in-process' });
    const all = await scanAccessLogsWithSql({ engine, tree: localTree(root), location: root, period, buckets });
    const n = stream.denied.length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(all.deniedPastLimit).toBeUndefined();
    for (const k of [1, 2, n - 1]) {
      const limited = await scanAccessLogsWithSql({
        engine,
        tree: localTree(root),
        location: root,
        period,
        buckets,
        maxDenied: k,
      });
      expectFirstItemised(limited, all, k, n, 'access-log denied uploads');
      expect(limited.byBucketDay).toEqual(all.byBucketDay);
      expect(limited.recordsInPeriod).toBe(all.recordsInPeriod);
      expect(limited.problems).toEqual([]);
    }
    const exact = await scanAccessLogsWithSql({
      engine,
      tree: localTree(root),
      location: root,
      period,
      buckets,
      maxDenied: n,
    });
    expect(exact.denied).toEqual(all.denied);
    expect(exact.deniedPastLimit).toBeUndefined();
  });

  it('tables of several buckets share one limit: what the first leaves, the next may itemise', async () => {
    // Two bucket folders of the date-based key format whose logs both name acme-data: each table
    // reads the same lines, so the location holds twice the one folder's refused uploads.
    const tree = path.join(work, 'two-tables');
    const from = path.join(FIXTURES, 'access-logs', 'partitioned', '111122223333', 'eu-west-1', 'acme-data');
    for (const folder of ['acme-data', 'acme-data-copy'])
      await cp(from, path.join(tree, '111122223333', 'eu-west-1', folder), { recursive: true });
    const scan = (maxDenied?: number) =>
      scanAccessLogsWithSql({
        engine,
        tree: localTree(tree),
        location: tree,
        period,
        buckets: ['acme-data', 'acme-data-copy'],
        ...(maxDenied ? { maxDenied } : {}),
      });
    const one = await scanAccessLogsWithSql({
      engine,
      tree: localTree(path.join(FIXTURES, 'access-logs', 'partitioned')),
      location: path.join(FIXTURES, 'access-logs', 'partitioned'),
      period,
      buckets: ['acme-data'],
    });
    const n = one.denied.length;
    expect(n).toBeGreaterThanOrEqual(1);
    const all = await scan();
    expect(all.denied).toHaveLength(2 * n);
    for (const k of [1, n, n + 1]) {
      if (k >= 2 * n) continue;
      const limited = await scan(k);
      expect(limited.denied).toHaveLength(k);
      expect(limited.deniedPastLimit).toEqual({ limit: k, count: 2 * n - k });
    }
  });
});

/** A CloudTrail scan by SQL of the tree at `root`, read as its own location. */
function sqlTrail(root: string, period: ReturnType<typeof periodFor>, maxDenied?: number): Promise<CloudTrailScan> {
  return scanCloudTrailWithSql({
    engine,
    tree: localTree(root),
    location: root,
    period,
    ...(maxDenied ? { maxDenied } : {}),
  });
}

/** What both engines must agree on for CloudTrail (a record's index in its file is the stream's alone). */
function trailAggregates(scan: CloudTrailScan) {
  return {
    trails: scan.trails,
    filesRead: scan.filesRead,
    recordsInPeriod: scan.recordsInPeriod,
    s3DataEvents: scan.s3DataEvents,
    s3DataEventsByBucketDay: scan.s3DataEventsByBucketDay,
    denied: scan.denied.map(({ record: _record, ...d }) => d),
    kmsEvents: scan.kmsEvents,
    kmsTallies: scan.kmsTallies,
    kmsManagementEvents: scan.kmsManagementEvents,
    problems: scan.problems,
    // Skipped entries and the first file holding one (Athena cannot tell a record's index in its file).
    skipped: scan.skipped.count,
    firstSkippedFile: scan.skipped.samples[0]?.file,
  };
}

describe('CloudTrail: streaming engine = SQL on DuckDB', () => {
  const cases = [
    ['cloudtrail', 'Europe/Berlin', 'plain .json files, an account and an organization trail'],
    ['cloudtrail', 'UTC', 'gzipped as CloudTrail delivers them'],
    ['cloudtrail-edge', 'UTC', 'KMS edge cases: resources null, an alias key id, a record delivered twice'],
  ] as const;
  for (const [fixture, zone, what] of cases) {
    it(`${fixture} (${zone}): ${what}`, async () => {
      const period = periodFor('2026-10', zone);
      const source = path.join(FIXTURES, fixture);
      const root = zone === 'UTC' ? await gzippedCopy(source) : source;
      try {
        const stream = await scanCloudTrail(localTree(root), { period, workers: 'in-process' });
        const sql = await scanCloudTrailWithSql({ engine, tree: localTree(root), location: root, period });
        expect(trailAggregates(sql)).toEqual(trailAggregates(stream));
        expect(sql.sqlQueries?.map((q) => q.purpose)).toEqual([
          'CloudTrail totals',
          'CloudTrail S3 data events per bucket and day',
          'CloudTrail denied uploads',
          'CloudTrail key-management events',
          'CloudTrail KMS calls',
        ]);
        // Independently of both engines: the fixtures hold KMS events and, except the edge cases, refused uploads.
        expect(stream.kmsTallies.length).toBeGreaterThan(0);
        expect(stream.kmsManagementEvents.length).toBeGreaterThan(0);
        if (fixture === 'cloudtrail') expect(stream.denied.length).toBeGreaterThan(0);
      } finally {
        if (root !== source) await rm(root, { recursive: true, force: true });
      }
    });
  }

  it('denied uploads past sources.maxDeniedUploads are counted by the query, the first k itemised', async () => {
    const period = periodFor('2026-10', 'Europe/Berlin');
    const root = path.join(FIXTURES, 'cloudtrail');
    const all = await scanCloudTrailWithSql({ engine, tree: localTree(root), location: root, period });
    const stream = await scanCloudTrail(localTree(root), { period, workers: 'in-process' });
    const n = stream.denied.length;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(all.deniedPastLimit).toBeUndefined();
    for (const k of [1, n - 1]) {
      const limited = await sqlTrail(root, period, k);
      expectFirstItemised(limited, all, k, n, 'CloudTrail denied uploads');
      expect(limited.kmsTallies).toEqual(all.kmsTallies);
      expect(limited.s3DataEventsByBucketDay).toEqual(all.s3DataEventsByBucketDay);
    }
    const exact = await scanCloudTrailWithSql({ engine, tree: localTree(root), location: root, period, maxDenied: n });
    expect(exact.denied).toEqual(all.denied);
    expect(exact.deniedPastLimit).toBeUndefined();
  });

  it('past the limit, every record of a refused upload is counted: copies in a second trail too', async () => {
    const period = periodFor('2026-10', 'Europe/Berlin');
    const source = path.join(FIXTURES, 'cloudtrail');
    // Every trail folder delivered twice (a second region's folder holding the same files): each
    // refused upload is one event of two records.
    const root = path.join(work, 'two-trails');
    await cp(source, root, { recursive: true });
    for (const [from, to] of [
      ['AWSLogs/111122223333/CloudTrail/eu-west-1', 'AWSLogs/111122223333/CloudTrail/eu-central-1'],
      [
        'AWSLogs/o-exampleorg1/444455556666/CloudTrail/us-east-1',
        'AWSLogs/o-exampleorg1/444455556666/CloudTrail/us-west-2',
      ],
    ] as const)
      await cp(path.join(source, from), path.join(root, to), { recursive: true });
    const n = (await scanCloudTrail(localTree(source), { period, workers: 'in-process' })).denied.length;
    const all = await scanCloudTrailWithSql({ engine, tree: localTree(root), location: root, period });
    expect(all.denied).toHaveLength(n);
    expect(all.deniedPastLimit).toBeUndefined();
    const k = 1;
    const limited = await sqlTrail(root, period, k);
    expect(limited.denied).toEqual(all.denied.slice(0, k));
    // The itemised event's two records are itemised; the other events' records are all counted.
    expect(limited.deniedPastLimit).toEqual({ limit: k, count: 2 * (n - k) });
  });

  it('KMS events LookupEvents also fetched: the same ones are noted as held by the trail files', async () => {
    const period = periodFor('2026-10', 'Europe/Berlin');
    const root = path.join(FIXTURES, 'cloudtrail');
    const ids = ['e0000002-0000-4000-8000-000000000006', 'e0000002-0000-4000-8000-000000000001', 'not-in-any-trail'];
    const stream = { eventIds: new Set(ids), seen: new Set<string>() };
    const sql = { eventIds: new Set(ids), seen: new Set<string>() };
    await scanCloudTrail(localTree(root), { period, workers: 'in-process', watchKmsEventIds: stream });
    await scanCloudTrailWithSql({ engine, tree: localTree(root), location: root, period, watchKmsEventIds: sql });
    expect([...sql.seen].sort()).toEqual([...stream.seen].sort());
    // Independently: DisableKeyRotation (…0006) and GenerateDataKey (…0001) of 5 October are in the trail.
    expect([...sql.seen].sort()).toEqual(ids.slice(0, 2).sort());
  });
});
