import { describe, expect, it } from 'vitest';
import { CsvScanError, InventoryCsvScanner, type RowSink } from '../../../src/collect/inventory/csv-scanner.js';

type Seen = { rows: { line: number; fields: string[] }[]; errors: { line: number; message: string }[] };

function recorder(): { sink: RowSink; seen: Seen } {
  const seen: Seen = { rows: [], errors: [] };
  const sink: RowSink = {
    row(buf, starts, ends, escaped, line) {
      const fields = Array.from(starts, (s, i) => {
        const v = buf.toString('utf8', s, ends[i]);
        return escaped[i] ? v.replace(/""/g, '"') : v;
      });
      seen.rows.push({ line, fields });
    },
    error(line, message) {
      seen.errors.push({ line, message });
    },
  };
  return { sink, seen };
}

/** Feeds `text` in pieces of `step` bytes. */
function scan(text: string, columns: number, step = Infinity): Seen {
  const { sink, seen } = recorder();
  const scanner = new InventoryCsvScanner(columns, sink);
  const bytes = Buffer.from(text, 'utf8');
  const size = Math.min(step, bytes.length) || 1;
  for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
  scanner.end();
  return seen;
}

const SAMPLE =
  '"b","k%2Fa","10","NOT-SSE"\n' +
  '"b","say ""hi"", twice","","SSE-S3"\r\n' +
  '"b","café","7",""\n' +
  'b,plain,3,SSE-KMS\n' +
  '"b","two\nlines\nin a field","4","SSE-C"\n' +
  '"b","last, no line end","1","DSSE-KMS"';

const EXPECTED = [
  { line: 1, fields: ['b', 'k%2Fa', '10', 'NOT-SSE'] },
  { line: 2, fields: ['b', 'say "hi", twice', '', 'SSE-S3'] },
  { line: 3, fields: ['b', 'café', '7', ''] },
  { line: 4, fields: ['b', 'plain', '3', 'SSE-KMS'] },
  { line: 5, fields: ['b', 'two\nlines\nin a field', '4', 'SSE-C'] },
  { line: 6, fields: ['b', 'last, no line end', '1', 'DSSE-KMS'] },
];

describe('InventoryCsvScanner', () => {
  it('splits quoted and unquoted fields, unescapes "", tolerates CRLF and a last row without line end', () => {
    expect(scan(SAMPLE, 4)).toEqual({ rows: EXPECTED, errors: [] });
  });

  it('gives the same rows however the stream is cut into chunks', () => {
    for (const step of [1, 2, 3, 4, 5, 7, 13, 31, 64]) {
      expect(scan(SAMPLE, 4, step), `chunks of ${step}`).toEqual({ rows: EXPECTED, errors: [] });
    }
  });

  it('reports rows with too few or too many columns by line and keeps going', () => {
    const seen = scan('"a","b","c"\n"a","b"\n"a","b","c","d"\n"x","y","z"\n', 3);
    expect(seen.errors).toEqual([
      { line: 2, message: '2 columns where the fileSchema has 3' },
      { line: 3, message: '4 columns where the fileSchema has 3' },
    ]);
    expect(seen.rows.map((r) => r.line)).toEqual([1, 4]);
  });

  it('reports text after a closing quote and resumes at the next line', () => {
    const seen = scan('"a","b"x,"c"\n"d","e","f"\n', 3);
    expect(seen.errors).toEqual([{ line: 1, message: "unexpected character 'x' after field 2" }]);
    expect(seen.rows).toEqual([{ line: 2, fields: ['d', 'e', 'f'] }]);
  });

  it('a blank line is a one-column row, hence an error', () => {
    expect(scan('"a","b"\n\n"c","d"\n', 2).errors).toEqual([
      { line: 2, message: '1 columns where the fileSchema has 2' },
    ]);
  });

  it('throws on a quote left open at the end of the file', () => {
    const { sink } = recorder();
    const scanner = new InventoryCsvScanner(2, sink);
    scanner.push(Buffer.from('"a","b"\n"c","d'));
    expect(() => scanner.end()).toThrow(CsvScanError);
    expect(() => scanner.end()).toThrow('quoted field not closed before the end of the file');
  });

  it('counts rows', () => {
    const { sink } = recorder();
    const scanner = new InventoryCsvScanner(1, sink);
    scanner.push(Buffer.from('"a"\n"b"\n"c"'));
    expect(scanner.rows).toBe(2);
    scanner.end();
    expect(scanner.rows).toBe(3);
  });
});
