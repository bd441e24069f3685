import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWording } from '../../../src/wording/wording.js';
import { renderXlsx } from '../../../src/render/xlsx/index.js';
import { samplePacket } from '../../support/sample-packet.js';

/**
 * Every sheet, read back with exceljs: no text runs past its column unwrapped (except a note on a
 * row of its own, which spills over empty cells), and no narrow column holds long prose.
 */
describe('workbook layout: widths and wrapping on every sheet', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    const bytes = await renderXlsx(samplePacket({ logs: true, governance: true }), {
      wording: loadWording(),
      unencryptedCsv: 'exports/unencrypted-objects.csv',
    });
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  });

  it('a cell whose text is longer than its column is wrapped, or a note alone on its row', () => {
    const overflowing: string[] = [];
    const narrowProse: string[] = [];
    for (const ws of wb.worksheets) {
      ws.eachRow((row) => {
        row.eachCell((cell) => {
          const text =
            typeof cell.value === 'string'
              ? cell.value
              : cell.value && typeof cell.value === 'object' && 'text' in cell.value
                ? cell.value.text
                : undefined;
          if (text === undefined) return;
          const longest = Math.max(...text.split('\n').map((l) => l.length));
          const col = Number(cell.col);
          const width = ws.getColumn(col).width ?? 9;
          const wrapped = cell.alignment?.wrapText === true;
          // Text longer than its column shows only when the cell to its right is empty.
          const right = row.getCell(col + 1).value;
          const hidden = right !== null && right !== undefined;
          if (longest > width && !wrapped && hidden)
            overflowing.push(`${ws.name}!${cell.address} (${longest} > ${width})`);
          if (wrapped && width <= 13 && longest > 60)
            narrowProse.push(`${ws.name}!${cell.address} (${longest} in ${width})`);
        });
      });
    }
    expect(overflowing).toEqual([]);
    expect(narrowProse).toEqual([]);
  });

  it('date columns are real dates whose header names the zone', () => {
    let dates = 0;
    for (const ws of wb.worksheets)
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (!(cell.value instanceof Date)) return;
          dates++;
          expect(cell.numFmt, `${ws.name}!${cell.address}`).toMatch(/^yyyy-mm-dd/);
        }),
      );
    expect(dates).toBeGreaterThan(10);
  });
});
