/**
 * Writes S3 Inventory Parquet data files with DuckDB, an independent writer: the reader under test
 * never sees a file its own library produced. Columns and types follow the schema S3 documents for
 * Parquet inventories (size int64, last_modified_date a millisecond timestamp, UTF8 strings).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface ParquetInventoryRow {
  bucket: string | null;
  key: string | null;
  version_id?: string | null;
  is_latest?: boolean | null;
  is_delete_marker?: boolean | null;
  size: number | null;
  /** ISO-8601 UTC, e.g. 2026-10-01T12:00:00.123Z. */
  last_modified_date?: string | null;
  storage_class?: string | null;
  encryption_status: string | null;
}

export const PARQUET_COLUMNS: Record<keyof ParquetInventoryRow | 'e_tag', string> = {
  bucket: 'VARCHAR',
  key: 'VARCHAR',
  version_id: 'VARCHAR',
  is_latest: 'BOOLEAN',
  is_delete_marker: 'BOOLEAN',
  size: 'BIGINT',
  last_modified_date: 'TIMESTAMP_MS',
  e_tag: 'VARCHAR',
  storage_class: 'VARCHAR',
  encryption_status: 'VARCHAR',
};

/** The manifest's fileSchema for those columns, in S3's Parquet message form. */
export const PARQUET_FILE_SCHEMA =
  'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary version_id (UTF8); ' +
  'optional boolean is_latest; optional boolean is_delete_marker; optional int64 size; ' +
  'optional int64 last_modified_date (TIMESTAMP_MILLIS); optional binary e_tag (UTF8); optional binary storage_class (UTF8); ' +
  'optional binary encryption_status (UTF8);}';

let shared: Promise<DuckDBConnection> | undefined;
function connection(): Promise<DuckDBConnection> {
  shared ??= DuckDBInstance.create(':memory:').then((db) => db.connect());
  return shared;
}

function literal(value: unknown, type: string): string {
  if (value === null || value === undefined) return `NULL::${type}`;
  if (typeof value === 'boolean' || typeof value === 'number') return `${String(value)}::${type}`;
  return `'${String(value).replace(/'/g, "''")}'::${type}`;
}

/**
 * Writes `rows` to `file`. `columns` overrides the column list and types (to write a file that
 * lacks a column or has one of another type); `rowGroupSize` makes several row groups.
 */
export async function writeInventoryParquet(
  file: string,
  rows: ParquetInventoryRow[],
  opts: {
    compression: 'snappy' | 'gzip' | 'zstd' | 'uncompressed';
    rowGroupSize?: number;
    columns?: Record<string, string>;
    /** V2: data pages v2 and the delta encodings (DuckDB writes V1 pages by default). */
    parquetVersion?: 'V1' | 'V2';
  },
): Promise<void> {
  const columns = opts.columns ?? PARQUET_COLUMNS;
  const c = await connection();
  const table = `t_${Math.random().toString(36).slice(2)}`;
  await c.run(
    `CREATE TEMP TABLE ${table} (${Object.entries(columns)
      .map(([n, t]) => `${n} ${t}`)
      .join(', ')})`,
  );
  try {
    for (let i = 0; i < rows.length; i += 500) {
      const values = rows
        .slice(i, i + 500)
        .map((r) => {
          const timestamp = (v: unknown) => (typeof v === 'string' ? v.replace('T', ' ').replace('Z', '') : v);
          const fields = Object.entries(columns).map(([n, t]) => {
            const v = (r as unknown as Record<string, unknown>)[n];
            return literal(n === 'last_modified_date' ? timestamp(v) : v, t);
          });
          return `(${fields.join(', ')})`;
        })
        .join(',\n');
      if (values) await c.run(`INSERT INTO ${table} VALUES ${values}`);
    }
    const groups =
      (opts.rowGroupSize ? `, ROW_GROUP_SIZE ${opts.rowGroupSize}` : '') +
      (opts.parquetVersion ? `, PARQUET_VERSION ${opts.parquetVersion}` : '');
    await c.run(
      `COPY (SELECT * FROM ${table} ORDER BY rowid) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION ${opts.compression}${groups})`,
    );
  } finally {
    await c.run(`DROP TABLE ${table}`);
  }
}
