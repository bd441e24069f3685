import type { Cell } from 'exceljs';
import { FORMULA_START, quoteFormulaStart } from '../../format/spreadsheet-safe.js';

/**
 * Everything that puts a value into a cell goes through here, so no cell can become a formula
 * and no user-controlled text (object keys, policy Sids) can reach Excel un-neutralised.
 */

/**
 * How a status cell is coloured; the word stays in the cell so it reads in greyscale too.
 * `accepted`: a risk knowingly accepted (an EXCEPTION), apart from the amber of "not evaluated".
 */
export type Tone = 'good' | 'bad' | 'warn' | 'neutral' | 'accepted';

/** A Date is a wall-clock time (its UTC fields are what the cell shows): see `wallClock`. */
export type CellInput = string | number | Date | null | undefined | { text: string; tone: Tone };

export type NumberFormat = 'count' | 'bytes' | 'pct' | 'pct2' | 'date' | 'datetime';

const NUMBER_FORMATS: Record<NumberFormat, string> = {
  count: '#,##0',
  bytes: '#,##0',
  pct: '0.000%',
  pct2: '0.00%',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

const DATE_WIDTHS: Partial<Record<NumberFormat, number>> = { date: 10, datetime: 19 };

const TONE_COLOURS: Record<Tone, { fill: string; font: string }> = {
  good: { fill: 'FFC6EFCE', font: 'FF006100' },
  bad: { fill: 'FFFFC7CE', font: 'FF9C0006' },
  warn: { fill: 'FFFFEB9C', font: 'FF9C5700' },
  neutral: { fill: 'FFD9D9D9', font: 'FF404040' },
  accepted: { fill: 'FFE4DFEC', font: 'FF3F3151' },
};

/** Excel's limit on the length of one cell's text. */
const MAX_CELL_TEXT = 32_767;

// Characters XML 1.0 cannot carry; exceljs would silently drop them and change an object key.
// eslint-disable-next-line no-control-regex -- matching control characters is this expression's job
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;

/** Text as it may safely sit in a cell: control characters made visible, formula starts quoted. */
export function neutraliseText(text: string): string {
  let out = text.replace(XML_INVALID, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  out = quoteFormulaStart(out);
  if (out.length > MAX_CELL_TEXT) out = `${out.slice(0, MAX_CELL_TEXT - 1)}…`;
  return out;
}

/** Write one value: strings neutralised, numbers as numbers, toned cells filled. Never a formula. */
export function setCell(cell: Cell, input: CellInput, format?: NumberFormat): void {
  if (input === null || input === undefined || input === '') {
    cell.value = null;
    return;
  }
  if (input instanceof Date) {
    cell.value = input;
    cell.numFmt = NUMBER_FORMATS[format ?? 'datetime'];
    return;
  }
  if (typeof input === 'number') {
    if (Number.isFinite(input)) {
      cell.value = input;
      if (format) cell.numFmt = NUMBER_FORMATS[format];
    } else {
      cell.value = String(input);
    }
    return;
  }
  if (typeof input === 'string') {
    cell.value = neutraliseText(input);
    return;
  }
  cell.value = neutraliseText(input.text);
  const colours = TONE_COLOURS[input.tone];
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: colours.fill } };
  cell.font = { bold: true, color: { argb: colours.font } };
}

/** Display length used for column widths (longest line for text, formatted length for numbers). */
export function displayLength(input: CellInput, format?: NumberFormat): number {
  if (input === null || input === undefined) return 0;
  if (input instanceof Date) return DATE_WIDTHS[format ?? 'datetime'] ?? 19;
  if (typeof input === 'number') {
    if (format === 'pct' || format === 'pct2') return 8;
    return Math.round(input).toLocaleString('en-US').length;
  }
  const text = typeof input === 'string' ? input : input.text;
  return Math.max(0, ...text.split('\n').map((line) => line.length)) + (FORMULA_START.test(text) ? 1 : 0);
}

/** Percent as the packet holds it (0..100, null when there is nothing to measure) to a real fraction. */
export function pctFraction(percent: number): number {
  // toPrecision(15) drops binary noise such as 99.9 / 100 = 0.9990000000000001.
  return Number((percent / 100).toPrecision(15));
}
