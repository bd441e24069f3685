import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readUnencryptedCsv, unencryptedCsvLine, type UnencryptedRow } from '../../src/evidence/unencrypted-csv.js';
import { UNENCRYPTED_CSV_HEADER } from '../../src/format/unencrypted-columns.js';

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

  it('refuses a file with another header', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'key,size\nk,1\n');
    await expect(readAll(file)).rejects.toThrow('header is not bucket,key,version_id');
  });
});
