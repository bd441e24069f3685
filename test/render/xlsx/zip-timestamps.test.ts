import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { dosDateTime, stampZipEntries } from '../../../src/render/xlsx/zip-timestamps.js';
import { readZip } from '../../support/xlsx-reader.js';

describe('dosDateTime', () => {
  it('packs UTC fields: 2026-11-01T11:00:00Z', () => {
    // date = (2026-1980)<<9 | 11<<5 | 1 = 23552 + 352 + 1; time = 11<<11
    expect(dosDateTime(new Date('2026-11-01T11:00:00Z'))).toEqual({ time: 22528, date: 23905 });
  });

  it('packs 2026-10-31T23:59:59Z with two-second resolution', () => {
    // time = 23<<11 | 59<<5 | 59/2 floored (29) = 47104 + 1888 + 29
    expect(dosDateTime(new Date('2026-10-31T23:59:59Z'))).toEqual({ time: 49021, date: 23903 });
  });

  it('clamps dates before the DOS epoch to 1980-01-01', () => {
    expect(dosDateTime(new Date('1970-01-01T00:00:00Z'))).toEqual({ time: 0, date: 33 });
  });
});

describe('stampZipEntries', () => {
  it('sets every entry time, as an independent zip reader reads it, and keeps the archive valid', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('one').getCell('A1').value = 'hello';
    const raw = Buffer.from(await wb.xlsx.writeBuffer());
    const stamped = stampZipEntries(raw, new Date('2024-02-29T13:14:16Z'));
    expect(stamped.length).toBe(raw.length);

    const file = path.join(mkdtempSync(path.join(tmpdir(), 'zip-stamp-')), 'stamped.xlsx');
    writeFileSync(file, stamped);
    const read = readZip(file);
    expect(read.bad).toBeNull();
    expect(read.times.length).toBeGreaterThan(5);
    for (const t of read.times) expect(t).toEqual([2024, 2, 29, 13, 14, 16]);
  });

  it('rejects bytes that are not a zip', () => {
    expect(() => stampZipEntries(Buffer.alloc(100), new Date())).toThrow(/end of central directory/);
  });
});
