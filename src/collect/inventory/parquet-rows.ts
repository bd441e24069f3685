import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
  type ParquetType,
  type RowGroup,
  type SchemaElement,
  type SchemaTree,
} from 'hyparquet';
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import type { ColumnDecoder } from 'hyparquet/src/types.js';
import { compressors } from 'hyparquet-compressors';
import { ENCRYPTION_STATUSES } from '../../evidence/inventory.js';
import type { UnencryptedRow } from '../../evidence/unencrypted-csv.js';
import { errorText } from './error-text.js';
import { MAX_PROBLEMS_PER_FILE } from './data-file.js';
import { decodeColumnChunk, type ColumnChunkValues } from './parquet-column-chunk.js';
import { STATUS_EMPTY, STATUS_UNKNOWN, statusIndexOf, type DataFileRows, type RowDetails } from './tally.js';

/**
 * The S3 Inventory Parquet columns this reader uses, with the physical types S3 writes
 * (`message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); …
 * optional int64 size; optional int64 last_modified_date (TIMESTAMP_MILLIS); … }`).
 * key, size and encryption_status must be there; the others are read when present.
 */
const COLUMNS = {
  bucket: { types: ['BYTE_ARRAY'], required: false },
  key: { types: ['BYTE_ARRAY'], required: true },
  version_id: { types: ['BYTE_ARRAY'], required: false },
  is_latest: { types: ['BOOLEAN'], required: false },
  is_delete_marker: { types: ['BOOLEAN'], required: false },
  size: { types: ['INT64', 'INT32'], required: true },
  last_modified_date: { types: ['INT64', 'INT96'], required: false },
  storage_class: { types: ['BYTE_ARRAY'], required: false },
  encryption_status: { types: ['BYTE_ARRAY'], required: true },
} as const satisfies Record<string, { types: readonly ParquetType[]; required: boolean }>;

type Column = keyof typeof COLUMNS;
type Values = ArrayLike<unknown>;

/** Timestamps as milliseconds since the epoch (UTC, as S3 writes them), not Date objects per row. */
const PARSERS = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1000000n),
};
const ROW_PARSERS = { ...DEFAULT_PARSERS, ...PARSERS };

/**
 * Counts every row of a Parquet inventory data file into `rows`, one row group at a time. Returns
 * a problem with the file as a whole (not Parquet, a column missing or of another type, a page
 * that does not decode), or undefined. `between` runs after each row group (the export's flush).
 */
export async function countParquetFile(
  file: AsyncBuffer,
  rows: DataFileRows,
  between: () => Promise<void> | undefined,
): Promise<string | undefined> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    return `not a readable Parquet file: ${errorText(err)}`;
  }
  const layout = columnsOf(metadata);
  if (typeof layout === 'string') return layout;
  const present = Object.keys(layout) as Column[];
  const schema = parquetSchema(metadata);
  const fields = new Map(schema.children.map((c) => [c.element.name, c]));
  // Columns whose logical type would change what the tally compares are read by hyparquet's row reader.
  const columnar = columnarTypes(fields);

  let groupStart = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const groupRows = Number(group.num_rows);
    let counted: 'counted' | 'stopped' | 'not-columnar';
    try {
      counted = columnar
        ? await countGroupByColumns(file, group, groupStart, groupRows, present, schema, rows)
        : 'not-columnar';
      if (counted === 'not-columnar') {
        counted = await countGroupByRows(file, metadata, groupStart, groupRows, present, rows);
      }
    } catch (err) {
      return `row group ${g + 1} of ${metadata.row_groups.length} does not decode: ${errorText(err)}`;
    }
    if (counted === 'stopped') return undefined;
    groupStart += groupRows;
    await between();
  }
  if (groupStart !== Number(metadata.num_rows)) {
    return `the row groups hold ${groupStart} rows, the file's footer says ${metadata.num_rows}`;
  }
  return undefined;
}

const TALLY_COLUMNS: readonly Column[] = ['bucket', 'is_delete_marker', 'size', 'encryption_status'];
const STATUS_BYTES = ENCRYPTION_STATUSES.map((s) => new TextEncoder().encode(s));
const NOT_SSE = ENCRYPTION_STATUSES.indexOf('NOT-SSE');

/**
 * Counts one row group from its column chunks, decoded without a value per cell: the tally's
 * columns first; the key and the other listed columns only when a row of the group is listed or
 * is a problem, and then only that row's values become strings. 'not-columnar' (nothing counted)
 * when a page is encoded in a way only hyparquet's row reader takes apart.
 */
async function countGroupByColumns(
  file: AsyncBuffer,
  group: RowGroup,
  groupStart: number,
  groupRows: number,
  present: Column[],
  schema: SchemaTree,
  rows: DataFileRows,
): Promise<'counted' | 'stopped' | 'not-columnar'> {
  const fields = new Map(schema.children.map((c) => [c.element.name, c]));
  const chunks: Partial<Record<Column, ColumnChunkValues>> = {};
  const load = async (names: readonly Column[], wanted?: Uint8Array): Promise<boolean> => {
    for (const name of names) {
      if (!present.includes(name) || chunks[name]) continue;
      const decoded = await readChunk(file, group, groupRows, fields.get(name)!, wanted);
      if (!decoded) return false;
      chunks[name] = decoded;
    }
    return true;
  };
  if (!(await load(TALLY_COLUMNS))) return 'not-columnar';

  // The tally's inputs for every row; whether any row needs its texts.
  const { bucket, is_delete_marker: deleteMarkers, size: sizes, encryption_status: statusColumn } = chunks;
  const bucketBytes = new TextEncoder().encode(rows.bucket);
  const other = new Uint8Array(groupRows);
  const deleted = new Uint8Array(groupRows);
  const size = new Float64Array(groupRows);
  const status = new Int8Array(groupRows);
  let lastBucket = -2;
  let lastBucketOther = 0;
  let lastStatus = -2;
  let lastStatusIndex = 0;
  const wanted = new Uint8Array(groupRows);
  let needsTexts = false;
  for (let i = 0; i < groupRows; i++) {
    if (bucket) {
      const where = bucket.where(i);
      if (where !== lastBucket) {
        lastBucket = where;
        lastBucketOther = bucket.equals(i, bucketBytes) ? 0 : 1;
      }
      other[i] = lastBucketOther;
    }
    deleted[i] = deleteMarkers?.flag(i) === 1 ? 1 : 0;
    size[i] = sizes!.nonNegativeSafe(i);
    const where = statusColumn!.where(i);
    if (where !== lastStatus) {
      lastStatus = where;
      lastStatusIndex = statusIndexOfBytes(statusColumn!, i);
    }
    status[i] = lastStatusIndex;
    if (
      other[i] === 1 ||
      (deleted[i] === 0 && (size[i]! < 0 || lastStatusIndex === NOT_SSE || lastStatusIndex === STATUS_UNKNOWN))
    ) {
      needsTexts = true;
      wanted[i] = 1;
    }
  }
  // The other columns only for the rows listed or reported.
  if (needsTexts && !(await load(present, wanted))) return 'not-columnar';

  const current = new ColumnRow(rows.bucket, chunks, schema);
  for (let i = 0; i < groupRows; i++) {
    current.at(i);
    rows.count(groupStart + i + 1, other[i] === 1, deleted[i] === 1, size[i]!, status[i]!, current);
    if (rows.problemCount > MAX_PROBLEMS_PER_FILE) return 'stopped';
  }
  return 'counted';
}

/**
 * Whether the tally's columns hold plain values (texts, signed integers, booleans), so comparing
 * their bytes gives what comparing hyparquet's converted values gives.
 */
function columnarTypes(fields: Map<string, SchemaTree>): boolean {
  const plainText = (e: SchemaElement | undefined) =>
    e === undefined ||
    ((e.converted_type === undefined || e.converted_type === 'UTF8' || e.converted_type === 'ENUM') &&
      (e.logical_type === undefined || e.logical_type.type === 'STRING' || e.logical_type.type === 'ENUM'));
  const size = fields.get('size')?.element;
  const plainInteger =
    size !== undefined &&
    (size.converted_type === undefined || size.converted_type === 'INT_64' || size.converted_type === 'INT_32') &&
    (size.logical_type === undefined || (size.logical_type.type === 'INTEGER' && size.logical_type.isSigned));
  return (
    plainText(fields.get('bucket')?.element) && plainText(fields.get('encryption_status')?.element) && plainInteger
  );
}

/** A status column's value as an index into ENCRYPTION_STATUSES, STATUS_EMPTY or STATUS_UNKNOWN. */
function statusIndexOfBytes(column: ColumnChunkValues, row: number): number {
  if (column.isNull(row)) return STATUS_EMPTY;
  for (let s = 0; s < STATUS_BYTES.length; s++) if (column.equals(row, STATUS_BYTES[s]!)) return s;
  return column.equals(row, EMPTY_BYTES) ? STATUS_EMPTY : STATUS_UNKNOWN;
}
const EMPTY_BYTES = new Uint8Array(0);

/** One column's chunk in this row group, read by its byte range and decoded; undefined when it needs hyparquet's row reader. */
async function readChunk(
  file: AsyncBuffer,
  group: RowGroup,
  groupRows: number,
  field: SchemaTree,
  wanted?: Uint8Array,
): Promise<ColumnChunkValues | undefined> {
  const element = field.element;
  const chunk = group.columns.find(
    (c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === element.name,
  );
  const meta = chunk?.meta_data;
  if (!meta || chunk.file_path !== undefined) throw new Error(`the row group has no column chunk for ${element.name}`);
  if (element.repetition_type === 'REPEATED' || element.type === undefined) return undefined;
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  if (!(start >= 0 && end <= file.byteLength && end >= start)) {
    throw new Error(
      `the ${element.name} column chunk (bytes ${start}-${end}) is not inside the file's ${file.byteLength} bytes`,
    );
  }
  const bytes = new Uint8Array(await file.slice(start, end));
  if (bytes.length !== end - start) throw new Error(`the ${element.name} column chunk could not be read whole`);
  return decodeColumnChunk(
    bytes,
    groupRows,
    {
      type: element.type,
      typeLength: element.type_length,
      codec: meta.codec,
      optional: element.repetition_type !== 'REQUIRED',
      compressors,
    },
    wanted,
  );
}

/**
 * Counts one row group with hyparquet's row reader (a JavaScript value per cell): for pages whose
 * encoding the column decoder leaves to hyparquet.
 */
async function countGroupByRows(
  file: AsyncBuffer,
  metadata: FileMetaData,
  groupStart: number,
  groupRows: number,
  present: Column[],
  rows: DataFileRows,
): Promise<'counted' | 'stopped'> {
  const data: Partial<Record<Column, Values>> = {};
  const copies: Partial<Record<Column, unknown[]>> = {};
  await parquetRead({
    file,
    metadata,
    columns: present,
    rowStart: groupStart,
    rowEnd: groupStart + groupRows,
    compressors,
    parsers: PARSERS,
    onChunk: ({ columnName, columnData, rowStart }) => {
      const name = columnName as Column;
      // A flat column usually arrives as one chunk holding the whole group: used as it is.
      if (data[name] === undefined && rowStart === groupStart && columnData.length === groupRows) {
        data[name] = columnData;
        return;
      }
      let into = copies[name];
      if (into === undefined) {
        into = new Array<unknown>(groupRows);
        for (let i = 0; i < groupRows && data[name] !== undefined; i++) into[i] = data[name][i];
        copies[name] = into;
        data[name] = into;
      }
      for (let i = 0; i < columnData.length; i++) {
        const at = rowStart - groupStart + i;
        if (at >= 0 && at < groupRows) into[at] = columnData[i];
      }
    },
  });
  const current = new ParquetRow(rows.bucket);
  current.use(data);
  for (let i = 0; i < groupRows; i++) {
    current.at(i);
    rows.count(
      groupStart + i + 1,
      current.otherBucket(),
      data.is_delete_marker?.[i] === true,
      current.size(),
      statusIndexOf(data.encryption_status?.[i] as string | null | undefined),
      current,
    );
    if (rows.problemCount > MAX_PROBLEMS_PER_FILE) return 'stopped';
  }
  return 'counted';
}

/** The columns this reader uses, as the file's own schema has them; a text when they do not fit. */
function columnsOf(metadata: FileMetaData): Partial<Record<Column, true>> | string {
  const fields = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c]));
  const found: Partial<Record<Column, true>> = {};
  const wrong: string[] = [];
  const missing: string[] = [];
  for (const [name, want] of Object.entries(COLUMNS) as [Column, (typeof COLUMNS)[Column]][]) {
    const field = fields.get(name);
    if (!field) {
      if (want.required) missing.push(name);
      continue;
    }
    const type = field.element.type;
    if (field.children.length > 0 || type === undefined || !(want.types as readonly string[]).includes(type)) {
      wrong.push(`${name} is ${type ?? 'a group'}, S3 Inventory writes ${want.types.join(' or ')}`);
      continue;
    }
    found[name] = true;
  }
  if (missing.length > 0) return `the Parquet file has no ${missing.join(', ')} column`;
  if (wrong.length > 0) return `the Parquet file's columns do not have S3 Inventory's types: ${wrong.join('; ')}`;
  return found;
}

const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/** The largest time a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** The row being counted: the tally's inputs and, when asked, its texts. */
abstract class RowCells implements RowDetails {
  protected i = 0;

  constructor(protected readonly bucket: string) {}

  at(i: number): void {
    this.i = i;
  }

  /** The row's value in `column` as hyparquet gives it (null for null), undefined when the file lacks the column. */
  protected abstract cell(column: Column): unknown;

  text(field: 'Bucket' | 'Size' | 'EncryptionStatus'): string {
    const v = this.value(field === 'Bucket' ? 'bucket' : field === 'Size' ? 'size' : 'encryption_status');
    return v === undefined ? 'null' : v;
  }

  unencrypted(size: number): UnencryptedRow | { problem: string } {
    const key = this.value('key');
    if (key === undefined) return { problem: 'Key is null' };
    const versionId = this.value('version_id');
    const isLatest = this.cell('is_latest');
    const modified = this.cell('last_modified_date');
    const storageClass = this.value('storage_class');
    return {
      bucket: this.value('bucket') ?? this.bucket,
      // Parquet and ORC reports hold the key as it is; only CSV reports URL-encode it.
      key,
      ...(versionId ? { versionId } : {}),
      ...(typeof isLatest === 'boolean' ? { isLatest } : {}),
      size,
      ...(typeof modified === 'number' && Math.abs(modified) <= MAX_DATE_MS
        ? { lastModified: new Date(modified).toISOString() }
        : {}),
      ...(storageClass ? { storageClass } : {}),
      encryptionStatus: 'NOT-SSE',
    };
  }

  private value(column: Column): string | undefined {
    const v = this.cell(column);
    if (typeof v === 'string') return v;
    return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : undefined;
  }
}

/** A row read by hyparquet's row reader: one value per cell, a row group's columns at a time. */
class ParquetRow extends RowCells {
  private data: Partial<Record<Column, Values>> = {};

  use(data: Partial<Record<Column, Values>>): void {
    this.data = data;
  }

  protected cell(column: Column): unknown {
    return this.data[column]?.[this.i];
  }

  otherBucket(): boolean {
    const b = this.data.bucket;
    return b !== undefined && b[this.i] !== this.bucket;
  }

  /** A whole, non-negative number of bytes; -1 for null or anything else. */
  size(): number {
    const v = this.data.size?.[this.i];
    if (typeof v === 'bigint') return v >= 0n && v <= MAX_SAFE_BIGINT ? Number(v) : -1;
    if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : -1;
    return -1;
  }
}

/**
 * A row of decoded column chunks: a cell becomes a value (through hyparquet's conversion of the
 * column's logical type, as its row reader would give it) only when asked.
 */
class ColumnRow extends RowCells {
  private readonly decoders: Partial<Record<Column, ColumnDecoder>> = {};

  constructor(
    bucket: string,
    private readonly chunks: Partial<Record<Column, ColumnChunkValues>>,
    schema: SchemaTree,
  ) {
    super(bucket);
    for (const name of Object.keys(chunks) as Column[]) {
      const field = schema.children.find((c) => c.element.name === name)!;
      this.decoders[name] = {
        pathInSchema: [name],
        type: field.element.type!,
        element: field.element,
        schemaPath: [schema, field],
        codec: 'UNCOMPRESSED',
        parsers: ROW_PARSERS,
        utf8: true,
      };
    }
  }

  protected cell(column: Column): unknown {
    const chunk = this.chunks[column];
    if (chunk === undefined) return undefined;
    const raw = chunk.raw(this.i);
    if (raw === null) return null;
    return convert([raw], this.decoders[column]!)[0] as unknown;
  }
}
