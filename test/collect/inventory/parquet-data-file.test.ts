import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parquetMetadataAsync } from 'hyparquet';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectInventory, readUnencryptedCsv } from '../../../src/collect/inventory/index.js';
import { reportWindow } from '../../../src/collect/inventory/report-window.js';
import { localTree } from '../../../src/collect/tree/index.js';
import { periodFor } from '../../../src/config/period.js';
import type { InventoryEvidence } from '../../../src/evidence/inventory.js';
import type { UnencryptedRow } from '../../../src/evidence/unencrypted-csv.js';
import {
  PARQUET_COLUMNS,
  PARQUET_FILE_SCHEMA,
  writeInventoryParquet,
  type ParquetInventoryRow,
} from '../../support/duckdb-parquet.js';
import { writeReport } from './build-report.js';

const OCTOBER = reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 7 });
const BUCKET = 'src-bucket';
const FOLDER = '2026-11-01T00-00Z';
const CODECS = ['snappy', 'gzip', 'zstd'] as const;

let fixtures: string;
let work: string;
/** One DuckDB-written file per codec, each holding ROWS[codec], several row groups each. */
const written: Record<string, Buffer> = {};
const ROWS: Record<string, ParquetInventoryRow[]> = {};

/**
 * Rows as a versioned bucket's inventory has them: current and noncurrent versions, delete
 * markers (no size, no status), rows whose EncryptionStatus is null, and keys that need care
 * (spaces, '+', a literal "%2B", a comma and quote, non-ASCII): Parquet keys are not URL-encoded.
 */
function rowsFor(codec: number, count: number): ParquetInventoryRow[] {
  const statuses = ['SSE-S3', 'SSE-KMS', 'NOT-SSE', 'DSSE-KMS', 'SSE-C', null] as const;
  const keys = ['plain/key.txt', 'with space+plus.txt', 'literal%2Bplus', 'comma,"quote".csv', 'ünïcødé/файл'];
  const rows: ParquetInventoryRow[] = [];
  for (let i = 0; i < count; i++) {
    const n = codec * 100_000 + i;
    const deleteMarker = i % 97 === 13;
    rows.push({
      bucket: BUCKET,
      key: `${keys[i % keys.length]}-${n}`,
      version_id: `v${n}`,
      is_latest: i % 3 !== 0,
      is_delete_marker: deleteMarker,
      size: deleteMarker ? null : (i * 7919) % 5_000_000,
      last_modified_date: new Date(Date.UTC(2026, 9, 1 + (i % 28), i % 24, i % 60, i % 60, i % 1000)).toISOString(),
      storage_class: deleteMarker ? null : i % 2 ? 'STANDARD' : 'GLACIER_IR',
      encryption_status: deleteMarker ? null : statuses[i % statuses.length]!,
    });
  }
  return rows;
}

beforeAll(async () => {
  fixtures = await mkdtemp(path.join(os.tmpdir(), 'parquet-fixtures-'));
  for (const [c, codec] of CODECS.entries()) {
    ROWS[codec] = rowsFor(c, 5000);
    const file = path.join(fixtures, `${codec}.parquet`);
    await writeInventoryParquet(file, ROWS[codec], { compression: codec, rowGroupSize: 2048 });
    written[codec] = await readFile(file);
  }
}, 60_000);
afterAll(async () => {
  await rm(fixtures, { recursive: true, force: true });
});
beforeEach(async (ctx) => {
  work = await mkdtemp(path.join(os.tmpdir(), 'parquet-inventory-'));
  ctx.onTestFinished(() => rm(work, { recursive: true, force: true }));
});

function collect(largestN?: number): Promise<InventoryEvidence> {
  return collectInventory({
    trees: [localTree(work)],
    bucket: BUCKET,
    window: OCTOBER,
    unencryptedCsvPath: path.join(work, 'packet', 'exports', 'unencrypted.csv'),
    unencryptedCsvRelative: 'exports/unencrypted.csv',
    ...(largestN !== undefined ? { largestN } : {}),
  });
}

function expectStatus<S extends InventoryEvidence['status']>(
  e: InventoryEvidence,
  status: S,
): asserts e is Extract<InventoryEvidence, { status: S }> {
  expect(e.status, JSON.stringify(e, null, 2).slice(0, 3000)).toBe(status);
}

function report(files: { name: string; bytes: Buffer; manifestMd5?: string }[], fileFormat = 'Parquet') {
  return writeReport({ root: work, folder: FOLDER, fileFormat, fileSchemaText: PARQUET_FILE_SCHEMA, files });
}

function dataFile(name: string): string {
  return path.join(work, BUCKET, 'daily', 'data', name);
}

async function exportExists(): Promise<boolean> {
  return (await readdir(path.join(work, 'packet', 'exports')).catch(() => [] as string[])).length > 0;
}

describe('Parquet inventory written by DuckDB', () => {
  it('the fixtures are what the tests claim: each codec, several row groups, nulls', async () => {
    for (const codec of CODECS) {
      const bytes = written[codec]!;
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
      const meta = await parquetMetadataAsync({ byteLength: ab.byteLength, slice: (s, e) => ab.slice(s, e) });
      expect(meta.row_groups.length).toBeGreaterThan(1);
      const codecs = new Set(meta.row_groups.flatMap((g) => g.columns.map((col) => col.meta_data?.codec)));
      expect(codecs).toEqual(new Set([codec.toUpperCase()]));
      expect(Number(meta.num_rows)).toBe(5000);
    }
    expect(ROWS.zstd!.some((r) => r.encryption_status === null && !r.is_delete_marker)).toBe(true);
  });

  it('counts objects and bytes per status across snappy, gzip and zstd files, delete markers and null statuses apart', async () => {
    await report(CODECS.map((codec) => ({ name: `${codec}.parquet`, bytes: written[codec]! })));
    const e = await collect();
    expectStatus(e, 'ok');

    const all = CODECS.flatMap((codec) => ROWS[codec]!);
    const objects = all.filter((r) => !r.is_delete_marker);
    const tallyOf = (status: string | null) => {
      const rows = objects.filter((r) => r.encryption_status === status);
      return { objects: rows.length, bytes: rows.reduce((n, r) => n + r.size!, 0) };
    };
    expect(e.tally).toEqual({
      'NOT-SSE': tallyOf('NOT-SSE'),
      'SSE-S3': tallyOf('SSE-S3'),
      'SSE-C': tallyOf('SSE-C'),
      'SSE-KMS': tallyOf('SSE-KMS'),
      'DSSE-KMS': tallyOf('DSSE-KMS'),
    });
    expect(e.unknownStatus).toEqual(tallyOf(null));
    expect(e.deleteMarkers).toBe(all.length - objects.length);
    expect(e.deleteMarkers).toBeGreaterThan(100);
    expect(e.includesVersions).toBe(true);
    expect(e.fileFormat).toBe('Parquet');
    expect(e.fileSchema).toEqual([...Object.keys(PARQUET_COLUMNS)]);
    expect(e.files.map((f) => [path.basename(f.location), f.rows, f.actualMd5])).toEqual(
      CODECS.map((codec) => [`${codec}.parquet`, 5000, createHash('md5').update(written[codec]!).digest('hex')]),
    );
  });

  it('lists every NOT-SSE object with its key as stored (not URL-decoded), version, latest flag and UTC time', async () => {
    await report(CODECS.map((codec) => ({ name: `${codec}.parquet`, bytes: written[codec]! })));
    const e = await collect(3);
    expectStatus(e, 'ok');
    const expected: UnencryptedRow[] = CODECS.flatMap((codec) => ROWS[codec]!)
      .filter((r) => r.encryption_status === 'NOT-SSE' && !r.is_delete_marker)
      .map((r) => ({
        bucket: BUCKET,
        key: r.key!,
        versionId: r.version_id!,
        isLatest: r.is_latest!,
        size: r.size!,
        lastModified: r.last_modified_date!,
        storageClass: r.storage_class!,
        encryptionStatus: 'NOT-SSE',
      }));
    const listed: UnencryptedRow[] = [];
    for await (const r of readUnencryptedCsv(path.join(work, 'packet', 'exports', 'unencrypted.csv'))) listed.push(r);
    expect(listed).toEqual(expected);
    expect(e.unencryptedExport).toEqual({ file: 'exports/unencrypted.csv', rows: expected.length });
    expect(listed.some((r) => r.key.startsWith('with space+plus.txt'))).toBe(true);
    expect(listed.some((r) => r.key.startsWith('literal%2Bplus'))).toBe(true);

    const largest = [...expected].sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : 1)).slice(0, 3);
    expect(e.largestUnencrypted).toEqual(
      largest.map((r) => ({ key: r.key, size: r.size, versionId: r.versionId, lastModified: r.lastModified })),
    );
    expect(e.oldestUnencryptedLastModified).toBe(expected.map((r) => r.lastModified!).sort()[0]);
  });
});

describe('Parquet that cannot be trusted is unreadable evidence, never an empty report', () => {
  it('an MD5 that does not match the manifest', async () => {
    await report([{ name: 'zstd.parquet', bytes: written.zstd!, manifestMd5: '0'.repeat(32) }]);
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      {
        file: dataFile('zstd.parquet'),
        message: `MD5 of the file is ${createHash('md5').update(written.zstd!).digest('hex')}, the manifest says ${'0'.repeat(32)}`,
      },
    ]);
    expect(e.reason).toBe('1 problem(s) in 1 file(s) of the report; its counts are not used');
    expect('tally' in e).toBe(false);
    expect(await exportExists()).toBe(false);
  });

  it('a truncated file (its manifest MD5 matching the truncated bytes)', async () => {
    const bytes = written.snappy!.subarray(0, Math.floor(written.snappy!.length / 2));
    await report([{ name: 'cut.parquet', bytes }]);
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]!.file).toBe(dataFile('cut.parquet'));
    expect(e.problems[0]!.message).toMatch(/^not a readable Parquet file: /);
    expect(await exportExists()).toBe(false);
  });

  it('a file the manifest lists that is not there, and one that is a link out of the tree', async () => {
    await report([
      { name: 'gone.parquet', bytes: written.snappy! },
      { name: 'link.parquet', bytes: written.gzip! },
    ]);
    await rm(dataFile('gone.parquet'));
    await rm(dataFile('link.parquet'));
    await symlink(path.join(fixtures, 'gzip.parquet'), dataFile('link.parquet'));
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      { file: dataFile('gone.parquet'), message: 'data file listed in the manifest is missing (ENOENT)' },
      {
        file: dataFile('link.parquet'),
        message: `OutsideRoot: ${dataFile('link.parquet')}: is a symbolic link that leads outside ${work}`,
      },
    ]);
    expect(await exportExists()).toBe(false);
  });

  it('bytes that only look like Parquet (magic at both ends)', async () => {
    await report([{ name: 'fake.parquet', bytes: Buffer.from('PAR1 this is not a parquet file PAR1') }]);
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.problems[0]!.message).toMatch(/^not a readable Parquet file: /);
  });

  it('a data page that does not decode', async () => {
    // The column chunks start right after the 4-byte magic; overwrite the middle of the first row group.
    const bytes = Buffer.from(written.gzip!);
    bytes.fill(0xff, 200, 2200);
    await report([{ name: 'garbled.parquet', bytes }]);
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.problems[0]!.file).toBe(dataFile('garbled.parquet'));
    expect(e.problems[0]!.message).toMatch(/^row group 1 of \d+ does not decode: /);
  });

  it('a file without the encryption_status column its manifest promised', async () => {
    const file = path.join(work, 'no-status.parquet');
    const { encryption_status: _dropped, ...columns } = PARQUET_COLUMNS;
    await writeInventoryParquet(file, ROWS.snappy!.slice(0, 10), { compression: 'snappy', columns });
    await report([{ name: 'no-status.parquet', bytes: await readFile(file) }]);
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      { file: dataFile('no-status.parquet'), message: 'the Parquet file has no encryption_status column' },
    ]);
  });

  it('a size column of another type', async () => {
    const file = path.join(work, 'text-size.parquet');
    await writeInventoryParquet(file, ROWS.snappy!.slice(0, 10), {
      compression: 'snappy',
      columns: { ...PARQUET_COLUMNS, size: 'VARCHAR' },
    });
    await report([{ name: 'text-size.parquet', bytes: await readFile(file) }]);
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      {
        file: dataFile('text-size.parquet'),
        message:
          "the Parquet file's columns do not have S3 Inventory's types: size is BYTE_ARRAY, S3 Inventory writes INT64 or INT32",
      },
    ]);
  });

  it('rows of another bucket, an unknown status and a missing size are problems with their row numbers', async () => {
    const rows: ParquetInventoryRow[] = [
      { bucket: BUCKET, key: 'ok', size: 1, encryption_status: 'SSE-S3' },
      { bucket: 'other-bucket', key: 'x', size: 2, encryption_status: 'SSE-S3' },
      { bucket: BUCKET, key: 'y', size: 3, encryption_status: 'AES-9000' },
      { bucket: BUCKET, key: 'z', size: null, encryption_status: 'SSE-KMS' },
    ];
    const file = path.join(work, 'odd.parquet');
    await writeInventoryParquet(file, rows, { compression: 'zstd' });
    await report([{ name: 'odd.parquet', bytes: await readFile(file) }]);
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.problems).toEqual([
      {
        file: dataFile('odd.parquet'),
        line: 2,
        message: 'Bucket "other-bucket" is not src-bucket: a row of another bucket is not counted',
      },
      { file: dataFile('odd.parquet'), line: 3, message: 'unknown EncryptionStatus "AES-9000"' },
      { file: dataFile('odd.parquet'), line: 4, message: 'Size "null" is not a byte count' },
    ]);
  });
});

describe('ORC inventory', () => {
  it('is named precisely, with what to do, and the report is not counted', async () => {
    await writeReport({
      root: work,
      folder: FOLDER,
      fileFormat: 'ORC',
      fileSchemaText: 'struct<bucket:string,key:string,size:bigint,encryption_status:string>',
      files: [{ name: 'part.orc', bytes: Buffer.from('ORC') }],
    });
    const e = await collect();
    expectStatus(e, 'unverified');
    expect(e.reason).toBe('ORC inventory: read it with `engine: athena`, or switch the inventory to CSV or Parquet');
    expect(e.fileSchema).toEqual(['bucket', 'key', 'size', 'encryption_status']);
    expect(e.problems).toEqual([
      {
        file: path.join(work, BUCKET, 'daily', FOLDER, 'manifest.json'),
        message:
          'fileFormat is ORC: ORC inventory: read it with `engine: athena`, or switch the inventory to CSV or Parquet',
      },
    ]);
    expect(await exportExists()).toBe(false);
  });
});
