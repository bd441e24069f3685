/**
 * @deprecated The workbook tests no longer need Python: use ./xlsx-reader.js. These names stay so that tests
 * written against the openpyxl-based reader keep compiling; they read through the same npm-installed reader.
 */
import { readWorkbook, type CellDump, type SheetDump, type WorkbookDump } from './xlsx-reader.js';

export { cellAt, sheetNamed } from './xlsx-reader.js';
export type OpenpyxlCell = CellDump;
export type OpenpyxlSheet = SheetDump;
export type OpenpyxlWorkbook = WorkbookDump;
export const readWithOpenpyxl: (file: string, maxRows?: number) => WorkbookDump = readWorkbook;
