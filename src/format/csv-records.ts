import { StringDecoder } from 'node:string_decoder';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * General RFC 4180 record reader (quoted fields may hold commas, quotes and line breaks), fed text
 * piece by piece. Runs of plain text are taken as slices of the piece, not a character at a time:
 * the lists it reads back run to hundreds of thousands of records. A CR outside quotes is dropped;
 * a quote inside unquoted text is a character like any other; text after a closing quote joins the
 * field.
 */
export class CsvRecordParser {
  private record: string[] = [];
  private field = '';
  private inQuotes = false;
  /** Saw a quote inside a quoted field: either "" or the closing quote. */
  private quotePending = false;
  private fieldStarted = false;

  /** The records `text` completes. */
  push(text: string): string[][] {
    const out: string[][] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (text.charCodeAt(i) === QUOTE) {
            this.field += '"';
            i++;
            continue;
          }
          this.inQuotes = false; // the quote closed the field; the separator handling below takes this character
        } else {
          const close = text.indexOf('"', i);
          if (close < 0) {
            this.field += text.slice(i);
            break;
          }
          this.field += text.slice(i, close);
          this.quotePending = true;
          i = close + 1;
          continue;
        }
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        this.record.push(this.field);
        this.field = '';
        this.fieldStarted = false;
        i++;
      } else if (c === LF) {
        this.record.push(this.field);
        out.push(this.record);
        this.record = [];
        this.field = '';
        this.fieldStarted = false;
        i++;
      } else if (c === CR) {
        i++; // CRLF: the LF ends the record
      } else if (c === QUOTE && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
        i++;
      } else {
        // Plain text up to the next separator.
        let end = i + 1;
        while (end < n) {
          const d = text.charCodeAt(end);
          if (d === COMMA || d === LF || d === CR) break;
          end++;
        }
        this.field += text.slice(i, end);
        this.fieldStarted = true;
        i = end;
      }
    }
    return out;
  }

  /** The last record when the text did not end with a line break; throws when a quoted field is still open. */
  end(): string[][] {
    if (this.quotePending) this.inQuotes = false;
    if (this.inQuotes) throw new Error('quoted field not closed before the end of the file');
    if (!this.fieldStarted && this.record.length === 0) return [];
    this.record.push(this.field);
    const last = this.record;
    this.record = [];
    this.field = '';
    this.fieldStarted = false;
    return [last];
  }
}

/**
 * Where the record starting at `start` of `bytes` ends (the index after its line feed), by the same
 * rules as CsvRecordParser; -1 when it does not end within `bytes`. Bytes of multi-byte UTF-8
 * characters are all above 0x7f, so they never pass for a quote, comma or line break.
 */
export function csvRecordEnd(bytes: Uint8Array, start: number): number {
  let inQuotes = false;
  let quotePending = false;
  let fieldStarted = false;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i];
    if (inQuotes) {
      if (!quotePending) {
        if (c === QUOTE) quotePending = true;
        continue;
      }
      quotePending = false;
      if (c === QUOTE) continue;
      inQuotes = false;
    }
    if (c === COMMA) fieldStarted = false;
    else if (c === LF) return i + 1;
    else if (c === QUOTE && !fieldStarted) inQuotes = fieldStarted = true;
    else if (c !== CR) fieldStarted = true;
  }
  return -1;
}

/** The records of a CSV stream, in batches: those completed by each piece of the stream. */
async function* csvRecordBatches(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[][]> {
  const decoder = new StringDecoder('utf8');
  const parser = new CsvRecordParser();
  for await (const chunk of stream) {
    const out = parser.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (out.length > 0) yield out;
  }
  const out = [...parser.push(decoder.end()), ...parser.end()];
  if (out.length > 0) yield out;
}

/** The records of a CSV stream, one by one. */
export async function* csvRecords(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  for await (const records of csvRecordBatches(stream)) yield* records;
}
