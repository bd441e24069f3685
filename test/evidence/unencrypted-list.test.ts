import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../src/format/csv-records.js';
import type { UnencryptedRow } from '../../src/evidence/unencrypted-csv.js';
import {
  readUnencryptedCsvBatches,
  readUnencryptedCsvRecords,
  type UnencryptedRecords,
} from '../../src/evidence/unencrypted-list.js';
import { seededRandom } from '../../src/util/seeded-random.js';

const HEADER = 'bucket,key,version_id,is_latest,size,last_modified_date,storage_class,encryption_status';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'unencrypted-list-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
async function listFile(bytes: Buffer | string): Promise<string> {
  const file = path.join(dir, `list-${files++}.csv`);
  await writeFile(file, bytes);
  return file;
}

/** What reading the list with the general RFC 4180 reader and taking each record as a row gives. */
async function expectedRows(bytes: Buffer): Promise<UnencryptedRow[]> {
  const rows: UnencryptedRow[] = [];
  let first = true;
  for await (const r of csvRecords(Readable.from([bytes]))) {
    if (first) {
      first = false;
      continue;
    }
    const [bucket, key, versionId, isLatest, size, lastModified, storageClass, encryptionStatus] = r;
    rows.push({
      bucket: bucket!,
      key: key!,
      ...(versionId ? { versionId } : {}),
      ...(isLatest ? { isLatest: isLatest === 'true' } : {}),
      size: Number(size),
      ...(lastModified ? { lastModified } : {}),
      ...(storageClass ? { storageClass } : {}),
      encryptionStatus: encryptionStatus!,
    });
  }
  return rows;
}

/** The export's rule, written out here: csv-stringify with CRLF, line breaks quoted, formula starts behind a quote. */
function expectedExport(rows: UnencryptedRow[]): string {
  const safe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  return stringify(
    rows.map((r) => [
      safe(r.bucket),
      safe(r.key),
      safe(r.versionId ?? ''),
      r.isLatest === undefined ? '' : String(r.isLatest),
      r.size,
      safe(r.lastModified ?? ''),
      safe(r.storageClass ?? ''),
      safe(r.encryptionStatus),
    ]),
    { record_delimiter: 'windows', quoted_match: /[\r\n]/ },
  );
}

/** The export as the CSV renderer makes it from the runs: bytes as they are, rows written again. */
function exportOf(runs: UnencryptedRecords[]): Buffer {
  const parts: Buffer[] = [];
  for (const run of runs)
    for (const segment of run.exportSegments())
      parts.push(Buffer.isBuffer(segment) ? segment : Buffer.from(expectedExport([...segment])));
  return Buffer.concat(parts);
}

async function runsOf(file: string): Promise<UnencryptedRecords[]> {
  const runs: UnencryptedRecords[] = [];
  for await (const run of readUnencryptedCsvRecords(file)) runs.push(run);
  return runs;
}

/** A list of `n` records, most plain, the rest of every kind the reader must take apart itself. */
function generatedList(seed: number, n: number): Buffer {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const plainKeys = ['logs/2026/10/a.gz', 'caf\u00e9/\u6771\u4eac', 'emoji-\u{1F600}.txt', 'k', ''];
  const oddKeys = ['=SUM(A1)', '-rf', '+x', '@cmd', '\tlead', '"quoted, key"', '"two\r\nlines"', 'mid"quote', 'a\rb'];
  const sizes = ['0', '12', '123456789012345', '007', '', '1e3', '-5', '1234567890123456', ' 4'];
  const latest = ['', 'true', 'false', 'TRUE', 'yes'];
  const parts: Buffer[] = [Buffer.from(`${HEADER}\r\n`)];
  for (let i = 0; i < n; i++) {
    // Each field odd on its own, so that every rule is what makes some record odd.
    const odd = () => random() < 0.05;
    const fields = [
      odd() ? '@bucket' : 'bucket-a',
      odd() ? pick(oddKeys) : `${pick(plainKeys)}/${i}`,
      random() < 0.5 ? `v${i}` : '',
      odd() ? pick(latest) : pick(latest.slice(0, 3)),
      odd() ? pick(sizes) : String(Math.floor(random() * 1e12)),
      random() < 0.8 ? '2026-10-01T00:00:00.000Z' : '',
      random() < 0.9 ? 'STANDARD' : '',
      'NOT-SSE',
    ];
    const end = odd() ? '\n' : '\r\n';
    parts.push(Buffer.from(fields.join(',') + end));
    // A byte that is not UTF-8 in a key now and then.
    if (odd()) parts.push(Buffer.from([0x62, 0x2c, 0xff, 0x6b, ...Buffer.from(',,,1,,,NOT-SSE\r\n')]));
  }
  return Buffer.concat(parts);
}

describe('reading an unencrypted-object list back', () => {
  it('gives the rows and the export the general reader gives, for lists of every kind of record', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      // 6,000 records (~400 KB): runs break across the reader's 256 KiB reads.
      const bytes = generatedList(seed, 6_000);
      const file = await listFile(bytes);
      const rows = await expectedRows(bytes);
      const batches: UnencryptedRow[] = [];
      for await (const batch of readUnencryptedCsvBatches(file)) batches.push(...batch);
      expect(batches).toEqual(rows);
      const runs = await runsOf(file);
      expect(runs.reduce((n, r) => n + r.count, 0)).toBe(rows.length);
      // Compared as bytes: a byte that is not UTF-8 and the replacement character it reads as differ only there.
      expect(exportOf(runs).equals(Buffer.from(expectedExport(rows)))).toBe(true);
    }
  });

  it('passes the plain records of a list on as the very bytes of the file', async () => {
    const lines = Array.from(
      { length: 3 },
      // Keys starting with a letter, a non-ASCII letter and an emoji: none starts a formula.
      (_, i) =>
        `b,${['k', '\u6771\u4eac', '\u{1F600}'][i]}/${i},v${i},true,${i + 1},2026-10-01T00:00:00.000Z,STANDARD,NOT-SSE\r\n`,
    );
    const file = await listFile(`${HEADER}\r\n${lines.join('')}`);
    const runs = await runsOf(file);
    expect(runs.map((r) => r.count)).toEqual([3]);
    const segments = runs[0]!.exportSegments();
    expect(segments.length).toBe(1);
    expect(Buffer.isBuffer(segments[0])).toBe(true);
    expect(segments[0]!.toString()).toBe(lines.join(''));
  });

  it('writes again only the records the export changes, in their place', async () => {
    const file = await listFile(
      `${HEADER}\r\n` +
        'b,plain,,,1,,,NOT-SSE\r\n' +
        'b,=HYPERLINK("x"),,,2,,,NOT-SSE\r\n' +
        'b,-minus,,,3,,,NOT-SSE\r\n' +
        'b,plain-again,,false,0004,,,NOT-SSE\r\n' +
        'b,last,,false,5,,,NOT-SSE\r\n',
    );
    const runs = await runsOf(file);
    expect(exportOf(runs).toString()).toBe(
      'b,plain,,,1,,,NOT-SSE\r\n' +
        `b,"'=HYPERLINK(""x"")",,,2,,,NOT-SSE\r\n` +
        "b,'-minus,,,3,,,NOT-SSE\r\n" +
        'b,plain-again,,false,4,,,NOT-SSE\r\n' +
        'b,last,,false,5,,,NOT-SSE\r\n',
    );
    expect(runs.reduce((n, r) => n + r.count, 0)).toBe(5);
  });

  it('counts records without making their rows, and a record with too few or too many fields fails when they are made', async () => {
    const file = await listFile(`${HEADER}\r\nb,k,,,1,,,NOT-SSE\r\nb,short\r\nb,"q,k",,,2,,,NOT-SSE\r\n`);
    const runs = await runsOf(file);
    expect(runs.map((r) => r.count)).toEqual([2, 1]);
    expect(() => runs[0]!.rows()).toThrow(`${file}: record 3 has 2 fields, expected 8`);
    expect(() => runs[0]!.exportSegments()).toThrow(`${file}: record 3 has 2 fields, expected 8`);
    const long = await listFile(`${HEADER}\r\nb,k,,,1,,,NOT-SSE\r\nb,k,,,1,,,NOT-SSE,extra\r\n`);
    const [run] = await runsOf(long);
    expect(() => run!.exportSegments()).toThrow(`${long}: record 3 has 9 fields, expected 8`);
    expect(runs[1]!.rows()).toEqual([{ bucket: 'b', key: 'q,k', size: 2, encryptionStatus: 'NOT-SSE' }]);
  });

  it('takes the text after the last line end as a last record, as the general reader does', async () => {
    const file = await listFile(`${HEADER}\r\nb,k,,,1,,,NOT-SSE\r\nb,tail,,,2,,,NOT-SSE`);
    const rows: UnencryptedRow[] = [];
    for await (const batch of readUnencryptedCsvBatches(file)) rows.push(...batch);
    expect(rows.map((r) => r.key)).toEqual(['k', 'tail']);
    expect(exportOf(await runsOf(file)).toString()).toBe('b,k,,,1,,,NOT-SSE\r\nb,tail,,,2,,,NOT-SSE\r\n');
  });

  it('refuses another header, an empty file, a quote left open and a record that never ends', async () => {
    await expect(runsOf(await listFile('key,size\r\nk,1\r\n'))).rejects.toThrow('header is not bucket,key,version_id');
    await expect(runsOf(await listFile(HEADER))).resolves.toEqual([]);
    const empty = await listFile('');
    await expect(runsOf(empty)).rejects.toThrow(`${empty}: empty file, no header`);
    await expect(runsOf(await listFile(`${HEADER}\r\nb,"open,,,1,,,NOT-SSE\r\n`))).rejects.toThrow(
      'quoted field not closed before the end of the file',
    );
    const endless = await listFile(`${HEADER}\r\nb,k,,,1,,,NOT-SSE\r\nb,"${'x'.repeat(1.5 * 1024 * 1024)}`);
    await expect(runsOf(endless)).rejects.toThrow(`${endless}: record 3 runs past 1048576 bytes without ending`);
  });
});
