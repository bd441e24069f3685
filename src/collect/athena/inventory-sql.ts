import { ENCRYPTION_STATUSES } from '../../evidence/inventory.js';
import { quote, type SqlDialect } from './dialect.js';

/** An S3 Inventory table as AWS documents it for Athena (column names in snake case), one report of it chosen by `dt`. */
export interface InventoryRelation {
  /** The table (Athena: "db"."table") or a view with the same columns (DuckDB). */
  relation: string;
  format: 'csv' | 'parquet' | 'orc';
  /** The columns the report has (snake case, e.g. encryption_status). */
  columns: readonly string[];
  /** The report's partition value, e.g. 2026-11-01-00-00 (the folder hive/dt=… AWS delivers beside it). */
  dt: string;
  /** The source bucket: rows of another bucket are counted apart, as problems. */
  bucket: string;
}

/** Row classes the tally query gives besides the EncryptionStatus values ('' = the field was empty). */
export const OTHER_BUCKET = '#other-bucket';
export const DELETE_MARKER = '#delete-marker';
export const BAD_SIZE = '#bad-size';

/** S3 Inventory CSV field names → the Athena column names AWS documents (LastModifiedDate → last_modified_date, ETag → e_tag). */
export function snakeColumn(csvField: string): string {
  return csvField
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Every row of the report, classified as the streaming engine counts it: another bucket's row first,
 * then a delete marker, then a size that is not a byte count, else its EncryptionStatus.
 */
function classified(rel: InventoryRelation): string {
  const has = (c: string) => rel.columns.includes(c);
  const deleteMarker = has('is_delete_marker')
    ? `coalesce(lower(CAST(is_delete_marker AS VARCHAR)) = 'true', false)`
    : 'false';
  const ownBucket = has('bucket') ? `coalesce(bucket = ${quote(rel.bucket)}, false)` : 'true';
  return `SELECT
    ${ownBucket} AS own_bucket,
    ${deleteMarker} AS delete_marker,
    TRY_CAST(size AS BIGINT) AS size_bytes,
    coalesce(${has('encryption_status') ? 'encryption_status' : 'NULL'}, '') AS status,
    *
  FROM ${rel.relation}
  WHERE dt = ${quote(rel.dt)}`;
}

const CLASS = `CASE
      WHEN NOT own_bucket THEN '${OTHER_BUCKET}'
      WHEN delete_marker THEN '${DELETE_MARKER}'
      WHEN size_bytes IS NULL OR size_bytes < 0 THEN '${BAD_SIZE}'
      ELSE status
    END`;

/** Objects and bytes per row class (an EncryptionStatus, '' for none, or one of the # classes). */
export function inventoryTallySql(rel: InventoryRelation): string {
  return `WITH r AS (${classified(rel)})
SELECT ${CLASS} AS row_class,
  count(*) AS objects,
  sum(CASE WHEN size_bytes >= 0 THEN size_bytes ELSE 0 END) AS bytes
FROM r
GROUP BY 1
ORDER BY 1`;
}

/** The NOT-SSE objects the tally counts, in key and version order (columns: see UnencryptedSqlRow). */
export function unencryptedObjectsSql(rel: InventoryRelation, dialect: SqlDialect): string {
  const has = (c: string) => rel.columns.includes(c);
  const text = (c: string) => (has(c) ? `CAST(${c} AS VARCHAR)` : 'NULL');
  const modified = !has('last_modified_date')
    ? 'NULL'
    : rel.format === 'csv'
      ? 'last_modified_date'
      : `CAST(${dialect.epochMillis('last_modified_date')} AS VARCHAR)`;
  return `WITH r AS (${classified(rel)})
SELECT
  ${has('bucket') ? 'bucket' : quote(rel.bucket)} AS bucket,
  key AS object_key,
  ${text('version_id')} AS version_id,
  ${has('is_latest') ? `lower(CAST(is_latest AS VARCHAR))` : 'NULL'} AS is_latest,
  size_bytes,
  ${modified} AS last_modified,
  ${text('storage_class')} AS storage_class
FROM r
WHERE ${CLASS} = 'NOT-SSE'
ORDER BY object_key, version_id`;
}

/** Whether a row class of the tally is an EncryptionStatus S3 documents. */
export function isEncryptionStatus(rowClass: string): rowClass is (typeof ENCRYPTION_STATUSES)[number] {
  return (ENCRYPTION_STATUSES as readonly string[]).includes(rowClass);
}
