import { UPLOAD_OPERATIONS } from '../../evidence/upload-operations.js';
import { ident, quote, quoteList, sqlLimit, type SqlDialect } from './dialect.js';

/** One access-log table (or a view with its columns and "$path"), and what of it the period needs. */
export interface AccessLogRelation {
  relation: string;
  /** The table is partitioned by `timestamp` (yyyy/MM/dd, the date-based key format): only these days are read. */
  partitionDays?: { from: string; to: string };
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** Only records of these buckets are counted. */
  buckets: readonly string[];
}

function records(rel: AccessLogRelation, dialect: SqlDialect): string {
  const days = rel.partitionDays
    ? `\n  WHERE ${ident('timestamp')} BETWEEN ${quote(rel.partitionDays.from)} AND ${quote(rel.partitionDays.to)}`
    : '';
  return `SELECT *, ${dialect.accessLogTime('requestdatetime')} AS request_time FROM ${rel.relation}${days}`;
}

function inPeriod(rel: AccessLogRelation, dialect: SqlDialect): string {
  return `request_time >= ${dialect.instant(rel.period.startUtc)} AND request_time < ${dialect.instant(rel.period.endUtc)}
  AND bucket_name IN (${quoteList(rel.buckets)})`;
}

/** An upload refused with 403 AccessDenied (what the denied-upload rows list). */
const DENIED_UPLOAD = `operation IN (${quoteList([...UPLOAD_OPERATIONS].sort())})
  AND httpstatus = '403' AND errorcode = 'AccessDenied'`;

/**
 * Lines read, lines that are no record (the SerDe's NULL row or a time that does not parse), records
 * in the period, and refused uploads in the period: counted in the same scan, so the denied-upload
 * query need only return the few it itemises (see accessLogDeniedSql).
 */
export function accessLogTotalsSql(rel: AccessLogRelation, dialect: SqlDialect): string {
  return `WITH r AS (${records(rel, dialect)})
SELECT count(*) AS lines, count(DISTINCT ${ident('$path')}) AS files,
  sum(CASE WHEN request_time IS NULL THEN 1 ELSE 0 END) AS not_records,
  sum(CASE WHEN ${inPeriod(rel, dialect)} THEN 1 ELSE 0 END) AS in_period,
  sum(CASE WHEN ${inPeriod(rel, dialect)} AND ${DENIED_UPLOAD} THEN 1 ELSE 0 END) AS denied
FROM r`;
}

/** Records in the period per bucket and day (the tenant's zone). */
export function accessLogByBucketDaySql(rel: AccessLogRelation, dialect: SqlDialect): string {
  return `WITH r AS (${records(rel, dialect)})
SELECT bucket_name AS bucket, ${dialect.dayIn('request_time', rel.period.timeZone)} AS day, count(*) AS records
FROM r
WHERE ${inPeriod(rel, dialect)}
GROUP BY 1, 2
ORDER BY 1, 2`;
}

/**
 * Uploads refused with 403 AccessDenied in the period, with what the packet lists of each: only the
 * first `limit` in time order (a top-N the engine keeps bounded on every node), so a flood of them is
 * never paged back; the totals query counts them all.
 */
export function accessLogDeniedSql(rel: AccessLogRelation, dialect: SqlDialect, limit: number): string {
  return `WITH r AS (${records(rel, dialect)})
SELECT requestid, ${dialect.epochMillis('request_time')} AS epoch_ms, bucket_name, key, operation, requester, remoteip,
  useragent, ciphersuite, tlsversion, ${ident('$path')} AS log_file
FROM r
WHERE ${inPeriod(rel, dialect)}
  AND ${DENIED_UPLOAD}
ORDER BY epoch_ms, requestid
LIMIT ${sqlLimit(limit)}`;
}
