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
 * Many records, each exactly as `csvRecord` writes it, in one text. A record none of whose fields
 * needs quoting (no comma, quote, CR or LF) is the fields joined by commas: written here, as the
 * writer would write it, without a call to it. The writer costs some 2-4 µs a record, and a tenant
 * whose objects are mostly unencrypted lists millions of them, almost all plain; every other record
 * is the writer's, one call for all of them.
 */
export function csvLines(rows: ReadonlyArray<readonly CsvValue[]>, opts: { exact?: boolean } = {}): string {
  let text = '';
  let quoted: CsvValue[][] = [];
  const writeQuoted = () => {
    if (quoted.length === 0) return;
    text += stringify(quoted, OPTIONS);
    quoted = [];
  };
  for (const cells of rows) {
    const fields = cells.map((v) => (typeof v === 'string' && !opts.exact ? quoteFormulaStart(v) : (v ?? '')));
    const plain = fields.length > 0 && fields.every((v) => typeof v !== 'string' || !NEEDS_QUOTES.test(v));
    if (!plain) {
      quoted.push(fields);
      continue;
    }
    writeQuoted();
    text += `${fields.map(String).join(',')}\r\n`;
  }
  writeQuoted();
  return text;
}

/** What makes the writer quote a field (the delimiter, the quote, and any line break: see OPTIONS). */
const NEEDS_QUOTES = /[",\r\n]/;
