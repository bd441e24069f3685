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
import {
  decodeColumnNumbers,
  decodeWantedValues,
  type ChunkDecoder,
  type TextToNumber,
} from './parquet-column-chunk.js';
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

  const arrays = new GroupArrays();
  let groupStart = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const groupRows = Number(group.num_rows);
    let counted: 'counted' | 'stopped' | 'not-columnar';
    try {
      counted = columnar
        ? await countGroupByColumns(file, group, groupStart, groupRows, present, schema, rows, arrays)
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

const STATUS_BYTES = ENCRYPTION_STATUSES.map((s) => new TextEncoder().encode(s));
const NOT_SSE = ENCRYPTION_STATUSES.indexOf('NOT-SSE');
/** The columns an unencrypted object's line needs besides its bucket, size and status. */
const LISTED_COLUMNS: readonly Column[] = ['key', 'version_id', 'is_latest', 'last_modified_date', 'storage_class'];
/** The columns whose text a problem quotes. */
const QUOTED_COLUMNS: readonly Column[] = ['bucket', 'size', 'encryption_status'];

/** Per-row arrays of one row group's tally inputs, kept from group to group (grown when a group is larger). */
class GroupArrays {
  rows = 0;
  otherBucket = new Float64Array(0);
  deleteMarker = new Float64Array(0);
  size = new Float64Array(0);
  status = new Float64Array(0);
  listed = new Uint8Array(0);
  quoted = new Uint8Array(0);

  reset(rows: number): void {
    if (rows > this.otherBucket.length) {
      this.otherBucket = new Float64Array(rows);
      this.deleteMarker = new Float64Array(rows);
      this.size = new Float64Array(rows);
      this.status = new Float64Array(rows);
      this.listed = new Uint8Array(rows);
      this.quoted = new Uint8Array(rows);
    }
    this.rows = rows;
    this.otherBucket.fill(0, 0, rows);
    this.deleteMarker.fill(0, 0, rows);
    this.listed.fill(0, 0, rows);
    this.quoted.fill(0, 0, rows);
  }
}

/**
 * Counts one row group from its column chunks, decoded without a value per cell: the tally's
 * columns (bucket, is_delete_marker, size, encryption_status) into one number per row, the plain
 * rows added up at once; the key and the other listed columns only when a row of the group is
 * listed, the tally columns' texts only when a row is a problem, and then only those rows' values
 * become JavaScript values. 'not-columnar' (nothing counted) when a page is encoded in a way only
 * hyparquet's row reader takes apart.
 */
async function countGroupByColumns(
  file: AsyncBuffer,
  group: RowGroup,
  groupStart: number,
  groupRows: number,
  present: Column[],
  schema: SchemaTree,
  rows: DataFileRows,
  arrays: GroupArrays,
): Promise<'counted' | 'stopped' | 'not-columnar'> {
  const fields = new Map(schema.children.map((c) => [c.element.name, c]));
  arrays.reset(groupRows);
  const { otherBucket, deleteMarker, size, status, listed, quoted } = arrays;
  const numbers = async (name: Column, nullValue: number, out: Float64Array, text = noText): Promise<boolean> => {
    if (!present.includes(name)) return true;
    const chunk = await readChunk(file, group, fields.get(name)!);
    return chunk !== undefined && decodeColumnNumbers(chunk.bytes, groupRows, chunk.decoder, text, nullValue, out);
  };
  const bucketBytes = new TextEncoder().encode(rows.bucket);
  const isBucket: TextToNumber = (bytes, view, at) => (bytesEqual(bytes, view, at, bucketBytes) ? 0 : 1);
  if (
    !(await numbers('bucket', 1, otherBucket, isBucket)) ||
    !(await numbers('is_delete_marker', 0, deleteMarker)) ||
    !(await numbers('size', -1, size)) ||
    !(await numbers('encryption_status', STATUS_EMPTY, status, statusOfBytes))
  ) {
    return 'not-columnar';
  }

  // The plain rows are added up here; the others (listed or problems) go through rows.count in order.
  const objects = new Float64Array(ENCRYPTION_STATUSES.length);
  const bytes = new Float64Array(ENCRYPTION_STATUSES.length);
  let plain = 0;
  let deleteMarkers = 0;
  let unknownObjects = 0;
  let unknownBytes = 0;
  const special: number[] = [];
  for (let i = 0; i < groupRows; i++) {
    if (otherBucket[i] === 1) {
      quoted[i] = 1;
    } else if (deleteMarker[i] === 1) {
      deleteMarkers++;
      plain++;
      continue;
    } else {
      const s = size[i]!;
      const st = status[i]!;
      if (s < 0 || st === STATUS_UNKNOWN) quoted[i] = 1;
      else if (st === NOT_SSE) listed[i] = 1;
      else {
        if (st === STATUS_EMPTY) {
          unknownObjects++;
          unknownBytes += s;
        } else {
          objects[st]! += 1;
          bytes[st]! += s;
        }
        plain++;
        continue;
      }
    }
    special.push(i);
  }
  rows.addPlain(plain, deleteMarkers, objects, bytes, { objects: unknownObjects, bytes: unknownBytes });
  if (special.length === 0) return 'counted';

  const values: Partial<Record<Column, Map<number, unknown>>> = {};
  const load = async (names: readonly Column[], wanted: Uint8Array): Promise<boolean> => {
    for (const name of names) {
      if (!present.includes(name)) continue;
      const chunk = await readChunk(file, group, fields.get(name)!);
      const decoded = chunk && decodeWantedValues(chunk.bytes, groupRows, chunk.decoder, wanted);
      if (!decoded) return false;
      values[name] = decoded;
    }
    return true;
  };
  if (special.some((i) => listed[i] === 1) && !(await load(LISTED_COLUMNS, listed))) return 'not-columnar';
  if (special.some((i) => quoted[i] === 1) && !(await load(QUOTED_COLUMNS, quoted))) return 'not-columnar';

  const current = new ColumnRow(rows.bucket, values, schema);
  for (const i of special) {
    current.at(i);
    rows.count(groupStart + i + 1, otherBucket[i] === 1, deleteMarker[i] === 1, size[i]!, status[i]!, current);
    if (rows.problemCount > MAX_PROBLEMS_PER_FILE) return 'stopped';
  }
  return 'counted';
}

/** Whether the BYTE_ARRAY value at `at` (its length prefix first) is `want`. */
function bytesEqual(bytes: Uint8Array, view: DataView, at: number, want: Uint8Array): boolean {
  if (view.getUint32(at, true) !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (bytes[at + 4 + i] !== want[i]) return false;
  return true;
}

/** A status value as an index into ENCRYPTION_STATUSES, STATUS_EMPTY (empty) or STATUS_UNKNOWN. */
function statusOfBytes(bytes: Uint8Array, view: DataView, at: number): number {
  for (let s = 0; s < STATUS_BYTES.length; s++) if (bytesEqual(bytes, view, at, STATUS_BYTES[s]!)) return s;
  return view.getUint32(at, true) === 0 ? STATUS_EMPTY : STATUS_UNKNOWN;
}

/** For columns that hold no texts. */
const noText: TextToNumber = () => -1;

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

/**
 * One column's chunk in this row group, read by its byte range, with how to decode it; undefined
 * when it needs hyparquet's row reader.
 */
async function readChunk(
  file: AsyncBuffer,
  group: RowGroup,
  field: SchemaTree,
): Promise<{ bytes: Uint8Array; decoder: ChunkDecoder } | undefined> {
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
  return {
    bytes,
    decoder: {
      type: element.type,
      typeLength: element.type_length,
      codec: meta.codec,
      optional: element.repetition_type !== 'REQUIRED',
      compressors,
    },
  };
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
 * A row of decoded column chunks: the values decoded for the listed and quoted rows become values
 * as hyparquet's row reader would give them (its conversion of the column's logical type) only when asked.
 */
class ColumnRow extends RowCells {
  private readonly decoders: Partial<Record<Column, ColumnDecoder>> = {};

  constructor(
    bucket: string,
    private readonly values: Partial<Record<Column, Map<number, unknown>>>,
    schema: SchemaTree,
  ) {
    super(bucket);
    for (const name of Object.keys(values) as Column[]) {
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
    const values = this.values[column];
    if (values === undefined) return undefined;
    const raw = values.get(this.i);
    if (raw === undefined) return null;
    return convert([raw], this.decoders[column]!)[0] as unknown;
  }
}
