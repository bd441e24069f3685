import type { Workbook, Worksheet } from 'exceljs';
import type { Wording } from '../../../wording/wording.js';
import { setCell } from '../cells.js';

/** The log sheets put a note on row 1 (what the sheet holds, or why it is empty) and their table from row 2. */
const NOTE_ROW = 1;
export const HEADER_ROW = 2;

export function addLogSheet(wb: Workbook, w: Wording, sheetKey: string): Worksheet {
  return wb.addWorksheet(w.t(`xlsx.sheets.${sheetKey}`));
}

export function writeNote(sheet: Worksheet, text: string): void {
  const cell = sheet.getCell(NOTE_ROW, 1);
  setCell(cell, text);
  cell.font = { bold: true };
}

/** Period bounds as the workbook shows them: UTC, end exclusive. */
export function periodContext(period: { startUtc: string; endUtc: string; timeZone: string }): {
  start: string;
  end: string;
  zone: string;
} {
  return { start: period.startUtc, end: period.endUtc, zone: period.timeZone };
}
