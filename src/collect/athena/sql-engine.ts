import type { SqlQueryEvidence } from '../../evidence/inventory.js';
import type { SqlDialect } from './dialect.js';

/** One result row: every value as text, as Athena returns it; null for SQL NULL. */
export type SqlRow = Record<string, string | null>;

/** What the evidence keeps of one query: enough to re-run it and to price it. */
export type QueryRecord = SqlQueryEvidence;

/** A query that did not give its rows: FAILED, CANCELLED, over the scan limit, or never answered. The record says why. */
export class QueryFailed extends Error {
  constructor(readonly record: QueryRecord) {
    super(`${record.purpose}: query ${record.queryId} ${record.state}${record.reason ? `: ${record.reason}` : ''}`);
  }
}

/** Athena's table for one inventory report (AWS's documented DDL: S3 Inventory CSV, Parquet or ORC with dt projection). */
export interface InventoryTableSpec {
  format: 'csv' | 'parquet' | 'orc';
  /** Athena column names (snake case) in the report's fileSchema order. */
  columns: string[];
  /** The inventory destination of this source bucket and configuration: s3://dest/prefix/<bucket>/<config>/ (or the local copy). */
  configLocation: string;
  /** The report's dt partition value, e.g. 2026-11-01-00-00. */
  dt: string;
  /** The manifest's data file keys (what symlink.txt under hive/dt=… lists). */
  dataFiles: string[];
  bucket: string;
  configId: string;
}

/** Athena's table for one access-log location (RegexSerDe; partition projection for the date-based key format). */
export interface AccessLogTableSpec {
  location: string;
  /**
   * The date-based key format ([prefix]<account>/<region>/<bucket>/YYYY/MM/DD/…): `path` is
   * <account>/<region>/<bucket> and `since` the first day projected (yyyy/MM/dd); the table is then
   * partitioned by `timestamp` (yyyy/MM/dd). Absent for the simple key format.
   */
  partitionedPrefix?: { path: string; since: string };
}

/** Athena's table for one trail folder (AWS's CloudTrail table: JSON SerDe, `timestamp` projected as yyyy/MM/dd day folders). */
export interface CloudTrailTableSpec {
  /** The trail folder: s3://bucket/[prefix/]AWSLogs/[org/]<account>/CloudTrail/<region>/ (or the local copy). */
  location: string;
}

/**
 * An engine that runs the aggregation SQL: Athena in the tenant's account (athena-engine.ts) or, in
 * tests, DuckDB over local trees. Tables are made by the engine, queries are the same statements.
 */
export interface SqlEngine {
  readonly dialect: SqlDialect;
  /** Creates (or finds) the table for the report and returns the relation to query, e.g. "db"."inv_…". */
  inventoryTable(spec: InventoryTableSpec): Promise<string>;
  accessLogTable(spec: AccessLogTableSpec): Promise<string>;
  cloudTrailTable(spec: CloudTrailTableSpec): Promise<string>;
  /** Runs one statement and yields its rows page by page; throws QueryFailed when it does not succeed. */
  query(sql: string, purpose: string): AsyncIterable<SqlRow[]>;
  /** Every query run so far (DDL included), in order: what the evidence records. */
  readonly queries: QueryRecord[];
}

/** Athena's on-demand price: $5 per TB scanned (10^12 bytes), each query billed at least 10 MB. */
const USD_PER_TB_SCANNED = 5;
const MIN_BILLED_BYTES = 10_000_000;

export function costOfScan(bytes: number): number {
  if (bytes <= 0) return 0;
  const billed = Math.max(bytes, MIN_BILLED_BYTES);
  return Math.round((billed / 1e12) * USD_PER_TB_SCANNED * 1e6) / 1e6;
}

/** Every row of a query, collected (for small results: tallies). */
export async function allRows(pages: AsyncIterable<SqlRow[]>): Promise<SqlRow[]> {
  const out: SqlRow[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/**
 * How many of `total` (a count the engine answered) the itemised rows leave out. Engine answers are
 * checked, not believed: fewer in all than itemised is no count, and throws.
 */
export function countNotItemised(total: number, itemised: number, what: string): number {
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(itemised) || total < itemised)
    throw new Error(`the engine counted ${total} ${what} but itemised ${itemised}`);
  return total - itemised;
}
