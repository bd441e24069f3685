import { DEFAULT_MAX_DENIED_UPLOADS, type AccessLogScan } from '../../evidence/log-scans.js';
import { utcDaysAround } from '../../format/zone-day.js';
import { emptyAccessLogScan } from '../access-logs/scan-access-logs.js';
import { countPastLimit } from '../workers/denied-upload-limit.js';
import { decodeLoggedKey } from '../access-logs/parse-access-log-line.js';
import type { TreeReader } from '../tree/tree.js';
import {
  accessLogByBucketDaySql,
  accessLogDeniedSql,
  accessLogTotalsSql,
  type AccessLogRelation,
} from './access-log-sql.js';
import {
  allRows,
  countNotItemised,
  QueryFailed,
  type AccessLogTableSpec,
  type SqlEngine,
  type SqlRow,
} from './sql-engine.js';

const ACCOUNT = /^\d{12}$/;

/**
 * The access-log tables one location needs: one per account, region and bucket of the date-based key
 * format (partitioned by day), or one for the simple key format.
 */
async function tablesOf(tree: TreeReader, location: string, buckets: readonly string[]): Promise<AccessLogTableSpec[]> {
  const top = await tree.listChildren('');
  const accounts = top.filter((c) => ACCOUNT.test(c));
  if (accounts.length === 0 || accounts.length !== top.length) return [{ location }];
  const specs: AccessLogTableSpec[] = [];
  // A set: a list looked up once per bucket folder is quadratic in a tenant of thousands of buckets.
  const wanted = new Set(buckets);
  for (const account of accounts)
    for (const region of await tree.listChildren(`${account}/`))
      for (const bucket of await tree.listChildren(`${account}/${region}/`))
        if (wanted.has(bucket))
          specs.push({ location, partitionedPrefix: { path: `${account}/${region}/${bucket}`, since: '2020/01/01' } });
  return specs;
}

/**
 * What scanAccessLogs counts, counted by SQL where the logs lie: records in the period per bucket and
 * day, and the denied uploads. A query that fails makes the scan carry a problem naming it (never an
 * empty scan); the queries run are in `sqlQueries`.
 */
export async function scanAccessLogsWithSql(args: {
  engine: SqlEngine;
  tree: TreeReader;
  /** The location as configured (s3://…), what the tables read. */
  location: string;
  period: { startUtc: string; endUtc: string; timeZone: string };
  buckets: readonly string[];
  marginDays?: number;
  /** Denied uploads itemised, the first in the query's order; the rest are counted only. Default DEFAULT_MAX_DENIED_UPLOADS. */
  maxDenied?: number;
}): Promise<AccessLogScan> {
  const { engine, period } = args;
  const scan: AccessLogScan = emptyAccessLogScan(args.tree.description);
  const before = engine.queries.length;
  const maxDenied = args.maxDenied ?? DEFAULT_MAX_DENIED_UPLOADS;
  try {
    const days = utcDaysAround(period.startUtc, period.endUtc, args.marginDays ?? 1).map((d) => d.replace(/-/g, '/'));
    for (const spec of await tablesOf(args.tree, args.location, args.buckets)) {
      const relation = await engine.accessLogTable(spec);
      const rel: AccessLogRelation = {
        relation,
        period,
        buckets: args.buckets,
        ...(spec.partitionedPrefix ? { partitionDays: { from: days[0]!, to: days.at(-1)! } } : {}),
      };
      const [totals] = await allRows(engine.query(accessLogTotalsSql(rel, engine.dialect), 'access-log totals'));
      const deniedInAll = num(totals?.denied);
      scan.filesRead += num(totals?.files);
      scan.filesListed += num(totals?.files);
      scan.recordsRead += num(totals?.lines) - num(totals?.not_records);
      scan.recordsInPeriod += num(totals?.in_period);
      const notRecords = num(totals?.not_records);
      if (notRecords > 0) {
        scan.skipped.count += notRecords;
        if (scan.skipped.samples.length === 0)
          scan.skipped.samples.push({
            file: spec.location,
            message: `${notRecords} line(s) are no access-log record (the table's regex or time did not match)`,
          });
      }
      for (const row of await allRows(
        engine.query(accessLogByBucketDaySql(rel, engine.dialect), 'access-log records per bucket and day'),
      )) {
        const into = (scan.byBucketDay[row.bucket ?? ''] ??= {});
        into[row.day ?? ''] = (into[row.day ?? ''] ?? 0) + num(row.records);
      }
      // The tables of one location share its limit: this one itemises what the ones before it left.
      const room = maxDenied - scan.denied.length;
      const rows =
        room > 0
          ? await allRows(engine.query(accessLogDeniedSql(rel, engine.dialect, room), 'access-log denied uploads'))
          : [];
      if (rows.length > room) throw new Error(`the engine answered ${rows.length} rows to a query limited to ${room}`);
      for (const row of rows) scan.denied.push(deniedOf(row, args.location));
      const past = countNotItemised(deniedInAll, rows.length, 'refused uploads');
      if (past > 0) countPastLimit(scan, maxDenied, past);
    }
  } catch (err) {
    if (!(err instanceof QueryFailed)) throw err;
    scan.problems.push({ file: args.tree.description, message: `access logs unreadable: ${err.message}` });
  }
  scan.denied.sort((a, b) => a.epochMs - b.epochMs || (a.requestId < b.requestId ? -1 : 1));
  scan.sqlQueries = engine.queries.slice(before);
  return scan;
}

function num(text: string | null | undefined): number {
  const n = Number(text ?? '0');
  if (!Number.isSafeInteger(n)) throw new Error(`the engine answered "${String(text)}" where a count belongs`);
  return n;
}

/** The log's "-" is no value; quoted fields keep their quotes in the table. */
function field(v: string | null | undefined): string | null {
  if (v === null || v === undefined || v === '-') return null;
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function deniedOf(row: SqlRow, location: string): AccessLogScan['denied'][number] {
  const epochMs = num(row.epoch_ms);
  const key = field(row.key);
  const path = row.log_file ?? '';
  return {
    requestId: row.requestid ?? '',
    time: new Date(epochMs).toISOString(),
    epochMs,
    bucket: row.bucket_name ?? '',
    key: key === null ? null : decodeLoggedKey(key),
    operation: row.operation ?? '',
    requester: field(row.requester),
    remoteIp: field(row.remoteip),
    userAgent: field(row.useragent),
    cipherSuite: field(row.ciphersuite),
    tlsVersion: field(row.tlsversion),
    hasTlsFields: row.tlsversion !== null && row.tlsversion !== undefined,
    // Athena names the file ("$path"), not the line: 0 says the line is not known.
    file: path.startsWith(location) ? path.slice(location.length).replace(/^\//, '') : path,
    line: 0,
  };
}
