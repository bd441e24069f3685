import { stringify } from 'csv-stringify/sync';
import { quoteFormulaStart } from './spreadsheet-safe.js';

/**
 * The one CSV writer of the tool: every file it writes as CSV (exports/*.csv, the unencrypted-object
 * lists under evidence/) is made of lines from here. RFC 4180: comma-separated, CRLF after every
 * record, a field quoted when it holds a comma, a quote or a line break (quotes doubled), UTF-8
 * without a byte-order mark.
 */

export type CsvValue = string | number | boolean | null | undefined;

const OPTIONS = {
  record_delimiter: 'windows',
  // csv-stringify quotes on the record delimiter (CRLF) only; RFC 4180 wants any line break quoted.
  quoted_match: /[\r\n]/,
  // Booleans as words: csv-stringify's default writes true as 1 and false as nothing.
  cast: { boolean: (value: boolean) => String(value) },
} as const;

/**
 * One record, CRLF-terminated. Text cells that a spreadsheet would run as a formula (= + - @ tab CR
 * first) get a leading quote, as the workbook's cells do; `exact` keeps them as they are, for
 * evidence copies whose keys must match the inventory byte for byte.
 */
export function csvRecord(cells: readonly CsvValue[], opts: { exact?: boolean } = {}): string {
  return csvLines([cells], opts);
}

/**
 * Many records, each exactly as `csvRecord` writes it, in one text: one call to the writer (which
 * sets its options up on every call) for a whole list rather than one per record.
 */
export function csvLines(rows: ReadonlyArray<readonly CsvValue[]>, opts: { exact?: boolean } = {}): string {
  const records = rows.map((cells) =>
    cells.map((v) => (typeof v === 'string' && !opts.exact ? quoteFormulaStart(v) : (v ?? ''))),
  );
  return stringify(records, OPTIONS);
}
