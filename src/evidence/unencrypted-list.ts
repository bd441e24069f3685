import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { CsvRecordParser, csvRecordEnd } from '../format/csv-records.js';
import { FORMULA_START } from '../format/spreadsheet-safe.js';
import { UNENCRYPTED_CSV_HEADER } from '../format/unencrypted-columns.js';
import type { UnencryptedRow } from './unencrypted-csv.js';

/**
 * Reading back an unencrypted-object list the inventory collector wrote (unencrypted-csv.ts), for
 * the CSV export and the workbook. Lists run to millions of records, nearly all of them plain text:
 * such records are found at the byte level and parsed only when asked, and the export copies those
 * it would write unchanged as they are. Every record reads as the general CSV reader (CsvRecordParser)
 * reads it.
 */

/** Streams the rows of a list back, header checked. */
export async function* readUnencryptedCsv(path: string): AsyncGenerator<UnencryptedRow> {
  for await (const batch of readUnencryptedCsvBatches(path)) yield* batch;
}

const BATCH_ROWS = 1024;

/** The same rows in batches of about a thousand: a long list is handed on without a promise per row. */
export async function* readUnencryptedCsvBatches(path: string): AsyncGenerator<readonly UnencryptedRow[]> {
  let rows: UnencryptedRow[] = [];
  for await (const records of readUnencryptedCsvRecords(path)) {
    if (rows.length === 0 && records.count >= BATCH_ROWS) {
      yield records.rows();
      continue;
    }
    for (const row of records.rows()) rows.push(row);
    if (rows.length >= BATCH_ROWS) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows;
}

/** Records the export copies as they are, or rows it writes again. */
type ExportSegment = Buffer | readonly UnencryptedRow[];

/**
 * Consecutive records of a list. They are counted as they are read; their rows are made when asked
 * for (past the workbook's cap they are only counted), and a record that does not hold as many
 * fields as the header is an error then.
 */
export interface UnencryptedRecords {
  readonly count: number;
  rows(): readonly UnencryptedRow[];
  /**
   * The records as the CSV export writes them: runs of records it would write exactly as they are
   * here (see `exportsAsIs`), as bytes, and the rows of the others, which it writes again.
   */
  exportSegments(): ExportSegment[];
}

/** How much of a list is read at a time. */
const READ_BYTES = 256 * 1024;
/**
 * A record is a bucket name, a key (at most 1,024 bytes), a version id and short fields: one that has
 * not ended after this many bytes is not one the collector wrote (a quote left open).
 */
const MAX_RECORD_BYTES = 1024 * 1024;

/** A list as runs of records, in order (see UnencryptedRecords). */
export async function* readUnencryptedCsvRecords(path: string): AsyncGenerator<UnencryptedRecords> {
  const list = new ListScan(path);
  let carry: Buffer | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>) {
    const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
    const taken = list.scan(bytes);
    yield* list.take();
    carry = taken < bytes.length ? bytes.subarray(taken) : undefined;
    if (carry !== undefined && carry.length > MAX_RECORD_BYTES) {
      throw new Error(`${path}: record ${list.records + 1} runs past ${MAX_RECORD_BYTES} bytes without ending`);
    }
  }
  list.finish(carry);
  yield* list.take();
}

/** Takes a list's bytes apart into runs of records. */
class ListScan {
  /** Records seen so far, the header included: the number of the last one. */
  records = 0;
  private runs: UnencryptedRecords[] = [];

  constructor(private readonly path: string) {}

  /** Takes the complete records of `bytes`; returns where the first incomplete one starts. */
  scan(bytes: Buffer): number {
    let pos = 0;
    let plain = -1; // start of the run of records without a quote
    let quoted = -1; // start of the run of records with one
    let quote = bytes.indexOf(QUOTE);
    while (pos < bytes.length) {
      if (quote !== -1 && quote < pos) quote = bytes.indexOf(QUOTE, pos);
      const lf = bytes.indexOf(LF, pos);
      if (lf === -1 && quote === -1) break;
      if (lf !== -1 && (quote === -1 || quote > lf) && this.records > 0) {
        if (quoted !== -1) this.runs.push(new QuotedRun(bytes.subarray(quoted, pos), this.records, this.path));
        quoted = -1;
        if (plain === -1) plain = pos;
        this.records++;
        pos = lf + 1;
        continue;
      }
      const end = csvRecordEnd(bytes, pos);
      if (end === -1) break;
      if (plain !== -1) this.runs.push(new PlainRun(bytes.subarray(plain, pos), this.records, this.path));
      plain = -1;
      if (this.records === 0) {
        this.header(bytes.subarray(pos, end));
      } else if (quoted === -1) {
        quoted = pos;
      }
      this.records++;
      pos = end;
    }
    if (plain !== -1) this.runs.push(new PlainRun(bytes.subarray(plain, pos), this.records, this.path));
    if (quoted !== -1) this.runs.push(new QuotedRun(bytes.subarray(quoted, pos), this.records, this.path));
    return pos;
  }

  /** The bytes after the last line end, which the general reader takes as a last record. */
  finish(rest: Buffer | undefined): void {
    const parser = new CsvRecordParser();
    const tail = [...(rest === undefined ? [] : parser.push(rest.toString('utf8'))), ...parser.end()];
    if (tail.length > 0 && this.records === 0) {
      this.checkHeader(tail[0]!);
      this.records++;
      tail.shift();
    }
    if (this.records === 0) throw new Error(`${this.path}: empty file, no header`);
    if (tail.length > 0) {
      this.records++;
      const row = unencryptedRow(tail[0]!, this.path, this.records);
      this.runs.push({ count: 1, rows: () => [row], exportSegments: () => [[row]] });
    }
  }

  take(): UnencryptedRecords[] {
    const runs = this.runs;
    this.runs = [];
    return runs;
  }

  private header(bytes: Buffer): void {
    const records = new CsvRecordParser().push(bytes.toString('utf8'));
    this.checkHeader(records[0]!);
  }

  private checkHeader(record: string[]): void {
    if (record.join(',') !== UNENCRYPTED_CSV_HEADER.join(',')) {
      throw new Error(`${this.path}: header is not ${UNENCRYPTED_CSV_HEADER.join(',')}`);
    }
  }
}

/** Complete records of a list; `last` is the number of the last one. Their rows are made once, when asked for. */
abstract class RecordRun implements UnencryptedRecords {
  abstract readonly count: number;
  private made: UnencryptedRow[] | undefined;

  constructor(
    protected readonly bytes: Buffer,
    protected readonly last: number,
    protected readonly path: string,
  ) {}

  rows(): readonly UnencryptedRow[] {
    this.made ??= this.makeRows();
    return this.made;
  }

  protected abstract makeRows(): UnencryptedRow[];
  abstract exportSegments(): ExportSegment[];
}

/** Records without a quote, each ending with a line feed. */
class PlainRun extends RecordRun {
  readonly count = countLineFeeds(this.bytes);

  protected makeRows(): UnencryptedRow[] {
    return this.rowsOf(this.bytes, this.last - this.count + 1);
  }

  exportSegments(): ExportSegment[] {
    const { bytes } = this;
    const segments: ExportSegment[] = [];
    let line = this.last - this.count; // the number of the record before `pos`
    let asIs = -1; // where the records written as they are start, and the first one's number
    let asIsLine = 0;
    let other = -1; // the same for the records written again
    let otherLine = 0;
    for (let pos = 0; pos < bytes.length;) {
      const lf = bytes.indexOf(LF, pos);
      line++;
      if (exportsAsIs(bytes, pos, lf)) {
        if (other !== -1) segments.push(this.rowsOf(bytes.subarray(other, pos), otherLine));
        other = -1;
        if (asIs === -1) [asIs, asIsLine] = [pos, line];
      } else {
        if (asIs !== -1) segments.push(this.asIs(bytes.subarray(asIs, pos), asIsLine));
        asIs = -1;
        if (other === -1) [other, otherLine] = [pos, line];
      }
      pos = lf + 1;
    }
    if (asIs !== -1) segments.push(this.asIs(bytes.subarray(asIs), asIsLine));
    if (other !== -1) segments.push(this.rowsOf(bytes.subarray(other), otherLine));
    return segments;
  }

  /** Records the export writes as they are, once checked to be UTF-8: a decoder would replace a byte that is not. */
  private asIs(bytes: Buffer, first: number): ExportSegment {
    return isUtf8(bytes) ? bytes : this.rowsOf(bytes, first);
  }

  /** Without quotes, the general reader drops every CR and splits at commas and line feeds. */
  private rowsOf(bytes: Buffer, first: number): UnencryptedRow[] {
    const lines = bytes.toString('utf8').split('\n');
    const rows: UnencryptedRow[] = [];
    for (let i = 0; i < lines.length - 1; i++) {
      const line = lines[i]!;
      rows.push(
        unencryptedRow((line.includes('\r') ? line.replaceAll('\r', '') : line).split(','), this.path, first + i),
      );
    }
    return rows;
  }
}

/** Records some of which hold quoted fields. */
class QuotedRun extends RecordRun {
  readonly count = QuotedRun.countRecords(this.bytes);

  private static countRecords(bytes: Buffer): number {
    let count = 0;
    for (let pos = 0; pos < bytes.length; pos = csvRecordEnd(bytes, pos)) count++;
    return count;
  }

  protected makeRows(): UnencryptedRow[] {
    const records = new CsvRecordParser().push(this.bytes.toString('utf8'));
    let line = this.last - records.length;
    return records.map((record) => unencryptedRow(record, this.path, ++line));
  }

  exportSegments(): ExportSegment[] {
    return [this.rows()];
  }
}

function countLineFeeds(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

const FIELDS = UNENCRYPTED_CSV_HEADER.length;
const IS_LATEST = UNENCRYPTED_CSV_HEADER.indexOf('is_latest');
const SIZE = UNENCRYPTED_CSV_HEADER.indexOf('size');

/**
 * Whether the export writes the record at `start` of `bytes` (its line feed at `lf`, no quote in it)
 * exactly as it is here: so when reading it and writing it again changes nothing. It ends with CRLF
 * and holds no other CR (the reader drops a CR); it has the header's fields; no field starts as a
 * formula would (the export puts a quote before it); is_latest is empty, true or false, and size a
 * whole number as a number is written (both are read as values, not text). Without quotes, no field
 * holds a comma, a quote or a line break, so none is quoted when written.
 */
function exportsAsIs(bytes: Buffer, start: number, lf: number): boolean {
  const stop = lf - 1;
  if (stop < start || bytes[stop] !== CR) return false;
  let field = 0;
  let fieldStart = start;
  for (let i = start; i < stop; i++) {
    const c = bytes[i];
    if (c === COMMA) {
      if (!fieldAsIs(bytes, field, fieldStart, i)) return false;
      field++;
      fieldStart = i + 1;
    } else if (c === CR) {
      return false;
    }
  }
  return field === FIELDS - 1 && fieldAsIs(bytes, field, fieldStart, stop);
}

function fieldAsIs(bytes: Buffer, field: number, start: number, end: number): boolean {
  if (end > start && startsFormula(bytes, start, end)) return false;
  if (field === IS_LATEST) return isLatestText(bytes, start, end);
  if (field === SIZE) return isWholeNumberText(bytes, start, end);
  return true;
}

/** The ASCII characters spreadsheet-safe.ts's rule neutralises at the start of a cell, by byte, from that rule itself. */
const FORMULA_START_ASCII = Uint8Array.from({ length: 0x80 }, (_, c) =>
  FORMULA_START.test(String.fromCharCode(c)) ? 1 : 0,
);

/** Whether the export would neutralise the field at `start`: by table for ASCII, by the rule itself on its first character otherwise. */
function startsFormula(bytes: Buffer, start: number, end: number): boolean {
  const first = bytes[start]!;
  if (first < 0x80) return FORMULA_START_ASCII[first] === 1;
  return FORMULA_START.test(bytes.toString('utf8', start, Math.min(end, start + 4)));
}

/** Empty, `true` or `false`. */
function isLatestText(bytes: Buffer, start: number, end: number): boolean {
  const n = end - start;
  if (n === 0) return true;
  const word = n === 4 ? 'true' : n === 5 ? 'false' : undefined;
  if (word === undefined) return false;
  for (let i = 0; i < n; i++) if (bytes[start + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** Digits with no leading zero, few enough that Number() and back gives the same text. */
function isWholeNumberText(bytes: Buffer, start: number, end: number): boolean {
  const n = end - start;
  if (n === 0 || n > 15 || (n > 1 && bytes[start] === ZERO)) return false;
  for (let i = start; i < end; i++) if (bytes[i]! < ZERO || bytes[i]! > NINE) return false;
  return true;
}

function unencryptedRow(record: string[], path: string, line: number): UnencryptedRow {
  if (record.length !== FIELDS) {
    throw new Error(`${path}: record ${line} has ${record.length} fields, expected ${FIELDS}`);
  }
  // Each field is there (counted above): the defaults only give the names their type.
  const [
    bucket = '',
    key = '',
    versionId = '',
    isLatest = '',
    size = '',
    lastModified = '',
    storageClass = '',
    encryptionStatus = '',
  ] = record;
  // Fields set one by one in the header's order (spreading an object per optional field cost more than the parse).
  const row: Partial<UnencryptedRow> = { bucket, key };
  if (versionId) row.versionId = versionId;
  if (isLatest) row.isLatest = isLatest === 'true';
  row.size = Number(size);
  if (lastModified) row.lastModified = lastModified;
  if (storageClass) row.storageClass = storageClass;
  row.encryptionStatus = encryptionStatus;
  return row as UnencryptedRow;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;
