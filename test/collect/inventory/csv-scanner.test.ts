import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvScanError, InventoryCsvScanner, type RowSink } from '../../../src/collect/inventory/csv-scanner.js';

type Seen = { rows: { line: number; fields: string[] }[]; errors: { line: number; message: string }[] };

function recorder(): { sink: RowSink; seen: Seen } {
  const seen: Seen = { rows: [], errors: [] };
  const sink: RowSink = {
    row(buf, bounds, at, escaped, line) {
      const fields = Array.from(escaped, (x, i) => {
        const v = buf.toString('utf8', bounds[at + 2 * i], bounds[at + 2 * i + 1]);
        return x ? v.replace(/""/g, '"') : v;
      });
      seen.rows.push({ line, fields });
    },
    error(line, message) {
      seen.errors.push({ line, message });
    },
  };
  return { sink, seen };
}

type Engine = { fastRows: boolean };
/** With the WebAssembly reader for rows of the common shape, and with the general scanner alone. */
const ENGINES: [string, Engine][] = [
  ['with the fast row reader', { fastRows: true }],
  ['with the general scanner alone', { fastRows: false }],
];

/** Feeds `text` in pieces of `step` bytes. */
function scan(text: string, columns: number, step = Infinity, engine: Engine = { fastRows: true }): Seen {
  return scanPieces(Buffer.from(text, 'utf8'), columns, [step], engine);
}

/** Feeds `bytes` in pieces of the given sizes, used in turn; what was seen, and what end() threw. */
function scanPieces(bytes: Buffer, columns: number, sizes: number[], engine: Engine): Seen & { thrown?: string } {
  const { sink, seen } = recorder();
  const scanner = new InventoryCsvScanner(columns, sink, engine);
  let turn = 0;
  try {
    for (let i = 0; i < bytes.length;) {
      const size = Math.max(1, Math.min(sizes[turn++ % sizes.length]!, bytes.length));
      scanner.push(bytes.subarray(i, i + size));
      i += size;
    }
    scanner.end();
  } catch (err) {
    if (!(err instanceof CsvScanError)) throw err;
    return { ...seen, thrown: `line ${err.line}: ${err.message}` };
  }
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

describe.each(ENGINES)('InventoryCsvScanner %s', (_name, engine) => {
  const scanWith = (text: string, columns: number, step = Infinity) => scan(text, columns, step, engine);

  it('splits quoted and unquoted fields, unescapes "", tolerates CRLF and a last row without line end', () => {
    expect(scanWith(SAMPLE, 4)).toEqual({ rows: EXPECTED, errors: [] });
  });

  it('gives the same rows however the stream is cut into chunks', () => {
    for (const step of [1, 2, 3, 4, 5, 7, 13, 31, 64]) {
      expect(scanWith(SAMPLE, 4, step), `chunks of ${step}`).toEqual({ rows: EXPECTED, errors: [] });
    }
  });

  it('reports rows with too few or too many columns by line and keeps going', () => {
    const seen = scanWith('"a","b","c"\n"a","b"\n"a","b","c","d"\n"x","y","z"\n', 3);
    expect(seen.errors).toEqual([
      { line: 2, message: '2 columns where the fileSchema has 3' },
      { line: 3, message: '4 columns where the fileSchema has 3' },
    ]);
    expect(seen.rows.map((r) => r.line)).toEqual([1, 4]);
  });

  it('reports text after a closing quote and resumes at the next line', () => {
    const seen = scanWith('"a","b"x,"c"\n"d","e","f"\n', 3);
    expect(seen.errors).toEqual([{ line: 1, message: "unexpected character 'x' after field 2" }]);
    expect(seen.rows).toEqual([{ line: 2, fields: ['d', 'e', 'f'] }]);
  });

  it('a blank line is a one-column row, hence an error', () => {
    expect(scanWith('"a","b"\n\n"c","d"\n', 2).errors).toEqual([
      { line: 2, message: '1 columns where the fileSchema has 2' },
    ]);
  });

  it('throws on a quote left open at the end of the file', () => {
    const { sink } = recorder();
    const scanner = new InventoryCsvScanner(2, sink, engine);
    scanner.push(Buffer.from('"a","b"\n"c","d'));
    expect(() => scanner.end()).toThrow(CsvScanError);
    expect(() => scanner.end()).toThrow('quoted field not closed before the end of the file');
  });

  it('counts rows', () => {
    const { sink } = recorder();
    const scanner = new InventoryCsvScanner(1, sink, engine);
    scanner.push(Buffer.from('"a"\n"b"\n"c"'));
    expect(scanner.rows).toBe(2);
    scanner.end();
    expect(scanner.rows).toBe(3);
  });
});

describe('the fast row reader and the general scanner', () => {
  const noise = fc
    .array(fc.constantFrom('"', '""', ',', '","', '\n', '\r\n', '\r', 'a', 'bc', 'é', '"x"', ' '), { maxLength: 120 })
    .map((pieces) => pieces.join(''));
  // Mostly rows of the common shape with the right width, so the fast reader takes most of them,
  // and among them every kind of row it must leave to the general scanner.
  const field = fc.oneof(
    { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9%.+-]{0,20}$/).map((v) => `"${v}"`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '""',
        '"say ""hi"""',
        '"a,b"',
        '"two\nlines"',
        'plain',
        '',
        '"x"y',
        'xy"',
        'a"b',
        '"é✓"',
        '"\r"',
      ),
    },
  );
  const lineEnd = fc.constantFrom('\n', '\n', '\r\n', '\r', '', '\n\n');
  const table = fc.integer({ min: 1, max: 5 }).chain((columns) => {
    const width = fc.oneof(
      { weight: 4, arbitrary: fc.constant(columns) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }) },
    );
    const row = fc.tuple(
      width.chain((n) => fc.array(field, { minLength: n, maxLength: n })),
      lineEnd,
    );
    const text = fc
      .array(row, { maxLength: 30 })
      .map((list) => list.map(([fields, end]) => fields.join(',') + end).join(''));
    return fc.tuple(text, fc.constant(columns));
  });
  const anyText = fc.tuple(noise, fc.integer({ min: 1, max: 5 }));

  it('report the same rows, errors and end for any bytes, however they are cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.oneof(table, anyText),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 }),
        ([text, columns], sizes) => {
          const bytes = Buffer.from(text, 'utf8');
          const whole = [Math.max(1, bytes.length)];
          const general = scanPieces(bytes, columns, whole, { fastRows: false });
          expect(scanPieces(bytes, columns, sizes, { fastRows: true })).toEqual(general);
          expect(scanPieces(bytes, columns, whole, { fastRows: true })).toEqual(general);
          expect(scanPieces(bytes, columns, sizes, { fastRows: false })).toEqual(general);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agree on rows longer than a chunk and on a row too long to be an inventory row', () => {
    const key = 'k'.repeat(300_000);
    const text = `"b","${key}","1"\n"b","x","2"\n`;
    for (const fastRows of [true, false]) {
      const seen = scanPieces(Buffer.from(text), 3, [65_536], { fastRows });
      expect(seen.rows.map((r) => [r.line, r.fields[1]!.length])).toEqual([
        [1, 300_000],
        [2, 1],
      ]);
    }
    const endless = Buffer.from(`"b","${'k'.repeat((1 << 20) + 10)}`);
    for (const fastRows of [true, false]) {
      expect(scanPieces(endless, 3, [262_144], { fastRows }).thrown).toBe(
        `line 1: row longer than ${1 << 20} bytes without a line end`,
      );
    }
  });
});

describe('the fast row reader in batches', () => {
  it('reads more rows than one call takes, and rows of thousands of columns, as the general scanner does', () => {
    const wide = (cols: number, rows: number) =>
      Array.from(
        { length: rows },
        (_, r) => Array.from({ length: cols }, (_, c) => `"${r}.${c}"`).join(',') + '\n',
      ).join('');
    // 1 column: 32,768 rows a call; 2,000 columns: 16 rows a call; 40,000 columns: 1 row a call.
    for (const [cols, rows] of [
      [1, 70_000],
      [2_000, 40],
      [40_000, 3],
    ] as const) {
      const bytes = Buffer.from(wide(cols, rows));
      const fast = scanPieces(bytes, cols, [bytes.length], { fastRows: true });
      expect(fast.rows).toHaveLength(rows);
      expect(fast.rows[rows - 1]!.fields[cols - 1]).toBe(`${rows - 1}.${cols - 1}`);
      expect(fast).toEqual(scanPieces(bytes, cols, [bytes.length], { fastRows: false }));
    }
  });
});
