import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parquetMetadata, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countParquetFile } from '../../../src/collect/inventory/parquet-rows.js';
import { DataFileRows, InventoryTotals } from '../../../src/collect/inventory/tally.js';
import { ENCRYPTION_STATUSES } from '../../../src/evidence/inventory.js';
import { unencryptedCsvLine, type UnencryptedRow } from '../../../src/evidence/unencrypted-csv.js';
import { PARQUET_COLUMNS, writeInventoryParquet, type ParquetInventoryRow } from '../../support/duckdb-parquet.js';

const BUCKET = 'src-bucket';
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'parquet-rows-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Rows with every case the tally tells apart: statuses, null statuses, delete markers, keys that need care. */
function rowsOf(count: number, statuses: readonly (string | null)[]): ParquetInventoryRow[] {
  const keys = ['plain/key.txt', 'with space+plus.txt', 'ünïcødé/файл', 'comma,"quote".csv'];
  return Array.from({ length: count }, (_, i) => {
    const deleteMarker = i % 89 === 5;
    return {
      bucket: BUCKET,
      key: `${keys[i % keys.length]}-${i}`,
      version_id: i % 7 === 0 ? null : `v${i}`,
      is_latest: i % 11 === 0 ? null : i % 3 !== 0,
      is_delete_marker: deleteMarker,
      size: deleteMarker ? null : (i * 104_729) % 9_000_000_000,
      last_modified_date: new Date(Date.UTC(2026, 9, 1 + (i % 28), i % 24, i % 60, 7, i % 1000)).toISOString(),
      storage_class: deleteMarker ? null : i % 2 ? 'STANDARD' : 'GLACIER_IR',
      encryption_status: deleteMarker ? null : statuses[i % statuses.length]!,
    };
  });
}

/** What the reader must give for `rows`, computed from the rows written. */
function expectedOf(rows: ParquetInventoryRow[], columns: readonly string[] = Object.keys(PARQUET_COLUMNS)) {
  const objects = rows.filter((r) => !r.is_delete_marker);
  const byStatus = (status: string | null) => objects.filter((r) => r.encryption_status === status);
  const has = (c: string) => columns.includes(c);
  return {
    objects: ENCRYPTION_STATUSES.map((s) => byStatus(s).length),
    bytes: ENCRYPTION_STATUSES.map((s) => byStatus(s).reduce((n, r) => n + r.size!, 0)),
    unknownStatus: { objects: byStatus(null).length, bytes: byStatus(null).reduce((n, r) => n + r.size!, 0) },
    deleteMarkers: rows.length - objects.length,
    listed: byStatus('NOT-SSE').map((r): string =>
      unencryptedCsvLine({
        bucket: BUCKET,
        key: r.key!,
        ...(has('version_id') && r.version_id ? { versionId: r.version_id } : {}),
        ...(has('is_latest') && r.is_latest !== null && r.is_latest !== undefined ? { isLatest: r.is_latest } : {}),
        size: r.size!,
        ...(has('last_modified_date') ? { lastModified: r.last_modified_date! } : {}),
        ...(has('storage_class') && r.storage_class ? { storageClass: r.storage_class } : {}),
        encryptionStatus: 'NOT-SSE',
      }),
    ),
  };
}

const line = (row: UnencryptedRow) => unencryptedCsvLine(row);

/** A file read through an AsyncBuffer that records the byte ranges asked for. */
async function fileOf(
  file: string,
): Promise<{ buffer: AsyncBuffer; ranges: [number, number][]; metadata: FileMetaData }> {
  const bytes = await readFile(file);
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  const ranges: [number, number][] = [];
  return {
    buffer: {
      byteLength: ab.byteLength,
      slice: (start, end = ab.byteLength) => {
        ranges.push([start, end]);
        return ab.slice(start, end);
      },
    },
    ranges,
    metadata: parquetMetadata(ab),
  };
}

async function count(buffer: AsyncBuffer) {
  const lines: string[] = [];
  const totals = new InventoryTotals({ add: (l) => lines.push(l), needsFlush: false, flush: async () => {} }, 0);
  const rows = new DataFileRows('f.parquet', totals, 20, BUCKET);
  let groups = 0;
  const problem = await countParquetFile(buffer, rows, () => {
    groups++;
    return undefined;
  });
  return {
    problem,
    problems: rows.problems,
    rows: rows.rows,
    groups,
    objects: [...totals.objects],
    bytes: [...totals.bytes],
    unknownStatus: totals.unknownStatus,
    deleteMarkers: totals.deleteMarkers,
    listed: lines,
  };
}

async function written(name: string, rows: ParquetInventoryRow[], opts: Parameters<typeof writeInventoryParquet>[2]) {
  const file = path.join(work, name);
  await writeInventoryParquet(file, rows, opts);
  return fileOf(file);
}

/** The columns of row group 1 whose chunk was read. */
function columnsRead(f: { ranges: [number, number][]; metadata: FileMetaData }): string[] {
  const read = new Set(f.ranges.map(([s]) => s));
  return f.metadata.row_groups[0]!.columns.filter((c) =>
    read.has(Number(c.meta_data!.dictionary_page_offset || c.meta_data!.data_page_offset)),
  )
    .map((c) => c.meta_data!.path_in_schema[0]!)
    .sort();
}
const TALLY_COLUMNS = ['bucket', 'encryption_status', 'is_delete_marker', 'size'];

const STATUSES = ['SSE-S3', 'NOT-SSE', 'SSE-KMS', null, 'DSSE-KMS', 'SSE-C'] as const;

describe('countParquetFile', () => {
  it('several row groups give exactly the tallies and list of one row group', async () => {
    const rows = rowsOf(6500, STATUSES);
    const one = await written('one-group.parquet', rows, { compression: 'snappy' });
    const many = await written('many-groups.parquet', rows, { compression: 'snappy', rowGroupSize: 2048 });
    expect(one.metadata.row_groups).toHaveLength(1);
    expect(many.metadata.row_groups.length).toBe(4);

    const expected = expectedOf(rows);
    const fromOne = await count(one.buffer);
    const fromMany = await count(many.buffer);
    expect(fromOne).toEqual({ problem: undefined, problems: [], rows: 6500, groups: 1, ...expected });
    expect(fromMany).toEqual({ ...fromOne, groups: many.metadata.row_groups.length });
    expect(expected.listed.length).toBe(
      rows.filter((r) => r.encryption_status === 'NOT-SSE' && !r.is_delete_marker).length,
    );
  });

  it('reads a row group by the byte ranges of the columns it uses, not the file whole', async () => {
    const rows = rowsOf(6000, STATUSES);
    const f = await written('ranges.parquet', rows, { compression: 'zstd', rowGroupSize: 2048 });
    await count(f.buffer);
    const chunkOf = (name: string) =>
      f.metadata.row_groups.map((g) => {
        const meta = g.columns.find((c) => c.meta_data!.path_in_schema[0] === name)!.meta_data!;
        const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
        return [start, start + Number(meta.total_compressed_size)];
      });
    // The footer is read from the end of the file (here the whole small file); the rest are column chunks.
    const dataRanges = f.ranges.filter(([, end]) => end < f.buffer.byteLength);
    expect(dataRanges.length).toBeGreaterThan(0);
    // e_tag is in the file but not used: never read.
    for (const range of chunkOf('e_tag')) expect(dataRanges).not.toContainEqual(range);
    for (const range of chunkOf('encryption_status')) expect(dataRanges).toContainEqual(range);
    expect(Math.max(...dataRanges.map(([s, e]) => e - s))).toBeLessThan(f.buffer.byteLength / 3);
  });

  it('a row group with nothing to list or report reads only the tally columns (no key, version or time)', async () => {
    const rows = rowsOf(6000, ['SSE-S3', 'SSE-KMS', null]);
    const f = await written('encrypted.parquet', rows, { compression: 'gzip', rowGroupSize: 2048 });
    const result = await count(f.buffer);
    expect(result).toEqual({ problem: undefined, problems: [], rows: 6000, groups: 3, ...expectedOf(rows) });
    expect(columnsRead(f)).toEqual(TALLY_COLUMNS);
  });

  it('a file with only key, size and encryption_status: the same tallies, listed objects without the rest', async () => {
    // Without is_delete_marker a delete marker would be a row without a size: none here.
    const rows = rowsOf(5000, STATUSES).filter((r) => !r.is_delete_marker);
    const columns = { key: 'VARCHAR', size: 'BIGINT', encryption_status: 'VARCHAR' };
    const f = await written('three-columns.parquet', rows, { compression: 'zstd', rowGroupSize: 2048, columns });
    const result = await count(f.buffer);
    const expected = expectedOf(rows, Object.keys(columns));
    expect(result).toEqual({ problem: undefined, problems: [], rows: rows.length, groups: 3, ...expected });
    expect(result.listed[0]).toBe(
      line({ bucket: BUCKET, key: rows[1]!.key!, size: rows[1]!.size!, encryptionStatus: 'NOT-SSE' }),
    );
  });

  it('pages v2 and delta encodings (PARQUET_VERSION V2) give the same tallies and list as v1 pages', async () => {
    const rows = rowsOf(6500, STATUSES);
    const v2 = await written('v2.parquet', rows, { compression: 'zstd', rowGroupSize: 2048, parquetVersion: 'V2' });
    const encodings = new Set(v2.metadata.row_groups.flatMap((g) => g.columns.flatMap((c) => c.meta_data!.encodings)));
    expect(encodings).toContain('DELTA_BINARY_PACKED');
    expect(encodings).toContain('DELTA_LENGTH_BYTE_ARRAY');
    expect(await count(v2.buffer)).toEqual({
      problem: undefined,
      problems: [],
      rows: 6500,
      groups: 4,
      ...expectedOf(rows),
    });

    // Sizes from a short list: the tally's columns are all dictionary-encoded v2 pages.
    const few = rowsOf(6000, ['SSE-S3', 'SSE-KMS', null]).map((r, i) => ({
      ...r,
      size: r.size === null ? null : (i % 5) * 1000,
    }));
    const dictionary = await written('v2-dictionary.parquet', few, {
      compression: 'snappy',
      rowGroupSize: 2048,
      parquetVersion: 'V2',
    });
    const sizeEncodings = dictionary.metadata.row_groups[0]!.columns.find(
      (c) => c.meta_data!.path_in_schema[0] === 'size',
    )!.meta_data!.encodings;
    expect(sizeEncodings).toContain('RLE_DICTIONARY');
    expect(await count(dictionary.buffer)).toEqual({
      problem: undefined,
      problems: [],
      rows: 6000,
      groups: 3,
      ...expectedOf(few),
    });
    // Counted from the v2 pages by the column decoder: hyparquet's row reader would have read every column.
    expect(columnsRead(dictionary)).toEqual(TALLY_COLUMNS);
  });

  it('sizes outside 0..2^53-1 are problems that quote the value; null buckets are another bucket', async () => {
    const rows: ParquetInventoryRow[] = [
      { bucket: BUCKET, key: 'a', size: 5, encryption_status: 'NOT-SSE' },
      { bucket: BUCKET, key: 'b', size: -3, encryption_status: 'SSE-S3' },
      { bucket: null, key: 'c', size: 1, encryption_status: 'SSE-S3' },
      { bucket: BUCKET, key: 'd', size: 2, encryption_status: '' },
      { bucket: BUCKET, key: 'e', size: 1152921504606847000, encryption_status: 'SSE-S3' },
    ];
    const f = await written('odd.parquet', rows, {
      compression: 'snappy',
      columns: { ...PARQUET_COLUMNS, bucket: 'VARCHAR' },
    });
    const result = await count(f.buffer);
    expect(result.problems).toEqual([
      { file: 'f.parquet', line: 2, message: 'Size "-3" is not a byte count' },
      {
        file: 'f.parquet',
        line: 3,
        message: 'Bucket "null" is not src-bucket: a row of another bucket is not counted',
      },
      { file: 'f.parquet', line: 5, message: 'Size "1152921504606847000" is not a byte count' },
    ]);
    expect(result.unknownStatus).toEqual({ objects: 1, bytes: 2 });
    expect(result.listed).toEqual([line({ bucket: BUCKET, key: 'a', size: 5, encryptionStatus: 'NOT-SSE' })]);
  });
});

describe('countParquetFile on damaged files', () => {
  it('a file cut in the middle, its footer kept: the column chunk outside the file is named', async () => {
    const f = await written('whole.parquet', rowsOf(8000, STATUSES), { compression: 'snappy', rowGroupSize: 2048 });
    const bytes = new Uint8Array(await f.buffer.slice(0, f.buffer.byteLength));
    const footer = f.metadata.metadata_length + 8;
    const cut = new Uint8Array([
      ...bytes.subarray(0, Math.floor(bytes.length / 2)),
      ...bytes.subarray(bytes.length - footer),
    ]);
    const result = await count({ byteLength: cut.length, slice: (s, e) => cut.slice(s, e).buffer });
    expect(result.problem).toMatch(
      /^row group \d of 4 does not decode: the \w+ column chunk \(bytes \d+-\d+\) is not inside the file's \d+ bytes$/,
    );
  });

  it('a page cut short inside its column chunk is a problem of its row group, not a count', async () => {
    const f = await written('pages.parquet', rowsOf(6000, STATUSES), {
      compression: 'uncompressed',
      rowGroupSize: 2048,
    });
    const bytes = new Uint8Array(await f.buffer.slice(0, f.buffer.byteLength));
    const status = f.metadata.row_groups[1]!.columns.find(
      (c) => c.meta_data!.path_in_schema[0] === 'encryption_status',
    )!.meta_data!;
    const start = Number(status.dictionary_page_offset || status.data_page_offset);
    // The status chunk of group 2 claims a page longer than its chunk.
    const garbled = bytes.slice();
    garbled.fill(0, start, start + Number(status.total_compressed_size));
    const result = await count({ byteLength: garbled.length, slice: (s, e) => garbled.slice(s, e).buffer });
    expect(result.problem).toMatch(/^row group 2 of 3 does not decode: /);
    expect(result.groups).toBe(1);
  });
});
