import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
  type ParquetType,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { UnencryptedRow } from '../../evidence/unencrypted-csv.js';
import { errorText } from './error-text.js';
import { MAX_PROBLEMS_PER_FILE } from './data-file.js';
import { statusIndexOf, type DataFileRows, type RowDetails } from './tally.js';

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

  const current = new ParquetRow(rows.bucket);
  let groupStart = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const groupRows = Number(group.num_rows);
    const data: Partial<Record<Column, Values>> = {};
    const copies: Partial<Record<Column, unknown[]>> = {};
    try {
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
    } catch (err) {
      return `row group ${g + 1} of ${metadata.row_groups.length} does not decode: ${errorText(err)}`;
    }
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
      if (rows.problemCount > MAX_PROBLEMS_PER_FILE) return undefined;
    }
    groupStart += groupRows;
    await between();
  }
  if (groupStart !== Number(metadata.num_rows)) {
    return `the row groups hold ${groupStart} rows, the file's footer says ${metadata.num_rows}`;
  }
  return undefined;
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

/** The row being counted, read from its row group's columns. */
class ParquetRow implements RowDetails {
  private data: Partial<Record<Column, Values>> = {};
  private i = 0;

  constructor(private readonly bucket: string) {}

  use(data: Partial<Record<Column, Values>>): void {
    this.data = data;
  }

  at(i: number): void {
    this.i = i;
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

  text(field: 'Bucket' | 'Size' | 'EncryptionStatus'): string {
    const v = this.value(field === 'Bucket' ? 'bucket' : field === 'Size' ? 'size' : 'encryption_status');
    return v === undefined ? 'null' : v;
  }

  unencrypted(size: number): UnencryptedRow | { problem: string } {
    const key = this.value('key');
    if (key === undefined) return { problem: 'Key is null' };
    const versionId = this.value('version_id');
    const isLatest = this.data.is_latest?.[this.i];
    const modified = this.data.last_modified_date?.[this.i];
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
    const v = this.data[column]?.[this.i];
    if (typeof v === 'string') return v;
    return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : undefined;
  }
}
