import { KMS_CRYPTO_OPERATIONS, KMS_MANAGEMENT_EVENTS } from '../cloudtrail/kms-events.js';
import { OBJECT_LEVEL_EVENTS, UPLOAD_EVENT_NAMES } from '../cloudtrail/s3-events.js';
import { ident, quote, quoteList, sqlLimit, type SqlDialect } from './dialect.js';

/**
 * The trail tables of one CloudTrail location (one per account and region folder) and what of them
 * the period needs. The statements read the raw fields the streaming reader reads and group by
 * them; naming the principal and the key from those fields is left to the same functions the
 * streaming reader calls (sql-cloudtrail.ts), so the two engines cannot name them differently.
 */
export interface CloudTrailRelation {
  relations: readonly string[];
  /** The day folders (yyyy/MM/dd) read: the period's UTC days and a margin either side. */
  days: { from: string; to: string };
  period: { startUtc: string; endUtc: string; timeZone: string };
}

const S3 = quote('s3.amazonaws.com');
const KMS = quote('kms.amazonaws.com');
const sorted = (set: ReadonlySet<string>) => quoteList([...set].sort());

/** Every record of the day folders read, with its time, its file and its trail (the index of its table). */
function records(rel: CloudTrailRelation, dialect: SqlDialect): string {
  return rel.relations
    .map(
      (relation, i) =>
        `SELECT t.*, ${dialect.isoTime('t.eventtime')} AS event_time, ${ident('$path')} AS log_file, ${i} AS trail
  FROM ${relation} t
  WHERE t.${ident('timestamp')} BETWEEN ${quote(rel.days.from)} AND ${quote(rel.days.to)}`,
    )
    .join('\n  UNION ALL\n  ');
}

/** The S3 and KMS records of the period (what the streaming reader counts as recordsInPeriod). */
function inPeriod(rel: CloudTrailRelation, dialect: SqlDialect): string {
  return `eventsource IN (${S3}, ${KMS}) AND eventname IS NOT NULL AND event_time IS NOT NULL
    AND event_time >= ${dialect.instant(rel.period.startUtc)} AND event_time < ${dialect.instant(rel.period.endUtc)}`;
}

/** An S3 data (object-level) event: eventCategory when the record has it, else managementEvent, else the event name. */
const S3_DATA_EVENT = `eventsource = ${S3} AND CASE
      WHEN eventcategory IS NOT NULL THEN eventcategory = 'Data'
      WHEN managementevent IS NOT NULL THEN lower(managementevent) = 'false'
      ELSE eventname IN (${sorted(OBJECT_LEVEL_EVENTS)})
    END`;

/** An upload refused with AccessDenied (what the denied-upload rows list), before copies of one event are told apart. */
const DENIED_UPLOAD = `${S3_DATA_EVENT} AND errorcode = 'AccessDenied' AND eventname IN (${sorted(UPLOAD_EVENT_NAMES)})`;

function base(rel: CloudTrailRelation, dialect: SqlDialect): string {
  return `WITH r AS (
  ${records(rel, dialect)}
),
p AS (SELECT * FROM r WHERE ${inPeriod(rel, dialect)})`;
}

/** A row with none of the fields every CloudTrail record has: an entry of Records that is no record (the SerDe's row of NULLs). */
const NOT_A_RECORD = `eventversion IS NULL AND eventtime IS NULL AND eventsource IS NULL AND eventname IS NULL AND eventid IS NULL`;
/** An S3 or KMS record whose time or name cannot be read (the streaming reader skips it as malformed). */
const NOT_AN_EVENT = `eventsource IN (${S3}, ${KMS}) AND (event_time IS NULL OR eventname IS NULL)`;

/**
 * Per trail: records, files and day folders with records, entries that are no record and S3/KMS
 * records without a readable time or name (each with the first file holding one), records in the period.
 */
export function cloudTrailTotalsSql(rel: CloudTrailRelation, dialect: SqlDialect): string {
  return `WITH r AS (
  ${records(rel, dialect)}
)
SELECT trail, count(*) AS records, count(DISTINCT log_file) AS files, count(DISTINCT ${ident('timestamp')}) AS days,
  sum(CASE WHEN ${NOT_A_RECORD} THEN 1 ELSE 0 END) AS not_records,
  min(CASE WHEN ${NOT_A_RECORD} THEN log_file END) AS first_not_record_file,
  sum(CASE WHEN ${NOT_AN_EVENT} THEN 1 ELSE 0 END) AS not_events,
  min(CASE WHEN ${NOT_AN_EVENT} THEN log_file END) AS first_not_event_file,
  sum(CASE WHEN ${inPeriod(rel, dialect)} THEN 1 ELSE 0 END) AS in_period,
  sum(CASE WHEN ${inPeriod(rel, dialect)} AND ${DENIED_UPLOAD} THEN 1 ELSE 0 END) AS denied_records
FROM r
GROUP BY trail
ORDER BY trail`;
}

/** S3 data events of the period per bucket as recorded (bucketName, else the resources) and day in the tenant's zone. */
export function cloudTrailS3ByBucketDaySql(rel: CloudTrailRelation, dialect: SqlDialect): string {
  const bucketName = dialect.jsonText('requestparameters', ['bucketName']);
  return `${base(rel, dialect)}
SELECT ${bucketName} AS bucket_name,
  CASE WHEN coalesce(${bucketName}, '') = '' THEN ${dialect.resourcesText('resources')} END AS resources_text,
  ${dialect.dayIn('event_time', rel.period.timeZone)} AS day,
  count(*) AS events
FROM p
WHERE ${S3_DATA_EVENT}
GROUP BY 1, 2, 3
ORDER BY 3, 1, 2`;
}

/** Who made a call, as the fields principalOf reads (an assumed role's session ARN left out where its issuer names it). */
const IDENTITY = `t.useridentity.type AS identity_type,
  CASE WHEN t.useridentity.type = 'AssumedRole' AND t.useridentity.sessioncontext.sessionissuer.arn IS NOT NULL THEN NULL
    ELSE t.useridentity.arn END AS identity_arn,
  t.useridentity.accountid AS identity_account, t.useridentity.username AS identity_user,
  t.useridentity.invokedby AS invoked_by, t.useridentity.sessioncontext.sessionissuer.arn AS issuer_arn`;

/** A record delivered more than once (two trails, a file repeated) is one event: its first copy in file order. */
function firstCopies(where: string, countCopies = false): string {
  const copies = countCopies ? ', count(*) OVER (PARTITION BY eventid) AS copies' : '';
  return `SELECT *, row_number() OVER (PARTITION BY eventid ORDER BY log_file) AS copy${copies} FROM p WHERE ${where}`;
}

/**
 * Uploads refused with AccessDenied in the period, once per event, with what the packet lists of each
 * and how many records delivered it (`records`: copies in two trails): only the first `limit` events
 * in time order (a top-N the engine keeps bounded on every node), so a flood of them is never paged
 * back; the totals query counts every such record (`denied_records`).
 */
export function cloudTrailDeniedSql(rel: CloudTrailRelation, dialect: SqlDialect, limit: number): string {
  return `${base(rel, dialect)},
d AS (${firstCopies(DENIED_UPLOAD, true)})
SELECT t.requestid, t.eventid, ${dialect.epochMillis('t.event_time')} AS epoch_ms, t.eventname, t.errorcode, t.errormessage,
  t.sourceipaddress, t.useragent, t.eventversion, t.awsregion, t.recipientaccountid, t.requestparameters,
  t.additionaleventdata, t.tlsdetails.tlsversion AS tls_version, t.tlsdetails.ciphersuite AS tls_cipher_suite,
  ${dialect.resourcesText('t.resources')} AS resources_text,
  ${IDENTITY},
  t.log_file, CASE WHEN t.eventid IS NULL THEN 1 ELSE t.copies END AS records
FROM d t
WHERE t.eventid IS NULL OR t.copy = 1
ORDER BY epoch_ms, t.eventid
LIMIT ${sqlLimit(limit)}`;
}

/** KMS records of the period that the key sections count, once per event. */
function kmsEvents(rel: CloudTrailRelation, dialect: SqlDialect, names: ReadonlySet<string>): string {
  return `${base(rel, dialect)},
k AS (${firstCopies(`eventsource = ${KMS} AND eventname IN (${sorted(names)})`)})`;
}

/** The fields keyArnsOf reads to name a record's keys. */
function keyFields(dialect: SqlDialect): string {
  return `${dialect.resourcesText('t.resources')} AS resources_text,
  ${dialect.jsonText('t.responseelements', ['keyId'])} AS answered_key_id,
  ${dialect.jsonText('t.responseelements', ['keyMetadata', 'arn'])} AS answered_key_arn,
  ${dialect.jsonText('t.requestparameters', ['keyId'])} AS key_id,
  ${dialect.jsonText('t.requestparameters', ['targetKeyId'])} AS target_key_id,
  t.awsregion, t.recipientaccountid`;
}

/**
 * Calls that use key material in the period, counted per operation, day (tenant's zone), bucket of
 * the S3 encryption context, the fields that name the key and the principal, and error code.
 */
export function cloudTrailKmsCallsSql(rel: CloudTrailRelation, dialect: SqlDialect): string {
  const contextArn = dialect.jsonText('t.requestparameters', ['encryptionContext', 'aws:s3:arn']);
  return `${kmsEvents(rel, dialect, KMS_CRYPTO_OPERATIONS)}
SELECT t.eventname AS operation, ${dialect.dayIn('t.event_time', rel.period.timeZone)} AS day,
  regexp_extract(${contextArn}, '^arn:[^:]+:s3:::([^/]+)', 1) AS context_bucket,
  ${keyFields(dialect)},
  ${IDENTITY},
  t.errorcode,
  count(*) AS calls, min(${dialect.epochMillis('t.event_time')}) AS first_ms, max(${dialect.epochMillis('t.event_time')}) AS last_ms
FROM k t
WHERE t.eventid IS NULL OR t.copy = 1
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17`;
}

/** Key-management events of the period (few): one row each, with what the packet lists of them. */
export function cloudTrailKeyManagementSql(rel: CloudTrailRelation, dialect: SqlDialect): string {
  return `${kmsEvents(rel, dialect, KMS_MANAGEMENT_EVENTS)}
SELECT t.eventid, t.requestid, ${dialect.epochMillis('t.event_time')} AS epoch_ms, t.eventname, t.errorcode,
  t.sourceipaddress, t.requestparameters, t.responseelements,
  ${keyFields(dialect)},
  ${IDENTITY}
FROM k t
WHERE t.eventid IS NULL OR t.copy = 1
ORDER BY epoch_ms, t.eventid`;
}

/** Which of `eventIds` (KMS events LookupEvents also fetched) the trail holds in the period. */
export function cloudTrailKmsEventIdsSql(
  rel: CloudTrailRelation,
  dialect: SqlDialect,
  eventIds: readonly string[],
): string {
  const names = new Set([...KMS_CRYPTO_OPERATIONS, ...KMS_MANAGEMENT_EVENTS]);
  return `${base(rel, dialect)}
SELECT DISTINCT eventid FROM p
WHERE eventsource = ${KMS} AND eventname IN (${sorted(names)}) AND eventid IN (${quoteList(eventIds)})
ORDER BY eventid`;
}
