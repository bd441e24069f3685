import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worksheet } from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openBook, writeBookFile } from '../../../src/render/xlsx/book.js';
import { MAX_BACKLOG, zipTakenUpTo } from '../../../src/render/xlsx/zip-backlog.js';
import { readWorkbook, sheetNamed } from '../../support/xlsx-reader.js';

const DATE = new Date('2026-11-01T11:00:00Z');
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/** A sheet as exceljs's streaming writer holds it: its stream, piped into archiver's entry stream. */
function sheetHolding(length: number) {
  const state = { length };
  const sheet = { _stream: { pipes: [{ _writableState: state }] } } as unknown as Worksheet;
  return { sheet, state };
}

describe('a sheet waits for the zip to take its XML', () => {
  it('waits while the zip holds more than its limit, and goes on once the zip has taken it', async () => {
    const { sheet, state } = sheetHolding(3 * MAX_BACKLOG);
    let done = false;
    const waiting = zipTakenUpTo(sheet).then(() => (done = true));
    for (let i = 0; i < 5; i++) await tick();
    expect(done).toBe(false);
    state.length = 2 * MAX_BACKLOG;
    for (let i = 0; i < 5; i++) await tick();
    expect(done).toBe(false);
    state.length = MAX_BACKLOG;
    await waiting;
    expect(done).toBe(true);
  });

  it('does not wait when the zip holds little', async () => {
    const { sheet } = sheetHolding(1000);
    let done = false;
    const waiting = zipTakenUpTo(sheet).then(() => (done = true));
    await tick();
    expect(done).toBe(true);
    await waiting;
  });

  it('refuses a sheet whose zip entry stream is not where exceljs 4 keeps it', async () => {
    await expect(zipTakenUpTo({} as Worksheet)).rejects.toThrow(/exceljs changed/);
  });

  it('a workbook of 20,000 rows of text the zip cannot shrink is written whole', async () => {
    const rows = 20_000;
    const texts = Array.from({ length: 64 }, () => randomBytes(150).toString('hex'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'backlog-')), 'b.xlsx');
    await writeBookFile(file, DATE, async (out) => {
      const book = openBook(out, { author: 'a', title: 't', date: DATE });
      const sheet = book.addSheet('List', { columns: [{}, { width: 70 }], frozenRows: 0 });
      for (let i = 0; i < rows; i++) await sheet.row([{ value: `row-${i}` }, { value: texts[i % texts.length]! }]);
      await sheet.finish();
      await book.finish();
    });
    const list = sheetNamed(readWorkbook(file, rows), 'List');
    expect(list.maxRow).toBe(rows);
    expect(list.rows.at(-1)?.map((c) => c.value)).toEqual([`row-${rows - 1}`, texts[(rows - 1) % texts.length]]);
  }, 60_000);
});
