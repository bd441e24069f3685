import { quoteFormulaStart } from './spreadsheet-safe.js';

/**
 * The one CSV writer of the tool: every file it writes as CSV (exports/*.csv, the unencrypted-object
 * lists under evidence/) is made of lines from here. RFC 4180: comma-separated, CRLF after every
 * record, a field quoted when it holds a comma, a quote or a line break (quotes doubled), UTF-8
 * without a byte-order mark. Written by hand rather than through a CSV library: it runs once per
 * listed object (hundreds of thousands of lines a packet), and a library's per-call option handling
 * cost more than the writing. test/format/csv.test.ts checks it line for line against csv-stringify.
 */

export type CsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

function field(value: CsvValue, exact: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = exact ? value : quoteFormulaStart(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One record, CRLF-terminated. Text cells that a spreadsheet would run as a formula (= + - @ tab CR
 * first) get a leading quote, as the workbook's cells do; `exact` keeps them as they are, for
 * evidence copies whose keys must match the inventory byte for byte.
 */
export function csvRecord(cells: readonly CsvValue[], opts: { exact?: boolean } = {}): string {
  const exact = opts.exact === true;
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += field(cells[i], exact);
  }
  return `${line}\r\n`;
}
