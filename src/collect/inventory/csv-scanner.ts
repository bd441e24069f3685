/**
 * A streaming scanner for S3 Inventory CSV: no header, fields double-quoted with "" as the escape
 * (unquoted fields are accepted too), rows ended by LF (CRLF tolerated). It works on the raw bytes
 * and only reports where each field lies, so rows that need no strings cost no allocations.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Inventory rows are a few hundred bytes; anything this long is not an inventory row. */
const MAX_ROW_BYTES = 1 << 20;

export interface RowSink {
  /**
   * Field f lies in bytes [starts[f], ends[f]) of buf, without its quotes; escaped[f] is 1 when it
   * holds "" escapes. The arrays are reused for the next row.
   */
  row(buf: Buffer, starts: Int32Array, ends: Int32Array, escaped: Uint8Array, line: number): void;
  error(line: number, message: string): void;
}

export class CsvScanError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export class InventoryCsvScanner {
  private carry: Buffer | null = null;
  private line = 0;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly escaped: Uint8Array;

  constructor(
    private readonly columns: number,
    private readonly sink: RowSink,
  ) {
    this.starts = new Int32Array(columns);
    this.ends = new Int32Array(columns);
    this.escaped = new Uint8Array(columns);
  }

  /** Rows seen so far, good or bad. */
  get rows(): number {
    return this.line;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.carry) {
      // Finish the carried row with the chunk's bytes up to a line end, then scan the rest in
      // place, rather than copying every chunk behind the carry.
      let end = chunk.indexOf(LF);
      for (;;) {
        if (end < 0) {
          this.keep(Buffer.concat([this.carry, chunk]));
          return;
        }
        const joined = Buffer.concat([this.carry, chunk.subarray(0, end + 1)]);
        if (this.scan(joined) === joined.length) break;
        end = chunk.indexOf(LF, end + 1); // the line end was inside a quoted field
      }
      this.carry = null;
      buf = chunk.subarray(end + 1);
    }
    const used = this.scan(buf);
    if (used < buf.length) this.keep(Buffer.from(buf.subarray(used))); // a copy, so it does not pin the chunk
  }

  private keep(partialRow: Buffer): void {
    if (partialRow.length > MAX_ROW_BYTES) {
      throw new CsvScanError(this.line + 1, `row longer than ${MAX_ROW_BYTES} bytes without a line end`);
    }
    this.carry = partialRow;
  }

  /** The last row may lack its line end; anything still unfinished after that is an open quote. */
  end(): void {
    if (!this.carry) return;
    this.push(Buffer.from([LF]));
    if (this.carry) throw new CsvScanError(this.line + 1, 'quoted field not closed before the end of the file');
  }

  /** Scans whole rows; returns where the first incomplete row starts. */
  private scan(buf: Buffer): number {
    const n = buf.length;
    const cols = this.columns;
    const starts = this.starts;
    const ends = this.ends;
    const escaped = this.escaped;
    // Every quote search below stops at this quote at the latest, so it needs no bounds check.
    const lastQuote = buf.lastIndexOf(QUOTE);
    let pos = 0;
    while (pos < n) {
      const rowStart = pos;
      let f = 0;
      let bad: string | undefined;
      for (;;) {
        if (pos >= n) return rowStart;
        let c = buf[pos]!;
        let s: number;
        let e: number;
        let x = 0;
        if (c === QUOTE) {
          s = pos + 1;
          let p = s;
          for (;;) {
            if (p > lastQuote) return rowStart;
            while (buf[p] !== QUOTE) p++;
            // A quote as the last byte may be the first half of "": wait for more.
            if (p + 1 >= n) return rowStart;
            if (buf[p + 1] === QUOTE) {
              x = 1;
              p += 2;
              continue;
            }
            break;
          }
          e = p;
          pos = p + 1;
        } else {
          s = pos;
          while (pos < n) {
            c = buf[pos]!;
            if (c === COMMA || c === LF || c === CR) break;
            pos++;
          }
          if (pos >= n) return rowStart;
          e = pos;
        }
        if (f < cols) {
          starts[f] = s;
          ends[f] = e;
          escaped[f] = x;
        }
        f++;
        c = buf[pos]!;
        if (c === COMMA) {
          pos++;
          continue;
        }
        if (c === LF) {
          pos++;
          break;
        }
        if (c === CR) {
          if (pos + 1 >= n) return rowStart;
          if (buf[pos + 1] === LF) {
            pos += 2;
            break;
          }
        }
        // Something other than a separator after a closing quote: skip to the line end.
        const nl = buf.indexOf(LF, pos);
        if (nl < 0) return rowStart;
        pos = nl + 1;
        bad = `unexpected character '${String.fromCharCode(c)}' after field ${f}`;
        break;
      }
      const line = ++this.line;
      if (bad !== undefined) this.sink.error(line, bad);
      else if (f !== cols) this.sink.error(line, `${f} columns where the fileSchema has ${cols}`);
      else this.sink.row(buf, starts, ends, escaped, line);
    }
    return pos;
  }
}
