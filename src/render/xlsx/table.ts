import type { Worksheet } from 'exceljs';
import type { Wording } from '../../wording/wording.js';
import { displayLength, setCell, type CellInput, type NumberFormat } from './cells.js';

/** One column of a table sheet: its header, how its numbers are formatted and where its value comes from. */
export interface Column<R> {
  header: string;
  format?: NumberFormat;
  /** Long prose (reasons, remediation, evidence lists): wrapped, and wider. */
  wrap?: boolean;
  /** Fixed width, for values of known length (hashes). */
  width?: number;
  value: (row: R) => CellInput;
}

/** A "(key total)"-style row: bold, still inside the filtered range. */
interface AddOptions {
  bold?: boolean;
}

export interface ColumnSpec<R> {
  /** Header label key under xlsx.columns.<sheet>. */
  id: string;
  format?: NumberFormat;
  wrap?: boolean;
  width?: number;
  value: (row: R) => CellInput;
}

/** Resolve headers from templates/wording.yaml: xlsx.columns.<sheet>.<id>. */
export function columnsFor<R>(w: Wording, sheet: string, specs: Array<ColumnSpec<R>>): Array<Column<R>> {
  return specs.map(({ id, ...rest }) => ({ header: w.t(`xlsx.columns.${sheet}.${id}`), ...rest }));
}

const MIN_WIDTH = 8;
const MAX_WIDTH = 48;
const MAX_WRAPPED_WIDTH = 64;
const HEADER_FILL = 'FFDDEBF7';

export interface TableWriter<R> {
  add(row: R, opts?: AddOptions): void;
  /** Write a row outside the filtered range (e.g. a total), bold. */
  addFooter(row: R): void;
  /** Freeze the header, set the auto-filter over header and data rows, size the columns. Returns the last row written. */
  finish(): number;
}

/**
 * A table on `sheet` whose header sits at `headerRow` (1-based). Rows are written as they come so a
 * long list never needs a second copy in memory; widths are tracked on the way.
 */
export function startTable<R>(sheet: Worksheet, columns: Array<Column<R>>, headerRow = 1): TableWriter<R> {
  const widths = columns.map((c) => c.header.length);
  let lastDataRow = headerRow;
  let nextRow = headerRow + 1;

  columns.forEach((column, i) => {
    const cell = sheet.getCell(headerRow, i + 1);
    setCell(cell, column.header);
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.border = { bottom: { style: 'thin' } };
    cell.alignment = { vertical: 'top', wrapText: true };
  });

  function write(row: R, bold: boolean): void {
    const rowNumber = nextRow++;
    columns.forEach((column, i) => {
      const value = column.value(row);
      const cell = sheet.getCell(rowNumber, i + 1);
      setCell(cell, value, column.format);
      if (column.wrap) cell.alignment = { vertical: 'top', wrapText: true };
      if (bold && !cell.font?.bold) cell.font = { bold: true };
      widths[i] = Math.max(widths[i] ?? 0, displayLength(value, column.format));
    });
  }

  return {
    add(row, opts) {
      write(row, opts?.bold ?? false);
      lastDataRow = nextRow - 1;
    },
    addFooter(row) {
      write(row, true);
    },
    finish() {
      sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow }];
      sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: lastDataRow, column: columns.length } };
      columns.forEach((column, i) => {
        const max = column.wrap ? MAX_WRAPPED_WIDTH : MAX_WIDTH;
        sheet.getColumn(i + 1).width = column.width ?? Math.min(max, Math.max(MIN_WIDTH, (widths[i] ?? 0) + 2));
      });
      return nextRow - 1;
    },
  };
}

/** Write all rows of a table at once. */
export function writeTable<R>(sheet: Worksheet, columns: Array<Column<R>>, rows: Iterable<R>, headerRow = 1): void {
  const table = startTable(sheet, columns, headerRow);
  for (const row of rows) table.add(row);
  table.finish();
}
