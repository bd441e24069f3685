import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { csvRecords } from '../../src/format/csv-records.js';
import { unencryptedCsvLine, type UnencryptedRow } from '../../src/evidence/unencrypted-csv.js';
import { readUnencryptedCsv, readUnencryptedCsvBatches } from '../../src/evidence/unencrypted-list.js';
import { UNENCRYPTED_CSV_HEADER } from '../../src/format/unencrypted-columns.js';
import { stringify } from 'csv-stringify/sync';
import { seededRandom } from '../../src/util/seeded-random.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'unencrypted-csv-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(file: string): Promise<UnencryptedRow[]> {
  const rows = [];
  for await (const r of readUnencryptedCsv(file)) rows.push(r);
  return rows;
}

describe('unencrypted objects CSV', () => {
  it('quotes only fields that need it, and keeps formula starts (an evidence copy is exact)', () => {
    expect(unencryptedCsvLine({ bucket: 'b', key: '=a,b "c"\nd', size: 1, encryptionStatus: 'NOT-SSE' })).toBe(
      'b,"=a,b ""c""\nd",,,1,,,NOT-SSE\r\n',
    );
  });

  it('writes every record as csv-stringify does (CRLF, fields with a comma, quote or line break quoted), formula starts kept', () => {
    const random = seededRandom(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const texts = [
      '',
      'a',
      'logs/2026/10/x.gz',
      '=1+2',
      '-x',
      'a,b',
      'say "hi"',
      'two\nlines',
      'cr\rhere',
      'caf\u00e9',
      ' sp ',
    ];
    for (let i = 0; i < 3_000; i++) {
      const row: UnencryptedRow = {
        bucket: pick(texts),
        key: pick(texts),
        ...(random() < 0.5 ? { versionId: pick(texts) } : {}),
        ...(random() < 0.5 ? { isLatest: random() < 0.5 } : {}),
        size: pick([0, 1, 123456789012, 2 ** 53]),
        ...(random() < 0.5 ? { lastModified: pick(texts) } : {}),
        ...(random() < 0.5 ? { storageClass: pick(texts) } : {}),
        encryptionStatus: pick(texts),
      };
      const cells = [
        row.bucket,
        row.key,
        row.versionId ?? '',
        row.isLatest === undefined ? '' : String(row.isLatest),
        row.size,
        row.lastModified ?? '',
        row.storageClass ?? '',
        row.encryptionStatus,
      ];
      expect(unencryptedCsvLine(row)).toBe(stringify([cells], { record_delimiter: 'windows', quoted_match: /[\r\n]/ }));
    }
  });

  it('writes a row in header order, empty where the report had no column', () => {
    expect(unencryptedCsvLine({ bucket: 'b', key: 'k', size: 5, encryptionStatus: 'NOT-SSE' })).toBe(
      'b,k,,,5,,,NOT-SSE\r\n',
    );
  });

  it('reads back what it wrote, including keys with commas, quotes, line breaks and unicode', async () => {
    const rows: UnencryptedRow[] = [
      {
        bucket: 'b',
        key: 'a,b "c"\nd',
        versionId: 'v1',
        isLatest: false,
        size: 0,
        lastModified: '2026-01-01T00:00:00.000Z',
        storageClass: 'STANDARD',
        encryptionStatus: 'NOT-SSE',
      },
      { bucket: 'b', key: 'café/ø', size: 123456789012, encryptionStatus: 'NOT-SSE' },
    ];
    const file = path.join(dir, 'u.csv');
    await writeFile(file, `${UNENCRYPTED_CSV_HEADER.join(',')}\n${rows.map(unencryptedCsvLine).join('')}`);
    expect(await readAll(file)).toEqual(rows);
  });

  it('reads in batches: the same rows in order, none empty, many rows per batch', async () => {
    const rows: UnencryptedRow[] = Array.from({ length: 20_000 }, (_, i) => ({
      bucket: 'b',
      key: `k/${i},"x"`,
      ...(i % 3 === 0 ? { versionId: `v${i}` } : {}),
      ...(i % 2 === 0 ? { isLatest: i % 4 === 0 } : {}),
      size: i,
      ...(i % 5 === 0 ? { lastModified: '2026-10-01T00:00:00.000Z' } : {}),
      ...(i % 7 === 0 ? { storageClass: 'GLACIER' } : {}),
      encryptionStatus: 'NOT-SSE',
    }));
    const file = path.join(dir, 'many.csv');
    await writeFile(file, `${UNENCRYPTED_CSV_HEADER.join(',')}\r\n${rows.map(unencryptedCsvLine).join('')}`);
    const batches: (readonly UnencryptedRow[])[] = [];
    for await (const b of readUnencryptedCsvBatches(file)) batches.push(b);
    expect(batches.flat()).toEqual(rows);
    expect(batches.every((b) => b.length > 0)).toBe(true);
    // ~1 MB of text: batches of hundreds of rows, not one per row.
    expect(batches.length).toBeLessThan(40);
    expect(await readAll(file)).toEqual(rows);
  });

  it('refuses a file with another header', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'key,size\nk,1\n');
    await expect(readAll(file)).rejects.toThrow('header is not bucket,key,version_id');
  });
});

/** The records of `text` fed to the reader in pieces of `piece` bytes (UTF-8 characters split too). */
async function records(text: string, piece = 1 << 16): Promise<string[][]> {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += piece) parts.push(bytes.subarray(i, i + piece));
  const out: string[][] = [];
  for await (const r of csvRecords(Readable.from(parts))) out.push(r);
  return out;
}

describe('csvRecords: the RFC 4180 reader', () => {
  const text =
    'bucket,key,size\r\n' +
    'b,"a,b ""quoted"" c",12\r\n' +
    'b,,0\n' +
    'b,"two\r\nlines",\r\n' +
    'b,tenant%2F2026%2F10%2Fevents+1.json,7\r\n' +
    'b,caf\u00e9/\u6771\u4eac/\ud83d\ude00,3';
  const expected = [
    ['bucket', 'key', 'size'],
    ['b', 'a,b "quoted" c', '12'],
    ['b', '', '0'],
    ['b', 'two\r\nlines', ''],
    ['b', 'tenant%2F2026%2F10%2Fevents+1.json', '7'],
    ['b', 'caf\u00e9/\u6771\u4eac/\ud83d\ude00', '3'],
  ];

  it('quoted commas, doubled quotes, empty fields, CRLF and LF, a quoted line break, no final line end', async () => {
    expect(await records(text)).toEqual(expected);
  });

  it('gives the same records whichever byte the chunks break at', async () => {
    for (const piece of [1, 2, 3, 5, 7, 13]) expect(await records(text, piece)).toEqual(expected);
  });

  it('keeps a quote inside unquoted text and text after a closing quote', async () => {
    expect(await records('a"b,"x"y,""\n')).toEqual([['a"b', 'xy', '']]);
  });

  it('refuses a quoted field left open at the end', async () => {
    await expect(records('a,"open\n')).rejects.toThrow('quoted field not closed before the end of the file');
  });
});
