import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLines, csvRecord, type CsvValue } from '../../src/format/csv.js';

/** What csv-stringify itself writes for `rows`, with the options the tool's writer documents. */
function writerOutput(rows: CsvValue[][], exact: boolean): string {
  const cells = rows.map((r) =>
    r.map((v) => (typeof v === 'string' && !exact && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''))),
  );
  return stringify(cells, {
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: { boolean: (value: boolean) => String(value) },
  });
}

describe('csvRecord: the one CSV writer', () => {
  it('RFC 4180: CRLF after the record, quoted only where a comma, quote or line break is held', () => {
    expect(csvRecord(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'ü ł 東京'])).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\rhere",ü ł 東京\r\n',
    );
  });

  it('numbers as digits, booleans as words, null and undefined as empty fields', () => {
    expect(csvRecord([-3, 0, 1.5, true, false, null, undefined, ''])).toBe('-3,0,1.5,true,false,,,\r\n');
  });

  it('neutralises formula starts (= + - @ tab CR) in text, not in numbers', () => {
    expect(csvRecord(['=HYPERLINK("x")', '+1', '-1', '@SUM(A1)', '\tx', '\rx', -1])).toBe(
      `"'=HYPERLINK(""x"")",'+1,'-1,'@SUM(A1),'\tx,"'\rx",-1\r\n`,
    );
  });

  it('exact: evidence copies keep the text as it is', () => {
    expect(csvRecord(['=k', '-k'], { exact: true })).toBe('=k,-k\r\n');
  });

  it('csvLines: many records in one text, each as csvRecord writes it', () => {
    expect(
      csvLines([
        ['a,b', 1],
        ['=x', null],
        [true, 'two\nlines'],
      ]),
    ).toBe('"a,b",1\r\n\'=x,\r\ntrue,"two\nlines"\r\n');
    expect(csvLines([['=k'], ['-k']], { exact: true })).toBe('=k\r\n-k\r\n');
    expect(csvLines([])).toBe('');
  });

  it('writes every record byte for byte as csv-stringify does, plain or quoted, in order', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', '9', ' ', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', 'é', '東'),
    });
    const cell = fc.oneof(
      text,
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 });
    fc.assert(
      fc.property(rows, fc.boolean(), (r, exact) => {
        expect(csvLines(r, { exact })).toBe(writerOutput(r, exact));
      }),
      { numRuns: 2_000 },
    );
  });
});
