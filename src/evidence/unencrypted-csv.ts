import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { csvRecord } from '../format/csv.js';
import { UNENCRYPTED_CSV_HEADER } from '../format/unencrypted-columns.js';

export interface UnencryptedRow {
  bucket: string;
  /** Decoded object key. */
  key: string;
  versionId?: string;
  isLatest?: boolean;
  size: number;
  lastModified?: string;
  storageClass?: string;
  encryptionStatus: string;
}

/** One record of an evidence copy: the keys exactly as the inventory holds them (no formula quoting). */
export function unencryptedCsvLine(row: UnencryptedRow): string {
  return csvRecord(
    [
      row.bucket,
      row.key,
      row.versionId ?? '',
      row.isLatest === undefined ? '' : row.isLatest,
      row.size,
      row.lastModified ?? '',
      row.storageClass ?? '',
      row.encryptionStatus,
    ],
    { exact: true },
  );
}

/** Streams the rows of a file written by the inventory collector back, header checked. */
export async function* readUnencryptedCsv(path: string): AsyncGenerator<UnencryptedRow> {
  for await (const batch of readUnencryptedCsvBatches(path)) yield* batch;
}

/**
 * The same rows in batches (those of one read of the file): a list of hundreds of thousands of rows
 * is handed on without a promise per row.
 */
export async function* readUnencryptedCsvBatches(path: string): AsyncGenerator<UnencryptedRow[]> {
  let header = true;
  let line = 0;
  for await (const records of csvRecordBatches(createReadStream(path))) {
    const rows: UnencryptedRow[] = [];
    for (const record of records) {
      line++;
      if (header) {
        if (record.join(',') !== UNENCRYPTED_CSV_HEADER.join(',')) {
          throw new Error(`${path}: header is not ${UNENCRYPTED_CSV_HEADER.join(',')}`);
        }
        header = false;
        continue;
      }
      rows.push(unencryptedRow(record, path, line));
    }
    if (rows.length > 0) yield rows;
  }
  if (header) throw new Error(`${path}: empty file, no header`);
}

function unencryptedRow(record: string[], path: string, line: number): UnencryptedRow {
  if (record.length !== UNENCRYPTED_CSV_HEADER.length) {
    throw new Error(`${path}: record ${line} has ${record.length} fields, expected ${UNENCRYPTED_CSV_HEADER.length}`);
  }
  const [bucket, key, versionId, isLatest, size, lastModified, storageClass, encryptionStatus] = record as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
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

/**
 * General RFC 4180 record reader (quoted fields may hold commas, quotes and line breaks). Runs of
 * plain text are taken as slices of the decoded chunk, not a character at a time: the lists it reads
 * back run to hundreds of thousands of records. A CR outside quotes is dropped; text after a closing
 * quote joins the field.
 */
export async function* csvRecords(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  for await (const records of csvRecordBatches(stream)) yield* records;
}

/** The records of `csvRecords`, in batches: those completed by each piece of the stream. */
async function* csvRecordBatches(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[][]> {
  const decoder = new StringDecoder('utf8');
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotePending = false; // saw a quote inside a quoted field: either "" or the closing quote
  let fieldStarted = false;

  const chunks = async function* (): AsyncGenerator<string> {
    for await (const chunk of stream) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
    yield decoder.end();
  };
  for await (const text of chunks()) {
    const out: string[][] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (text.charCodeAt(i) === QUOTE) {
            field += '"';
            i++;
            continue;
          }
          inQuotes = false; // the quote closed the field; the separator handling below takes this character
        } else {
          const close = text.indexOf('"', i);
          if (close < 0) {
            field += text.slice(i);
            break;
          }
          field += text.slice(i, close);
          quotePending = true;
          i = close + 1;
          continue;
        }
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        record.push(field);
        field = '';
        fieldStarted = false;
        i++;
      } else if (c === LF) {
        record.push(field);
        out.push(record);
        record = [];
        field = '';
        fieldStarted = false;
        i++;
      } else if (c === CR) {
        i++; // CRLF: the LF ends the record
      } else if (c === QUOTE && !fieldStarted) {
        inQuotes = true;
        fieldStarted = true;
        i++;
      } else {
        // Plain text up to the next separator; a quote inside it is a character like any other.
        let end = i + 1;
        while (end < n) {
          const d = text.charCodeAt(end);
          if (d === COMMA || d === LF || d === CR) break;
          end++;
        }
        field += text.slice(i, end);
        fieldStarted = true;
        i = end;
      }
    }
    if (out.length > 0) yield out;
  }
  if (quotePending) inQuotes = false;
  if (inQuotes) throw new Error('quoted field not closed before the end of the file');
  if (fieldStarted || record.length > 0) {
    record.push(field);
    yield [record];
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
