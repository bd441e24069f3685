/**
 * A streaming scanner for S3 Inventory CSV: no header, fields double-quoted with "" as the escape
 * (unquoted fields are accepted too), rows ended by LF (CRLF tolerated). It works on the raw bytes
 * and only reports where each field lies, so rows that need no strings cost no allocations.
 *
 * Rows of the common shape (every field quoted, no "" escape) are found by csv-fast-rows.wat, 16
 * bytes at a time; any other row, and every row where WebAssembly cannot run, by the general scanner
 * below. Both report the same rows, fields and errors for the same bytes, however they are chunked
 * (test/collect/inventory/csv-scanner.test.ts compares them on random input).
 */
import { fastRowReader, type FastRowReader } from './csv-fast-rows.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Inventory rows are a few hundred bytes; anything this long is not an inventory row. */
const MAX_ROW_BYTES = 1 << 20;
const WASM_PAGE = 65_536;
/** Room after the bytes for the fast reader: its sentinel quote and the 16 bytes a vector load reads past it. */
const FAST_TAIL = 32;
/**
 * Room for the fast reader's output (each row's field bounds, 8 bytes a field) after the bytes: 1,820
 * rows of S3's 18 columns per call; a fileSchema of thousands of columns gets fewer rows, not more memory.
 */
const FAST_OUTPUT_BYTES = 256 * 1024;
/**
 * Readers of scanners that have ended, for the next scanner of this thread: each reader's memory
 * (the chunk and its rows, about a megabyte) then serves file after file instead of each file
 * leaving one behind until the collector gets to it.
 */
const spareReaders: FastRowReader[] = [];
const MAX_SPARE_READERS = 4;

export interface RowSink {
  /**
   * Field f lies in bytes [bounds[at + 2f], bounds[at + 2f + 1]) of buf, without its quotes;
   * escaped[f] is 1 when it holds "" escapes. buf, bounds and escaped are reused for the next row.
   */
  row(buf: Buffer, bounds: Int32Array, at: number, escaped: Uint8Array, line: number): void;
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
  private line = 0;
  private ended: 'ok' | CsvScanError | undefined;
  private fast: FastRowReader | undefined;
  /** The bytes not yet scanned (a row cut by the chunk's end) are store[0, pending). */
  private store: Uint8Array;
  private pending = 0;
  private readonly bounds: Int32Array;
  private readonly escaped: Uint8Array;
  private readonly noEscapes: Uint8Array;
  /** Rows the fast reader reads per call. */
  private readonly batchRows: number;

  constructor(
    private readonly columns: number,
    private readonly sink: RowSink,
    options: { fastRows?: boolean } = {},
  ) {
    this.fast = options.fastRows === false ? undefined : (spareReaders.pop() ?? fastRowReader());
    this.store = this.fast ? new Uint8Array(this.fast.memory.buffer) : Buffer.alloc(0);
    this.bounds = new Int32Array(2 * columns);
    this.escaped = new Uint8Array(columns);
    this.noEscapes = new Uint8Array(columns);
    this.batchRows = Math.max(1, Math.floor(FAST_OUTPUT_BYTES / (8 * columns)));
  }

  /** Rows seen so far, good or bad. */
  get rows(): number {
    return this.line;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('the scanner has ended');
    if (chunk.length === 0) return;
    const length = this.pending + chunk.length;
    this.reserve(length);
    this.store.set(chunk, this.pending);
    this.pending = length;
    const used = this.fast ? this.scanFast(this.fast) : this.scanAll();
    this.store.copyWithin(0, used, length);
    this.pending = length - used;
    if (this.pending > MAX_ROW_BYTES) {
      throw new CsvScanError(this.line + 1, `row longer than ${MAX_ROW_BYTES} bytes without a line end`);
    }
  }

  /**
   * The last row may lack its line end; anything still unfinished after that is an open quote.
   * The scanner is done after this: another end() gives the same outcome, a push() is refused.
   */
  end(): void {
    if (this.ended) {
      if (this.ended instanceof CsvScanError) throw this.ended;
      return;
    }
    try {
      if (this.pending > 0) this.push(Buffer.from([LF]));
      if (this.pending > 0) throw new CsvScanError(this.line + 1, 'quoted field not closed before the end of the file');
      this.ended = 'ok';
    } catch (err) {
      this.ended = err instanceof CsvScanError ? err : 'ok';
      throw err;
    } finally {
      this.release();
    }
  }

  /** Hands the fast reader to the next scanner of this thread, with the memory it holds. */
  private release(): void {
    if (this.fast && spareReaders.length < MAX_SPARE_READERS) spareReaders.push(this.fast);
    this.fast = undefined;
    this.store = Buffer.alloc(0);
    this.pending = 0;
  }

  /** Room for `length` bytes, and in the fast reader's memory for the rows it may write after them. */
  private reserve(length: number): void {
    if (this.fast) {
      const needed = fastRowsAt(length) + this.batchRows * 8 * this.columns;
      const memory = this.fast.memory;
      const have = memory.buffer.byteLength;
      if (needed > have) {
        memory.grow(Math.ceil((Math.max(needed, have + have / 4) - have) / WASM_PAGE));
        this.store = new Uint8Array(memory.buffer);
      }
    } else if (length > this.store.length) {
      const grown = Buffer.allocUnsafe(Math.max(length, 2 * this.store.length));
      grown.set(this.store.subarray(0, this.pending));
      this.store = grown;
    }
  }

  private scanAll(): number {
    const buf = Buffer.from(this.store.buffer, this.store.byteOffset, this.pending);
    return this.scanRows(buf, 0, Infinity, buf.lastIndexOf(QUOTE));
  }

  /** The fast reader takes every row it can; the general scanner the one row at a time it cannot. */
  private scanFast(fast: FastRowReader): number {
    const end = this.pending;
    const cols = this.columns;
    this.store[end] = QUOTE;
    const out = fastRowsAt(end);
    const memory = fast.memory.buffer;
    const buf = Buffer.from(memory, 0, end);
    const batchRows = this.batchRows;
    const bounds = new Int32Array(memory, out, batchRows * 2 * cols);
    let lastQuote: number | undefined;
    let pos = 0;
    for (;;) {
      const count = fast.rows(pos, end, cols, out, batchRows);
      for (let r = 0; r < count; r++) this.sink.row(buf, bounds, 2 * cols * r, this.noEscapes, ++this.line);
      pos = fast.stop();
      if (pos >= end) return pos;
      if (count === batchRows) continue;
      lastQuote ??= buf.lastIndexOf(QUOTE);
      const next = this.scanRows(buf, pos, 1, lastQuote);
      if (next === pos) return pos; // a row cut by the chunk's end: wait for more bytes
      pos = next;
    }
  }

  /**
   * Scans up to `maxRows` whole rows from `from`; returns where the first row it did not scan starts
   * (an incomplete one, or the one after the last it scanned). `lastQuote` is buf's last quote.
   */
  private scanRows(buf: Buffer, from: number, maxRows: number, lastQuote: number): number {
    const n = buf.length;
    const cols = this.columns;
    const bounds = this.bounds;
    const escaped = this.escaped;
    let pos = from;
    let scanned = 0;
    while (pos < n && scanned < maxRows) {
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
            // Every quote search stops at the last quote at the latest, so it needs no bounds check.
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
          bounds[2 * f] = s;
          bounds[2 * f + 1] = e;
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
      scanned++;
      const line = ++this.line;
      if (bad !== undefined) this.sink.error(line, bad);
      else if (f !== cols) this.sink.error(line, `${f} columns where the fileSchema has ${cols}`);
      else this.sink.row(buf, bounds, 0, escaped, line);
    }
    return pos;
  }
}

/** Where the fast reader writes its rows: past the bytes and their tail, 8-byte aligned. */
function fastRowsAt(length: number): number {
  return (length + FAST_TAIL + 7) & ~7;
}
