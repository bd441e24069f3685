import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectInventory, readUnencryptedCsv } from '../../../src/collect/inventory/index.js';
import { reportWindow, type ReportWindow } from '../../../src/collect/inventory/report-window.js';
import { localTree } from '../../../src/collect/tree/index.js';
import { periodFor } from '../../../src/config/period.js';
import type { InventoryEvidence } from '../../../src/evidence/inventory.js';
import { CURRENT_SCHEMA, csvRow, row, writeReport } from './build-report.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/inventory');
const BASIC = path.join(FIXTURES, 'basic');
const CONFIG_DIR = path.join(BASIC, 'example-source-bucket', 'daily-encryption');
const PART_1 = path.join(CONFIG_DIR, 'data', '939c6d46-85a9-4ba8-87bd-9db705a579ce.csv.gz');
const PART_2 = path.join(CONFIG_DIR, 'data', 'a1f0e2d3-0b9c-4c1e-9a7d-5e6f7a8b9c0d.csv.gz');

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'inventory-test-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** October 2026 in UTC (ends 2026-11-01T00:00Z), reports accepted up to 7 days after. */
const OCTOBER = reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 7 });

function collect(
  trees: string[],
  bucket: string,
  window: ReportWindow = OCTOBER,
  largestN?: number,
): Promise<InventoryEvidence> {
  return collectInventory({
    trees: trees.map((t) => localTree(t)),
    bucket,
    window,
    unencryptedCsvPath: path.join(work, 'packet', 'exports', 'unencrypted.csv'),
    unencryptedCsvRelative: 'exports/unencrypted.csv',
    ...(largestN !== undefined ? { largestN } : {}),
  });
}

function expectStatus<S extends InventoryEvidence['status']>(
  e: InventoryEvidence,
  status: S,
): asserts e is Extract<InventoryEvidence, { status: S }> {
  expect(e.status, JSON.stringify(e, null, 2)).toBe(status);
}

async function exportExists(): Promise<boolean> {
  const dir = path.join(work, 'packet', 'exports');
  return (await readdir(dir).catch(() => [] as string[])).length > 0;
}

describe('the fixture report (10 rows in two files, destination prefix "inventory")', () => {
  it('fixture data files are exactly the reviewable CSVs under source/', async () => {
    expect(gunzipSync(await readFile(PART_1)).toString('utf8')).toBe(
      await readFile(path.join(FIXTURES, 'source/part-1.csv'), 'utf8'),
    );
    expect(gunzipSync(await readFile(PART_2)).toString('utf8')).toBe(
      await readFile(path.join(FIXTURES, 'source/part-2.csv'), 'utf8'),
    );
  });

  it('counts objects and bytes per encryption status, delete markers and empty statuses apart', async () => {
    const e = await collect([BASIC], 'example-source-bucket');
    expectStatus(e, 'ok');
    // part-1: SSE-S3 1000, NOT-SSE 5000, SSE-KMS 2500, NOT-SSE 700, DSSE-KMS 4000, SSE-C 300
    // part-2: delete marker, NOT-SSE 12000, SSE-S3 0, (empty status) 123
    expect(e.tally).toEqual({
      'NOT-SSE': { objects: 3, bytes: 17700 },
      'SSE-S3': { objects: 2, bytes: 1000 },
      'SSE-C': { objects: 1, bytes: 300 },
      'SSE-KMS': { objects: 1, bytes: 2500 },
      'DSSE-KMS': { objects: 1, bytes: 4000 },
    });
    expect(e.deleteMarkers).toBe(1);
    expect(e.unknownStatus).toEqual({ objects: 1, bytes: 123 });
    expect(e.includesVersions).toBe(true);
  });

  it('records which report it read and how it verified it', async () => {
    const e = await collect([BASIC], 'example-source-bucket');
    expectStatus(e, 'ok');
    const manifestFile = path.join(CONFIG_DIR, '2026-11-01T06-00Z', 'manifest.json');
    expect(e.bucket).toBe('example-source-bucket');
    expect(e.configId).toBe('daily-encryption');
    expect(e.reportDate).toBe('2026-11-01T06:00:00Z');
    expect(e.manifestLocation).toBe(manifestFile);
    expect(e.manifestSha256).toBe(
      createHash('sha256')
        .update(await readFile(manifestFile))
        .digest('hex'),
    );
    expect(e.fileFormat).toBe('CSV');
    expect(e.fileSchema).toHaveLength(18);
    expect(e.fileSchema[11]).toBe('EncryptionStatus');
    expect(e.creationTimestamp).toBe('1793512800000'); // 2026-11-01T06:00:00Z
    expect(e.files).toEqual([
      {
        key: 'inventory/example-source-bucket/daily-encryption/data/939c6d46-85a9-4ba8-87bd-9db705a579ce.csv.gz',
        location: PART_1,
        expectedMd5: createHash('md5')
          .update(await readFile(PART_1))
          .digest('hex'),
        actualMd5: createHash('md5')
          .update(await readFile(PART_1))
          .digest('hex'),
        rows: 6,
        bytesCompressed: (await readFile(PART_1)).length,
      },
      {
        key: 'inventory/example-source-bucket/daily-encryption/data/a1f0e2d3-0b9c-4c1e-9a7d-5e6f7a8b9c0d.csv.gz',
        location: PART_2,
        expectedMd5: createHash('md5')
          .update(await readFile(PART_2))
          .digest('hex'),
        actualMd5: createHash('md5')
          .update(await readFile(PART_2))
          .digest('hex'),
        rows: 4,
        bytesCompressed: (await readFile(PART_2)).length,
      },
    ]);
  });

  it('decodes keys (+ is a space, %2B a plus, %C3%A9 é) and unescapes "" inside quoted fields', async () => {
    const e = await collect([BASIC], 'example-source-bucket');
    expectStatus(e, 'ok');
    expect(e.largestUnencrypted).toEqual([
      { key: 'big/dump + more.bin', versionId: 'v8', size: 12000, lastModified: '2025-06-01T00:00:00.000Z' },
      {
        key: 'reports/annual report, 2025.pdf',
        versionId: 'Q8z1JbN2rV0oMWD6p4kFh7TtsYcE9aLx',
        size: 5000,
        lastModified: '2024-02-10T08:00:00.000Z',
      },
      {
        key: 'logs/say "hi".txt',
        versionId: 'Kp3Lm5Nq7Rs9Tu1Vw3Xy5Za7Bc9De1Fg',
        size: 700,
        lastModified: '2023-11-05T12:30:00.000Z',
      },
    ]);
    expect(e.oldestUnencryptedLastModified).toBe('2023-11-05T12:30:00.000Z');
  });

  it('streams every NOT-SSE object to the unencrypted CSV, quoted where needed', async () => {
    const e = await collect([BASIC], 'example-source-bucket');
    expectStatus(e, 'ok');
    expect(e.unencryptedExport).toEqual({ file: 'exports/unencrypted.csv', rows: 3 });
    expect(await readFile(path.join(work, 'packet', 'exports', 'unencrypted.csv'), 'utf8')).toBe(
      'bucket,key,version_id,is_latest,size,last_modified_date,storage_class,encryption_status\r\n' +
        'example-source-bucket,"reports/annual report, 2025.pdf",Q8z1JbN2rV0oMWD6p4kFh7TtsYcE9aLx,true,5000,2024-02-10T08:00:00.000Z,STANDARD,NOT-SSE\r\n' +
        'example-source-bucket,"logs/say ""hi"".txt",Kp3Lm5Nq7Rs9Tu1Vw3Xy5Za7Bc9De1Fg,true,700,2023-11-05T12:30:00.000Z,STANDARD,NOT-SSE\r\n' +
        'example-source-bucket,big/dump + more.bin,v8,false,12000,2025-06-01T00:00:00.000Z,GLACIER,NOT-SSE\r\n',
    );
    expect(await readdir(path.join(work, 'packet', 'exports'))).toEqual(['unencrypted.csv']);
  });

  it('reads the unencrypted CSV back for the workbook', async () => {
    await collect([BASIC], 'example-source-bucket');
    const rows = [];
    for await (const r of readUnencryptedCsv(path.join(work, 'packet', 'exports', 'unencrypted.csv'))) rows.push(r);
    expect(rows).toEqual([
      {
        bucket: 'example-source-bucket',
        key: 'reports/annual report, 2025.pdf',
        versionId: 'Q8z1JbN2rV0oMWD6p4kFh7TtsYcE9aLx',
        isLatest: true,
        size: 5000,
        lastModified: '2024-02-10T08:00:00.000Z',
        storageClass: 'STANDARD',
        encryptionStatus: 'NOT-SSE',
      },
      {
        bucket: 'example-source-bucket',
        key: 'logs/say "hi".txt',
        versionId: 'Kp3Lm5Nq7Rs9Tu1Vw3Xy5Za7Bc9De1Fg',
        isLatest: true,
        size: 700,
        lastModified: '2023-11-05T12:30:00.000Z',
        storageClass: 'STANDARD',
        encryptionStatus: 'NOT-SSE',
      },
      {
        bucket: 'example-source-bucket',
        key: 'big/dump + more.bin',
        versionId: 'v8',
        isLatest: false,
        size: 12000,
        lastModified: '2025-06-01T00:00:00.000Z',
        storageClass: 'GLACIER',
        encryptionStatus: 'NOT-SSE',
      },
    ]);
  });

  it('keeps only the largest N unencrypted objects', async () => {
    const e = await collect([BASIC], 'example-source-bucket', OCTOBER, 1);
    expectStatus(e, 'ok');
    expect(e.largestUnencrypted.map((s) => s.size)).toEqual([12000]);
    expect(e.unencryptedExport.rows).toBe(3);
  });
});

describe('choosing the report: the first one delivered at or after the period end, within N days', () => {
  const month = (label: string, zone: string, maxDaysAfterPeriod = 7, provisional = false) =>
    reportWindow(periodFor(label, zone), { maxDaysAfterPeriod, provisional });
  /** One-row reports of config "daily" for src-bucket, one per folder. */
  async function reports(...folders: string[]): Promise<void> {
    for (const folder of folders)
      await writeReport({ root: work, folder, files: [{ name: `${folder}.csv.gz`, csv: row('a', '1', 'SSE-S3') }] });
  }

  it('takes the first report after the end, passing over a configuration without EncryptionStatus and a later report', async () => {
    // weekly-basic 2026-11-01T00-00Z comes first but has no EncryptionStatus; daily-encryption
    // 2026-11-07 is in the window but later (its data file was never delivered: reading it would fail).
    const e = await collect([BASIC], 'example-source-bucket');
    expectStatus(e, 'ok');
    expect(e.configId).toBe('daily-encryption');
    expect(e.reportDate).toBe('2026-11-01T06:00:00Z');
  });

  it('a report begun exactly at the period end counts (UTC)', async () => {
    await reports('2026-11-01T00-00Z', '2026-11-03T00-00Z');
    const e = await collect([work], 'src-bucket', month('2026-10', 'UTC'));
    expectStatus(e, 'ok');
    expect(e.reportDate).toBe('2026-11-01T00:00:00Z');
  });

  it('the period end is midnight in the tenant zone: 23:00 UTC is the end in Berlin', async () => {
    await reports('2026-10-31T23-00Z', '2026-11-01T00-00Z');
    const e = await collect([work], 'src-bucket', month('2026-10', 'Europe/Berlin'));
    expectStatus(e, 'ok');
    expect(e.reportDate).toBe('2026-10-31T23:00:00Z');
  });

  it('midnight UTC is before the end in New York: that report is stale', async () => {
    await reports('2026-11-01T00-00Z');
    const e = await collect([work], 'src-bucket', month('2026-10', 'America/New_York'));
    expectStatus(e, 'missing');
    const where = path.join(work, 'src-bucket', 'daily', '2026-11-01T00-00Z', 'manifest.json');
    expect(e.staleReports).toEqual([
      {
        configId: 'daily',
        reportDate: '2026-11-01T00:00:00Z',
        location: where,
        why: "delivered 2026-11-01 00:00 UTC, before the period's end 2026-11-01 04:00 UTC (2026-11-01 00:00 America/New_York)",
      },
    ]);
    expect(e.reason).toBe(
      "no S3 Inventory report for bucket src-bucket describes period 2026-10 (a report must be delivered from the period's end " +
        '2026-11-01 04:00 UTC (2026-11-01 00:00 America/New_York) to 7 days after it); stale: ' +
        `${where} delivered 2026-11-01 00:00 UTC, before the period's end 2026-11-01 04:00 UTC (2026-11-01 00:00 America/New_York)`,
    );
  });

  it('a report exactly N days after the end counts', async () => {
    await reports('2026-10-31T00-00Z', '2026-11-08T00-00Z');
    const e = await collect([work], 'src-bucket', month('2026-10', 'UTC'));
    expectStatus(e, 'ok');
    expect(e.reportDate).toBe('2026-11-08T00:00:00Z');
  });

  it('N + 1 days after the end is stale, and so is the one before the end: both named', async () => {
    await reports('2026-10-31T00-00Z', '2026-11-09T00-00Z', '2026-11-20T00-00Z');
    const e = await collect([work], 'src-bucket', month('2026-10', 'UTC'));
    expectStatus(e, 'missing');
    expect(e.staleReports?.map((r) => [r.reportDate, r.why])).toEqual([
      ['2026-10-31T00:00:00Z', "delivered 2026-10-31 00:00 UTC, before the period's end 2026-11-01 00:00 UTC"],
      ['2026-11-09T00:00:00Z', "delivered 2026-11-09 00:00 UTC, 8 days after the period's end; the limit is 7 days"],
    ]);
    expect(e.otherReportDates).toEqual(['2026-10-31T00:00:00Z', '2026-11-09T00:00:00Z', '2026-11-20T00:00:00Z']);
    expect(await exportExists()).toBe(false);
  });

  it('the limit comes from the configuration: 3 days refuses a report 4 days and 6 hours after', async () => {
    await reports('2026-11-05T06-00Z');
    const e = await collect([work], 'src-bucket', month('2026-10', 'UTC', 3));
    expectStatus(e, 'missing');
    expect(e.staleReports?.[0]?.why).toBe(
      "delivered 2026-11-05 06:00 UTC, 4 days 6 hours after the period's end; the limit is 3 days",
    );
    expectStatus(await collect([work], 'src-bucket', month('2026-10', 'UTC', 5)), 'ok');
  });

  it('only older reports: the newest of them is named, none is counted', async () => {
    // November ends 2026-12-01; the fixture's newest report is 2026-11-07.
    const e = await collect([BASIC], 'example-source-bucket', month('2026-11', 'UTC'));
    expectStatus(e, 'missing');
    expect(e.staleReports).toEqual([
      {
        configId: 'daily-encryption',
        reportDate: '2026-11-07T00:00:00Z',
        location: path.join(CONFIG_DIR, '2026-11-07T00-00Z', 'manifest.json'),
        why: "delivered 2026-11-07 00:00 UTC, before the period's end 2026-12-01 00:00 UTC",
      },
    ]);
    expect(await exportExists()).toBe(false);
  });

  it('only far newer reports: the first of them is named, none is counted', async () => {
    // September ends 2026-10-01; the fixture's first report is 2026-10-24, 23 days later.
    const e = await collect([BASIC], 'example-source-bucket', month('2026-09', 'UTC'));
    expectStatus(e, 'missing');
    expect(e.staleReports?.map((r) => `${r.configId} ${r.why}`)).toEqual([
      "daily-encryption delivered 2026-10-24 00:00 UTC, 23 days after the period's end; the limit is 7 days",
    ]);
    expect(e.otherReportDates).toEqual([
      '2026-10-24T00:00:00Z',
      '2026-11-01T00:00:00Z',
      '2026-11-01T06:00:00Z',
      '2026-11-07T00:00:00Z',
    ]);
    expect(await exportExists()).toBe(false);
  });

  it('several reports in the window, in two configurations: the earliest is read', async () => {
    await reports('2026-11-04T00-00Z', '2026-11-02T00-00Z', '2026-11-06T00-00Z');
    await writeReport({
      root: work,
      configId: 'another',
      folder: '2026-11-03T00-00Z',
      files: [{ name: 'x.csv.gz', csv: row('a', '1', 'SSE-S3') }],
    });
    const e = await collect([work], 'src-bucket', month('2026-10', 'UTC'));
    expectStatus(e, 'ok');
    expect([e.configId, e.reportDate]).toEqual(['daily', '2026-11-02T00:00:00Z']);
  });

  it('a configuration without EncryptionStatus in the window, the other one only stale: both said', async () => {
    await writeReport({
      root: work,
      configId: 'sizes-only',
      folder: '2026-11-02T00-00Z',
      schema: ['Bucket', 'Key', 'Size'],
      files: [{ name: 's.csv.gz', csv: csvRow(['src-bucket', 'a', '1']) }],
    });
    await reports('2026-10-30T00-00Z');
    const e = await collect([work], 'src-bucket', month('2026-10', 'UTC'));
    expectStatus(e, 'missing');
    expect(e.reason).toContain('sizes-only');
    expect(e.reason).toContain('EncryptionStatus');
    expect(e.staleReports?.map((r) => [r.configId, r.reportDate])).toEqual([['daily', '2026-10-30T00:00:00Z']]);
  });

  it('a provisional packet (month not ended) reads the newest report delivered within the month', async () => {
    const e = await collect([BASIC], 'example-source-bucket', month('2026-10', 'UTC', 7, true));
    expectStatus(e, 'ok');
    expect(e.reportDate).toBe('2026-10-24T00:00:00Z');
    expect(e.tally['SSE-S3']).toEqual({ objects: 1, bytes: 1000 });
    expect(e.tally['NOT-SSE']).toEqual({ objects: 0, bytes: 0 });
    expect(e.unencryptedExport.rows).toBe(0);
    expect(await readFile(path.join(work, 'packet', 'exports', 'unencrypted.csv'), 'utf8')).toBe(
      'bucket,key,version_id,is_latest,size,last_modified_date,storage_class,encryption_status\r\n',
    );
  });

  it('a provisional packet does not read a report from before the month began', async () => {
    await reports('2026-10-31T00-00Z');
    const e = await collect([work], 'src-bucket', month('2026-11', 'UTC', 7, true));
    expectStatus(e, 'missing');
    expect(e.staleReports?.[0]?.why).toBe(
      "delivered 2026-10-31 00:00 UTC, before the period's start 2026-11-01 00:00 UTC; a provisional packet uses a report delivered within the period",
    );
  });

  it('missing when no report exists for the bucket', async () => {
    const e = await collect([BASIC], 'other-bucket');
    expectStatus(e, 'missing');
    expect(e.bucket).toBe('other-bucket');
    expect(e.reason).toBe(
      `no S3 Inventory report for bucket other-bucket (looked in ${path.join(BASIC, 'other-bucket')})`,
    );
  });

  it('missing when no inventory location is configured', async () => {
    const e = await collect([], 'example-source-bucket');
    expectStatus(e, 'missing');
    expect(e.reason).toBe('no S3 Inventory location is configured for this tenant');
  });

  it('removes an unencrypted list left at the export path by an earlier run when there is no report', async () => {
    const stale = path.join(work, 'packet', 'exports', 'unencrypted.csv');
    await mkdir(path.dirname(stale), { recursive: true });
    await writeFile(stale, 'stale');
    expectStatus(
      await collect(
        [BASIC],
        'example-source-bucket',
        reportWindow(periodFor('2026-09', 'UTC'), { maxDaysAfterPeriod: 7 }),
      ),
      'missing',
    );
    expect(await exportExists()).toBe(false);
  });

  it('missing when the only configurations lack EncryptionStatus', async () => {
    await writeReport({
      root: work,
      configId: 'sizes-only',
      folder: '2026-11-01T00-00Z',
      schema: ['Bucket', 'Key', 'Size'],
      files: [{ name: 'a.csv.gz', csv: csvRow(['src-bucket', 'a', '1']) }],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'missing');
    expect(e.reason).toContain('sizes-only');
    expect(e.reason).toContain('EncryptionStatus');
  });

  it('finds the report in the second of several locations', async () => {
    const empty = path.join(work, 'empty-location');
    const second = path.join(work, 'second');
    await writeReport({ root: empty, bucket: 'unrelated', folder: '2026-11-01T00-00Z', files: [] });
    await writeReport({
      root: second,
      folder: '2026-11-01T00-00Z',
      files: [{ name: 'a.csv.gz', csv: row('k', '10', 'SSE-KMS') }],
    });
    const e = await collect([empty, second], 'src-bucket');
    expectStatus(e, 'ok');
    expect(e.tally['SSE-KMS']).toEqual({ objects: 1, bytes: 10 });
    expect(e.manifestLocation).toBe(path.join(second, 'src-bucket', 'daily', '2026-11-01T00-00Z', 'manifest.json'));
  });

  it('unverified when the chosen report folder has no manifest.json', async () => {
    await writeReport({ root: work, folder: '2026-11-01T00-00Z', noManifest: true, files: [] });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.reportDate).toBe('2026-11-01T00:00:00Z');
    expect(e.problems).toEqual([
      {
        file: path.join(work, 'src-bucket', 'daily', '2026-11-01T00-00Z', 'manifest.json'),
        message: 'manifest.json is missing (ENOENT)',
      },
    ]);
  });

  it('unverified when manifest.checksum does not match manifest.json', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      checksum: 'wrong',
      files: [{ name: 'a.csv.gz', csv: row('k', '10', 'SSE-S3') }],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems[0]?.message).toMatch(
      /^MD5 of manifest.json is [0-9a-f]{32}, manifest.checksum says 0123456789abcdef0123456789abcdef$/,
    );
  });

  it('a manifest of the wrong shape is unreadable evidence naming the field, and its failed checksum is named too', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      files: [{ name: 'a.csv.gz', csv: row('k', '10', 'SSE-S3') }],
    });
    const folder = path.join(work, 'src-bucket', 'daily', '2026-11-01T00-00Z');
    const manifest = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const misshapen = JSON.stringify({ ...manifest, files: 'wrong-shape' });
    await writeFile(path.join(folder, 'manifest.json'), misshapen);
    const unreadable =
      'UnreadableEvidence: manifest.json is not an S3 Inventory manifest: files: expected array, got a string';

    // Checksum made of the misshapen manifest: the shape alone is the problem.
    await writeFile(path.join(folder, 'manifest.checksum'), createHash('md5').update(misshapen).digest('hex'));
    let e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems.map((p) => p.message)).toEqual([unreadable]);

    // The checksum of the manifest as delivered no longer matches: both are named, the shape first.
    await writeFile(path.join(folder, 'manifest.checksum'), '0123456789abcdef0123456789abcdef');
    e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems.map((p) => p.message)).toEqual([
      unreadable,
      expect.stringMatching(
        /^MD5 of manifest.json is [0-9a-f]{32}, manifest.checksum says 0123456789abcdef0123456789abcdef$/,
      ),
    ]);
  });

  it('does not count a report whose manifest.checksum was not copied: the manifest is unchecked', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      checksum: 'none',
      files: [{ name: 'a.csv.gz', csv: row('k', '10', 'SSE-S3') }],
    });
    const ev = await collect([work], 'src-bucket');
    expect(ev).toMatchObject({
      status: 'unverified',
      reason: 'the report manifest could not be read or verified',
      problems: [{ message: 'manifest.checksum is missing beside manifest.json, so the manifest cannot be checked' }],
    });
  });
});

describe('destination prefix in manifest keys', () => {
  it.each([
    ['no prefix', ''],
    ['one folder', 'inventory/'],
    ['several folders, one named like the data folder', 'a/data/src-bucket/b/'],
  ])('%s', async (_label, keyPrefix) => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      keyPrefix,
      files: [{ name: 'x.csv.gz', csv: row('k', '42', 'SSE-S3') }],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'ok');
    expect(e.files[0]?.key).toBe(`${keyPrefix}src-bucket/daily/data/x.csv.gz`);
    expect(e.files[0]?.location).toBe(path.join(work, 'src-bucket', 'daily', 'data', 'x.csv.gz'));
    expect(e.tally['SSE-S3']).toEqual({ objects: 1, bytes: 42 });
  });
});

describe('a report that cannot be verified gives no counts', () => {
  const dataFile = (name: string): string => path.join(work, 'src-bucket', 'daily', 'data', name);

  it('MD5 of a data file differs from the manifest', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      files: [
        { name: 'good.csv.gz', csv: row('a', '1', 'SSE-S3') },
        { name: 'bad.csv.gz', csv: row('b', '2', 'NOT-SSE'), manifestMd5: 'ffffffffffffffffffffffffffffffff' },
      ],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e).not.toHaveProperty('tally');
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]?.file).toBe(dataFile('bad.csv.gz'));
    expect(e.problems[0]?.message).toMatch(
      /^MD5 of the file is [0-9a-f]{32}, the manifest says ffffffffffffffffffffffffffffffff$/,
    );
    expect(e.configId).toBe('daily');
    expect(await exportExists()).toBe(false);
  });

  it('truncated gzip', async () => {
    const gz = gzipSync(Buffer.from(row('a', '1', 'SSE-S3').repeat(200)));
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      files: [{ name: 'cut.csv.gz', bytes: gz.subarray(0, gz.length - 30) }],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]?.file).toBe(dataFile('cut.csv.gz'));
    expect(e.problems[0]?.message).toContain('unexpected end of file');
    expect(await exportExists()).toBe(false);
  });

  it('a row with the wrong number of columns, named by file and line', async () => {
    const csv =
      row('a', '1', 'SSE-S3') +
      csvRow(['src-bucket', 'b', '2', '2026-10-01T00:00:00.000Z', 'SSE-S3']) +
      row('c', '3', 'SSE-S3');
    await writeReport({ root: work, folder: '2026-11-01T00-00Z', files: [{ name: 'cols.csv.gz', csv }] });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      { file: dataFile('cols.csv.gz'), line: 2, message: '5 columns where the fileSchema has 6' },
    ]);
  });

  it('an EncryptionStatus value the format does not define', async () => {
    const csv = row('a', '1', 'SSE-S3') + row('b', '2', 'SSE-S3') + row('c', '3', 'AES256');
    await writeReport({ root: work, folder: '2026-11-01T00-00Z', files: [{ name: 'status.csv.gz', csv }] });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      { file: dataFile('status.csv.gz'), line: 3, message: 'unknown EncryptionStatus "AES256"' },
    ]);
  });

  it('an object row with an empty Size', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      files: [{ name: 's.csv.gz', csv: row('a', '', 'SSE-S3') }],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([{ file: dataFile('s.csv.gz'), line: 1, message: 'Size "" is not a byte count' }]);
  });

  it('a data file listed in the manifest but not delivered', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      files: [
        { name: 'here.csv.gz', csv: row('a', '1', 'SSE-S3') },
        { name: 'gone.csv.gz', csv: row('b', '1', 'SSE-S3'), notDelivered: true },
      ],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      { file: dataFile('gone.csv.gz'), message: 'data file listed in the manifest is missing (ENOENT)' },
    ]);
    expect(e.reason).toBe('1 problem(s) in 1 file(s) of the report; its counts are not used');
  });

  it('a fileFormat S3 Inventory does not write', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      fileFormat: 'Avro',
      fileSchemaText: 'record s3.inventory { string bucket; string key; long size; string encryption_status; }',
      files: [{ name: 'd754c470.avro', bytes: Buffer.from('Obj') }],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.reason).toBe('fileFormat Avro is not an S3 Inventory format (CSV, Parquet or ORC)');
    expect(e.fileFormat).toBe('Avro');
    expect(e.problems[0]?.file).toBe(path.join(work, 'src-bucket', 'daily', '2026-11-01T00-00Z', 'manifest.json'));
  });

  it('a report without a Size column', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      schema: ['Bucket', 'Key', 'EncryptionStatus'],
      files: [{ name: 'n.csv.gz', csv: csvRow(['src-bucket', 'a', 'SSE-S3']) }],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.reason).toContain('no Size column');
  });
});

describe('delete markers and versions', () => {
  it('counts delete markers apart, whatever their other columns hold', async () => {
    const schema = ['Bucket', 'Key', 'VersionId', 'IsLatest', 'IsDeleteMarker', 'Size', 'EncryptionStatus'];
    const csv =
      csvRow(['src-bucket', 'a', 'v1', 'false', 'false', '10', 'NOT-SSE']) +
      csvRow(['src-bucket', 'a', 'v2', 'true', 'true', '', '']) +
      csvRow(['src-bucket', 'b', 'v3', 'true', 'TRUE', '', 'NOT-SSE']) +
      csvRow(['src-bucket', 'c', 'v4', 'true', 'false', '20', 'SSE-KMS']);
    await writeReport({ root: work, folder: '2026-11-01T00-00Z', schema, files: [{ name: 'v.csv.gz', csv }] });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'ok');
    expect(e.deleteMarkers).toBe(2);
    expect(e.includesVersions).toBe(true);
    expect(e.tally['NOT-SSE']).toEqual({ objects: 1, bytes: 10 });
    expect(e.tally['SSE-KMS']).toEqual({ objects: 1, bytes: 20 });
    expect(e.unknownStatus).toEqual({ objects: 0, bytes: 0 });
    expect(e.largestUnencrypted).toEqual([{ key: 'a', versionId: 'v1', size: 10 }]);
  });

  it('a current-versions-only report says so', async () => {
    await writeReport({
      root: work,
      folder: '2026-11-01T00-00Z',
      schema: CURRENT_SCHEMA,
      files: [{ name: 'c.csv.gz', csv: row('a', '1', 'SSE-S3') }],
    });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'ok');
    expect(e.includesVersions).toBe(false);
  });
});

describe('many bad rows', () => {
  it('lists the first 20 problems of a file, says how many more, and stops reading it', async () => {
    const csv = Array.from({ length: 30 }, (_, i) => row(`k${i}`, '1', 'AES256')).join('');
    await writeReport({ root: work, folder: '2026-11-01T00-00Z', files: [{ name: 'm.csv.gz', csv }] });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems).toHaveLength(21);
    expect(e.problems[19]).toEqual({
      file: path.join(work, 'src-bucket/daily/data/m.csv.gz'),
      line: 20,
      message: 'unknown EncryptionStatus "AES256"',
    });
    expect(e.problems[20]?.message).toBe('10 more problem(s) not listed; the file was not read to the end');
  });
});

describe('malformed CSV inside a valid gzip', () => {
  it('a quote left open at the end of a file names file and line', async () => {
    const csv = row('a', '1', 'SSE-S3') + '"src-bucket","b","2","2026-10-01T00:00:00.000Z","STANDARD","SSE-S3';
    await writeReport({ root: work, folder: '2026-11-01T00-00Z', files: [{ name: 'q.csv.gz', csv }] });
    const e = await collect([work], 'src-bucket');
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      {
        file: path.join(work, 'src-bucket/daily/data/q.csv.gz'),
        line: 2,
        message: 'quoted field not closed before the end of the file',
      },
    ]);
  });
});
