import type { Book, SheetOut } from '../book.js';
import { startTable, tableLayout, type Column, type TableWriter } from '../table.js';

/** The log sheets put a note on row 1 (what the sheet holds, or why it is empty) and their table from row 2. */
export const HEADER_ROW = 2;

/** A sheet whose row 1 is `note` and whose table header is row 2. */
export async function openNotedTable<R>(
  book: Book,
  name: string,
  columns: ReadonlyArray<Column<R>>,
  note: string,
): Promise<{ sheet: SheetOut; table: TableWriter<R> }> {
  const sheet = book.addSheet(name, tableLayout(columns, HEADER_ROW));
  await sheet.row([{ value: note, bold: true, spill: true }]);
  return { sheet, table: await startTable(sheet, columns) };
}

/** Period bounds as the workbook shows them: UTC, end exclusive. */
export function periodContext(period: { startUtc: string; endUtc: string; timeZone: string }): {
  start: string;
  end: string;
  zone: string;
} {
  return { start: period.startUtc, end: period.endUtc, zone: period.timeZone };
}
