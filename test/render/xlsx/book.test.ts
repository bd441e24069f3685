import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bookBytes, openBook, writeBookFile } from '../../../src/render/xlsx/book.js';
import { cellAt, readWorkbook, readZip, sheetNamed } from '../../support/xlsx-reader.js';

const DATE = new Date('2026-11-01T11:00:00Z');
const tempFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'book-')), 'b.xlsx');

async function oneSheet(rows: number): Promise<Buffer> {
  return bookBytes(DATE, async (out) => {
    const book = openBook(out, { author: 'a', title: 't', date: DATE });
    const sheet = book.addSheet('List', { columns: [{}, { width: 20 }, { wrap: true }], frozenRows: 1 });
    await sheet.row([
      { value: 'Name', header: true },
      { value: 'Fixed', header: true },
      { value: 'Prose', header: true },
    ]);
    for (let i = 0; i < rows; i++)
      await sheet.row([
        { value: i === rows - 1 ? 'x'.repeat(40) : `name-${i}` },
        { value: i },
        { value: 'y'.repeat(100), wrap: true },
      ]);
    sheet.filter(1, rows + 1);
    await sheet.finish();
    await book.finish();
  });
}

describe('streamed workbook', () => {
  it('writes every row in order, widths from the first rows, filter and frozen header', async () => {
    const file = tempFile();
    await writeBookFile(file, DATE, async (out) => {
      const book = openBook(out, { author: 'a', title: 't', date: DATE });
      const sheet = book.addSheet('List', { columns: [{}, { width: 20 }, { wrap: true }], frozenRows: 1 });
      await sheet.row([
        { value: 'Name', header: true },
        { value: 'Fixed', header: true },
        { value: 'Prose', header: true },
      ]);
      for (let i = 0; i < 2500; i++)
        await sheet.row([{ value: `name-${i}` }, { value: i }, { value: 'y'.repeat(100), wrap: true }]);
      sheet.filter(1, 2501);
      await sheet.finish();
      await book.finish();
    });
    const s = sheetNamed(readWorkbook(file, 3), 'List');
    expect(s.maxRow).toBe(2501);
    expect(s.autoFilter).toBe('A1:C2501');
    expect(s.freezePanes).toBe('A2');
    // "name-999" is the longest of the first 1,000 rows: 8 + 2; the fixed column keeps 20; prose stops at 64.
    expect(s.widths).toEqual({ A: 10, B: 20, C: 64 });
    expect(cellAt(s, 'A1')).toMatchObject({ value: 'Name', bold: true, fill: 'FFDDEBF7' });
    expect(readZip(file).bad).toBeNull();
    expect(new Set(readZip(file).times.map((t) => t.join(' ')))).toEqual(new Set(['2026 11 1 11 0 0']));
  });

  it("a workbook that fails mid-sheet rejects with its own error, not the stream's", async () => {
    const file = tempFile();
    const failing = writeBookFile(file, DATE, async (out) => {
      const book = openBook(out, { author: 'a', title: 't', date: DATE });
      const sheet = book.addSheet('List', { columns: [{}, {}], frozenRows: 1 });
      // Past the width sample, so rows have gone to the zip when it fails.
      for (let i = 0; i < 1_500; i++) await sheet.row([{ value: `name-${i}` }, { value: i }]);
      throw new Error('the list is shorter than the packet says');
    });
    await expect(failing).rejects.toThrow('the list is shorter than the packet says');
  });

  it('widths come from the first 1,000 rows only: a longer value after them does not widen the column', async () => {
    const s = sheetNamed(readWorkbook(writeTemp(await oneSheet(1_200)), 2), 'List');
    expect(s.widths.A).toBe(10); // "name-999" + 2, not the 40 x's of the last row
  });

  it('the same content gives the same bytes', async () => {
    expect((await oneSheet(300)).equals(await oneSheet(300))).toBe(true);
  });

  it('gives each cell the style its own value and spec decide, however many cells came before with another', async () => {
    // Cells differing in one thing only (tone, number format, date format, bold, header) follow one
    // another, each kind first seen with one setting and then the other: a style shared by cells that
    // differ would show here as the first cell's fill, format or weight on the second.
    const bytes = await bookBytes(DATE, async (out) => {
      const book = openBook(out, { author: 'a', title: 't', date: DATE });
      const sheet = book.addSheet('Styles', { columns: [{}, {}, {}, {}], frozenRows: 0 });
      await sheet.row([
        { value: { text: 'FAIL', tone: 'bad' } },
        { value: { text: 'PASS', tone: 'good' } },
        { value: { text: 'N/A', tone: 'neutral' } },
        { value: { text: 'FAIL', tone: 'bad' } },
      ]);
      await sheet.row([
        { value: 1234, format: 'count' },
        { value: 0.5, format: 'pct' },
        { value: 7 },
        { value: 0.25, format: 'pct2' },
      ]);
      await sheet.row([
        { value: new Date('2026-10-31T00:00:00Z'), format: 'date' },
        { value: new Date('2026-10-31T12:34:56Z'), format: 'datetime' },
        { value: new Date('2026-10-30T00:00:00Z'), format: 'date' },
        { value: 'plain' },
      ]);
      await sheet.row([
        { value: 'plain' },
        { value: 'strong', bold: true },
        { value: 'Head', header: true },
        { value: 'linked', link: { file: 'evidence/a b.json' } },
      ]);
      await sheet.finish();
      await book.finish();
    });
    const s = sheetNamed(readWorkbook(writeTemp(bytes)), 'Styles');
    expect(['A1', 'B1', 'C1', 'D1'].map((ref) => [cellAt(s, ref).fill, cellAt(s, ref).bold])).toEqual([
      ['FFFFC7CE', true],
      ['FFC6EFCE', true],
      ['FFD9D9D9', true],
      ['FFFFC7CE', true],
    ]);
    expect(['A2', 'B2', 'C2', 'D2'].map((ref) => cellAt(s, ref).numberFormat)).toEqual([
      '#,##0',
      '0.000%',
      'General',
      '0.00%',
    ]);
    expect(['A3', 'B3', 'C3'].map((ref) => [cellAt(s, ref).numberFormat, cellAt(s, ref).value])).toEqual([
      ['yyyy-mm-dd', '2026-10-31T00:00:00.000Z'],
      ['yyyy-mm-dd hh:mm:ss', '2026-10-31T12:34:56.000Z'],
      ['yyyy-mm-dd', '2026-10-30T00:00:00.000Z'],
    ]);
    expect(cellAt(s, 'D3')).toMatchObject({ value: 'plain', bold: false, fill: null, numberFormat: 'General' });
    expect(['A4', 'B4', 'C4', 'D4'].map((ref) => [cellAt(s, ref).bold, cellAt(s, ref).fill])).toEqual([
      [false, null],
      [true, null],
      [true, 'FFDDEBF7'],
      [false, null],
    ]);
    expect(s.links.D4).toEqual({ file: 'evidence/a%20b.json' });
  });

  it('links a file by its path with each segment percent-encoded as encodeURIComponent does, for every printable ASCII character', async () => {
    // One file name per character (none of them a path separator or a dot-dot), in a folder of its own,
    // so the part of a path that needs no encoding and the part that does are both written.
    const chars = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).filter(
      (c) => c !== '/' && c !== '\\',
    );
    const files = chars.map((c) => `evidence/dir-${c}/name${c}x.json`);
    const bytes = await bookBytes(DATE, async (out) => {
      const book = openBook(out, { author: 'a', title: 't', date: DATE });
      const sheet = book.addSheet('Links', { columns: [{}], frozenRows: 0 });
      for (const file of files) await sheet.row([{ value: file, link: { file } }]);
      await sheet.finish();
      await book.finish();
    });
    const s = sheetNamed(readWorkbook(writeTemp(bytes), files.length), 'Links');
    const expected = Object.fromEntries(
      files.map((file, i) => [
        `A${i + 1}`,
        {
          file: file
            .split('/')
            .map((seg) => encodeURIComponent(seg))
            .join('/'),
        },
      ]),
    );
    expect(s.links).toEqual(expected);
    // The plain path is written as it is; a space or a percent sign is encoded.
    expect(s.links.A1).toEqual({ file: 'evidence/dir-%20/name%20x.json' });
    expect(s.links[`A${chars.indexOf('%') + 1}`]).toEqual({ file: 'evidence/dir-%25/name%25x.json' });
    expect(s.links[`A${chars.indexOf('_') + 1}`]).toEqual({ file: 'evidence/dir-_/name_x.json' });
  });

  it('puts the banner on row 1 right of the columns, even on a sheet with no rows', async () => {
    const bytes = await bookBytes(DATE, async (out) => {
      const book = openBook(out, { author: 'a', title: 't', date: DATE, banner: 'PROVISIONAL' });
      const sheet = book.addSheet('Empty', { columns: [{}, {}], frozenRows: 0 });
      await sheet.finish();
      await book.finish();
    });
    const s = sheetNamed(readWorkbook(writeTemp(bytes)), 'Empty');
    expect(cellAt(s, 'D1')).toMatchObject({ value: 'PROVISIONAL', bold: true });
  });

  it('refuses rows out of order, a second open sheet, and links that leave the packet', async () => {
    await expect(
      bookBytes(DATE, async (out) => {
        const book = openBook(out, { author: 'a', title: 't', date: DATE });
        const sheet = book.addSheet('S', { columns: [{}], frozenRows: 0 });
        await sheet.row([{ value: 'a' }], 3);
        await sheet.row([{ value: 'b' }], 2);
      }),
    ).rejects.toThrow('row 2 comes after row 3');
    await expect(
      bookBytes(DATE, async (out) => {
        const book = openBook(out, { author: 'a', title: 't', date: DATE });
        book.addSheet('S', { columns: [{}], frozenRows: 0 });
        book.addSheet('T', { columns: [{}], frozenRows: 0 });
      }),
    ).rejects.toThrow('sheet "S" is still being written');
    for (const file of ['/etc/passwd', '../x.json', 'evidence/../../x', 'file:///x', 'C:/x'])
      await expect(
        bookBytes(DATE, async (out) => {
          const book = openBook(out, { author: 'a', title: 't', date: DATE });
          const sheet = book.addSheet('S', { columns: [{}], frozenRows: 0 });
          await sheet.row([{ value: 'x', link: { file } }]);
          await sheet.finish();
        }),
      ).rejects.toThrow('workbook link outside the packet');
  });
});

function writeTemp(bytes: Buffer): string {
  const file = tempFile();
  writeFileSync(file, bytes);
  return file;
}
