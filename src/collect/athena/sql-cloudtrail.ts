import type { CloudTrailRecord, CloudTrailUserIdentity } from '../../evidence/cloudtrail-record.js';
import { DEFAULT_MAX_DENIED_UPLOADS, type CloudTrailScan } from '../../evidence/log-scans.js';
import { principalOf } from '../../evidence/principal.js';
import { utcDaysAround } from '../../format/zone-day.js';
import { SkippedLines } from '../access-logs/skipped-lines.js';
import { KmsTallies } from '../cloudtrail/kms-tallies.js';
import { findTrailFolders } from '../cloudtrail/cloudtrail-paths.js';
import { keyArnsOf, managementDetail } from '../cloudtrail/kms-events.js';
import {
  CloudTrailRecordReader,
  type KmsEventIdWatch,
  type KmsManagementSummary,
} from '../cloudtrail/record-reader.js';
import { bucketOfS3Event, keyOfS3Event, sseHeaderOf, transportOf } from '../cloudtrail/s3-events.js';
import { emptyCloudTrailScan } from '../cloudtrail/scan-cloudtrail.js';
import type { TreeReader } from '../tree/tree.js';
import {
  cloudTrailDeniedSql,
  cloudTrailKeyManagementSql,
  cloudTrailKmsCallsSql,
  cloudTrailKmsEventIdsSql,
  cloudTrailS3ByBucketDaySql,
  cloudTrailTotalsSql,
  type CloudTrailRelation,
} from './cloudtrail-sql.js';
import { allRows, countNotItemised, QueryFailed, type SqlEngine, type SqlRow } from './sql-engine.js';

/** LookupEvents' event ids asked about per query. */
const IDS_PER_QUERY = 500;

/**
 * What scanCloudTrail gives, computed by SQL where the trail files lie: records in the period, S3
 * data events per bucket and day, denied uploads, KMS call tallies and key-management events. The
 * queries group by the raw fields the streaming reader reads; principals, keys and buckets are then
 * named from those fields by the streaming reader's own functions. A query that does not succeed
 * leaves the scan with a problem naming it and no counts (never a smaller, clean-looking scan); the
 * queries run are in `sqlQueries`.
 */
export async function scanCloudTrailWithSql(args: {
  engine: SqlEngine;
  tree: TreeReader;
  /** The location as configured (s3://…), what the tables read. */
  location: string;
  period: { startUtc: string; endUtc: string; timeZone: string };
  accounts?: readonly string[];
  marginDays?: number;
  watchKmsEventIds?: KmsEventIdWatch;
  /** Denied uploads itemised, the first in the query's order; the rest are counted only. Default DEFAULT_MAX_DENIED_UPLOADS. */
  maxDenied?: number;
}): Promise<CloudTrailScan> {
  const { engine } = args;
  const before = engine.queries.length;
  const scan = emptyCloudTrailScan(args.tree.description);
  try {
    await fill(scan, args);
  } catch (err) {
    if (!(err instanceof QueryFailed)) throw err;
    const failed = emptyCloudTrailScan(args.tree.description);
    failed.trails = scan.trails;
    failed.problems.push({ file: args.tree.description, message: `CloudTrail logs unreadable: ${err.message}` });
    failed.sqlQueries = engine.queries.slice(before);
    return failed;
  }
  scan.sqlQueries = engine.queries.slice(before);
  return scan;
}

async function fill(scan: CloudTrailScan, args: Parameters<typeof scanCloudTrailWithSql>[0]): Promise<void> {
  const { engine, period } = args;
  const dialect = engine.dialect;
  const days = utcDaysAround(period.startUtc, period.endUtc, args.marginDays ?? 1).map((d) => d.replace(/-/g, '/'));
  const found = await findTrailFolders(args.tree, args.accounts);
  for (const message of found.problems) scan.problems.push({ file: args.tree.description, message });
  if (found.folders.length === 0) return;
  const base = args.location.endsWith('/') ? args.location : `${args.location}/`;
  const relations: string[] = [];
  for (const folder of found.folders)
    relations.push(await engine.cloudTrailTable({ location: `${base}${folder.prefix}` }));
  const rel: CloudTrailRelation = { relations, days: { from: days[0]!, to: days.at(-1)! }, period };

  const skipped = new SkippedLines();
  const totals = await allRows(engine.query(cloudTrailTotalsSql(rel, dialect), 'CloudTrail totals'));
  const deniedRecords = totals.reduce((n, row) => n + num(row.denied_records), 0);
  found.folders.forEach((folder, i) => {
    const row = totals.find((t) => num(t.trail) === i);
    scan.trails.push({ ...folder, dayFoldersRead: days.length, dayFoldersWithFiles: num(row?.days) });
    scan.filesListed += num(row?.files);
    scan.filesRead += num(row?.files);
    scan.recordsRead += num(row?.records);
    scan.recordsInPeriod += num(row?.in_period);
    // Athena names the file, not the record's place in it: the samples carry no index.
    const skip = (count: number, file: string | null | undefined, message: string) => {
      if (count <= 0) return;
      skipped.count += count;
      skipped.samples.push({ file: file ? inTree(file, base) : folder.prefix, message });
    };
    skip(num(row?.not_records), row?.first_not_record_file, 'record is not an object');
    skip(num(row?.not_events), row?.first_not_event_file, 'no valid eventTime or eventName');
  });

  for (const row of await allRows(
    engine.query(cloudTrailS3ByBucketDaySql(rel, dialect), 'CloudTrail S3 data events per bucket and day'),
  )) {
    const events = num(row.events);
    scan.s3DataEvents += events;
    const bucket = bucketOfS3Event(
      record({
        requestParameters: row.bucket_name ? { bucketName: row.bucket_name } : {},
        resources: resourcesOf(row.resources_text),
      }),
    );
    if (bucket === null) continue;
    const into = (scan.s3DataEventsByBucketDay[bucket] ??= {});
    into[row.day ?? ''] = (into[row.day ?? ''] ?? 0) + events;
  }

  // Denied uploads and key-management events are few: each goes through the streaming reader's own bookkeeping.
  const maxDenied = args.maxDenied ?? DEFAULT_MAX_DENIED_UPLOADS;
  const reader = new CloudTrailRecordReader(period, skipped, scan, { maxDenied });
  const denied = await allRows(engine.query(cloudTrailDeniedSql(rel, dialect, maxDenied), 'CloudTrail denied uploads'));
  if (denied.length > maxDenied)
    throw new Error(`the engine answered ${denied.length} rows to a query limited to ${maxDenied}`);
  // Past the itemised events, every record of a refused upload is counted (a copy in a second trail too).
  const past = countNotItemised(
    deniedRecords,
    denied.reduce((n, row) => n + num(row.records), 0),
    'refused upload records',
  );
  const management = await allRows(
    engine.query(cloudTrailKeyManagementSql(rel, dialect), 'CloudTrail key-management events'),
  );
  reader.addFound({
    denied: denied.map((row) => deniedOf(row, base)),
    deniedNotItemised: past,
    management: management.map(managementOf),
  });

  const tallies = new KmsTallies();
  let calls = 0;
  for await (const page of engine.query(cloudTrailKmsCallsSql(rel, dialect), 'CloudTrail KMS calls')) {
    for (const row of page) {
      const n = num(row.calls);
      calls += n;
      const r = keyRecord(row);
      const who = principalOf(r.userIdentity);
      const keys = keyArnsOf(r);
      const firstMs = num(row.first_ms);
      const lastMs = num(row.last_ms);
      for (const keyArn of keys.length > 0 ? keys : ['unknown']) {
        const group = {
          keyArn,
          principal: who.principal,
          kind: who.kind,
          operation: row.operation ?? '',
          day: row.day ?? '',
          bucket: row.context_bucket ?? '',
        };
        tallies.add(group, n, firstMs, lastMs, row.errorcode ?? undefined, who.via);
      }
    }
  }

  const watch = args.watchKmsEventIds;
  if (watch && watch.eventIds.size > 0) {
    const ids = [...watch.eventIds].sort();
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY)
      for (const row of await allRows(
        engine.query(
          cloudTrailKmsEventIdsSql(rel, dialect, ids.slice(i, i + IDS_PER_QUERY)),
          'CloudTrail KMS events also fetched by LookupEvents',
        ),
      ))
        if (row.eventid) watch.seen.add(row.eventid);
  }

  reader.finish();
  scan.kmsEvents += calls;
  scan.kmsTallies = tallies.done();
}

/** A file Athena names ("$path", an s3:// URL) as the path inside the location, as the streaming engine names it. */
function inTree(file: string, location: string): string {
  return file.startsWith(location) ? file.slice(location.length) : file;
}

function num(text: string | null | undefined): number {
  const n = Number(text ?? '0');
  if (!Number.isSafeInteger(n)) throw new Error(`the engine answered "${String(text)}" where a count belongs`);
  return n;
}

/** A record of the fields given, SQL NULLs left out (the streaming reader tells absent from present). */
function record(fields: Partial<CloudTrailRecord>): CloudTrailRecord {
  return JSON.parse(JSON.stringify(fields, (_k, v: unknown) => (v === null ? undefined : v))) as CloudTrailRecord;
}

/** resourcesText's `type=arn` list back into CloudTrail's resources. */
function resourcesOf(text: string | null | undefined): CloudTrailRecord['resources'] {
  if (!text) return undefined;
  return text
    .split(' ')
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=');
      const type = entry.slice(0, at);
      const arn = entry.slice(at + 1);
      return { ...(type ? { type } : {}), ...(arn ? { ARN: arn } : {}) };
    });
}

/** A JSON column (requestparameters, …) as the object it holds; anything else as absent. */
function jsonObject(text: string | null | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function identityOf(row: SqlRow): CloudTrailUserIdentity {
  return {
    ...(row.identity_type ? { type: row.identity_type } : {}),
    ...(row.identity_arn ? { arn: row.identity_arn } : {}),
    ...(row.identity_account ? { accountId: row.identity_account } : {}),
    ...(row.identity_user ? { userName: row.identity_user } : {}),
    ...(row.invoked_by ? { invokedBy: row.invoked_by } : {}),
    ...(row.issuer_arn ? { sessionContext: { sessionIssuer: { arn: row.issuer_arn } } } : {}),
  };
}

/** The fields that name a KMS record's keys and principal, as a record keyArnsOf and principalOf read. */
function keyRecord(row: SqlRow, requestParameters?: Record<string, unknown>): CloudTrailRecord {
  const keyMetadata = row.answered_key_arn ? { arn: row.answered_key_arn } : undefined;
  return record({
    userIdentity: identityOf(row),
    resources: resourcesOf(row.resources_text),
    requestParameters: requestParameters ?? {
      ...(row.key_id !== null ? { keyId: row.key_id } : {}),
      ...(row.target_key_id !== null ? { targetKeyId: row.target_key_id } : {}),
    },
    responseElements: {
      ...(row.answered_key_id !== null ? { keyId: row.answered_key_id } : {}),
      ...(keyMetadata ? { keyMetadata } : {}),
    },
    ...(row.awsregion ? { awsRegion: row.awsregion } : {}),
    ...(row.recipientaccountid ? { recipientAccountId: row.recipientaccountid } : {}),
  });
}

function managementOf(row: SqlRow): KmsManagementSummary {
  const r: CloudTrailRecord = {
    ...keyRecord(row, jsonObject(row.requestparameters) ?? {}),
    eventName: row.eventname ?? '',
  };
  const keys = keyArnsOf(r);
  const who = principalOf(r.userIdentity);
  const detail = managementDetail(r);
  const time = new Date(num(row.epoch_ms)).toISOString();
  return {
    ...(row.eventid ? { eventId: row.eventid } : {}),
    records: (keys.length > 0 ? keys : ['unknown']).map((keyArn) => ({
      keyArn,
      time,
      eventName: row.eventname ?? '',
      principal: who.principal,
      kind: who.kind,
      ...(row.sourceipaddress ? { sourceIp: row.sourceipaddress } : {}),
      ...(row.errorcode ? { errorCode: row.errorcode } : {}),
      ...(row.requestid ? { requestId: row.requestid } : {}),
      ...(row.eventid ? { eventId: row.eventid } : {}),
      ...(detail ? { detail } : {}),
    })),
  };
}

function deniedOf(row: SqlRow, location: string) {
  const tlsDetails =
    row.tls_version || row.tls_cipher_suite
      ? {
          ...(row.tls_version ? { tlsVersion: row.tls_version } : {}),
          ...(row.tls_cipher_suite ? { cipherSuite: row.tls_cipher_suite } : {}),
        }
      : undefined;
  const r = record({
    ...(row.eventversion ? { eventVersion: row.eventversion } : {}),
    requestParameters: jsonObject(row.requestparameters) ?? null,
    additionalEventData: jsonObject(row.additionaleventdata) ?? null,
    resources: resourcesOf(row.resources_text),
    ...(tlsDetails ? { tlsDetails } : {}),
  });
  const epochMs = num(row.epoch_ms);
  const who = principalOf(identityOf(row));
  const path = row.log_file ?? '';
  return {
    requestId: row.requestid ?? null,
    eventId: row.eventid ?? null,
    time: new Date(epochMs).toISOString(),
    epochMs,
    bucket: bucketOfS3Event(r),
    key: keyOfS3Event(r),
    eventName: row.eventname ?? '',
    principal: who.principal,
    principalKind: who.kind,
    sourceIp: row.sourceipaddress ?? null,
    userAgent: row.useragent ?? null,
    errorCode: row.errorcode ?? '',
    errorMessage: row.errormessage ?? null,
    sseHeader: sseHeaderOf(r),
    transport: transportOf(r),
    account: row.recipientaccountid ?? null,
    region: row.awsregion ?? null,
    // Athena names the file ("$path"), not the record: 0 says its index in the file is not known.
    file: inTree(path, location),
    record: 0,
  };
}
