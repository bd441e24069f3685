import { quote } from './dialect.js';
import type { AccessLogTableSpec, CloudTrailTableSpec, InventoryTableSpec } from './sql-engine.js';

/**
 * The tables AWS documents for Athena, made by the tool (partition projection, no crawler):
 *  - S3 Inventory ("Querying Amazon S3 Inventory with Amazon Athena"): CSV with OpenCSVSerde, Parquet
 *    and ORC with their SerDes, read through the symlink.txt files S3 delivers under hive/dt=…/, with
 *    `dt` projected as a date (yyyy-MM-dd-HH-mm, hourly);
 *  - S3 server access logs ("Querying access logs for requests by using Amazon Athena"): RegexSerDe,
 *    with `timestamp` projected (yyyy/MM/dd) for the date-based key format;
 *  - CloudTrail ("Create the table for CloudTrail logs in Athena using partition projection"): the
 *    JSON SerDe over CloudTrailInputFormat, one table per trail folder (account and region), with
 *    `timestamp` projected (yyyy/MM/dd day folders).
 * Names are derived from what the table reads, so a second run finds the same table.
 */

/** The columns of AWS's Parquet/ORC inventory table, with the types AWS documents. */
const TYPED_INVENTORY_COLUMNS: Readonly<Record<string, string>> = {
  bucket: 'string',
  key: 'string',
  version_id: 'string',
  is_latest: 'boolean',
  is_delete_marker: 'boolean',
  size: 'bigint',
  last_modified_date: 'timestamp',
  e_tag: 'string',
  storage_class: 'string',
  is_multipart_uploaded: 'boolean',
  replication_status: 'string',
  encryption_status: 'string',
  object_lock_retain_until_date: 'bigint',
  object_lock_mode: 'string',
  object_lock_legal_hold_status: 'string',
  intelligent_tiering_access_tier: 'string',
  bucket_key_status: 'string',
  checksum_algorithm: 'string',
  object_access_control_list: 'string',
  object_owner: 'string',
};

const SERDE: Record<InventoryTableSpec['format'], string> = {
  csv: `ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'`,
  parquet: `ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'`,
  orc: `ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.orc.OrcSerde'`,
};

/** A table name Glue accepts (lower case, digits, underscores), unique per location. */
export function tableName(kind: string, location: string, hash: (s: string) => string): string {
  return `s3evidence_${kind}_${hash(location).slice(0, 16)}`;
}

/** `s3://dest/prefix/` + `hive/`: where S3 Inventory delivers the symlink files Athena reads. */
function withSlash(location: string): string {
  return location.endsWith('/') ? location : `${location}/`;
}

export function inventoryTableDdl(database: string, table: string, spec: InventoryTableSpec): string {
  // CSV columns are matched by position, so every fileSchema column is declared, as text; Parquet
  // and ORC columns are matched by name, so only the known ones are declared, typed.
  const columns =
    spec.format === 'csv'
      ? spec.columns.map((c) => `  ${ddlIdent(c)} string`)
      : spec.columns
          .filter((c) => c in TYPED_INVENTORY_COLUMNS)
          .map((c) => `  ${ddlIdent(c)} ${TYPED_INVENTORY_COLUMNS[c]}`);
  const reportStart = `${spec.dt.slice(0, 10)}-00-00`;
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${ddlIdent(database)}.${ddlIdent(table)} (
${columns.join(',\n')}
)
PARTITIONED BY (dt string)
${SERDE[spec.format]}
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat'
LOCATION ${quote(`${withSlash(spec.configLocation)}hive/`)}
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd-HH-mm',
  'projection.dt.range' = ${quote(`${reportStart},NOW`)},
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'HOURS'
)`;
}

/** Athena's DDL is Hive's: identifiers are quoted with backticks (queries use double quotes). */
export function ddlIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A Hive DDL string literal: backslashes are escapes there, so the regex's own are doubled. */
function hiveQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The access log's fields in log order, as AWS's Athena table names them. */
export const ACCESS_LOG_COLUMNS = [
  'bucketowner',
  'bucket_name',
  'requestdatetime',
  'remoteip',
  'requester',
  'requestid',
  'operation',
  'key',
  'request_uri',
  'httpstatus',
  'errorcode',
  'bytessent',
  'objectsize',
  'totaltime',
  'turnaroundtime',
  'referrer',
  'useragent',
  'versionid',
  'hostid',
  'sigv',
  'ciphersuite',
  'authtype',
  'endpoint',
  'tlsversion',
  'accesspointarn',
  'aclrequired',
  'sourceregion',
] as const;

const FIELD = '([^ ]*)';
const QUOTED = '("(?:[^"\\\\]|\\\\.)*"|-)';
/** Fields from Version Id on came with later log vintages: each may be absent, and so may every one after it. */
const optionalTail = (n: number): string => (n === 0 ? '' : `(?: ${FIELD}${optionalTail(n - 1)})?`);

/**
 * One regex for every vintage of the log (Java and RE2 read it alike): the bracketed time without
 * its brackets, quoted fields with their quotes (as AWS's table has them), trailing fields optional.
 */
export const ACCESS_LOG_REGEX =
  `^${FIELD} ${FIELD} \\[([^\\]]*)\\] ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${QUOTED} (-|[0-9]*) ` +
  `${FIELD} ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${QUOTED} ${QUOTED}${optionalTail(ACCESS_LOG_COLUMNS.length - 17)}.*$`;

export function accessLogTableDdl(database: string, table: string, spec: AccessLogTableSpec): string {
  const columns = ACCESS_LOG_COLUMNS.map((c) => `  ${ddlIdent(c)} string`).join(',\n');
  const location = withSlash(spec.location);
  const projected = spec.partitionedPrefix ? `PARTITIONED BY (${ddlIdent('timestamp')} string)\n` : '';
  const properties = spec.partitionedPrefix
    ? `
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'projection.timestamp.range' = ${quote(`${spec.partitionedPrefix.since},NOW`)},
  'storage.location.template' = ${quote(`${location}${spec.partitionedPrefix.path}/\${timestamp}`)}
)`
    : '';
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${ddlIdent(database)}.${ddlIdent(table)} (
${columns}
)
${projected}ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES ('input.regex' = ${hiveQuote(ACCESS_LOG_REGEX)})
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${quote(location)}${properties}`;
}

/**
 * AWS's CloudTrail table, with the columns the tool reads (a JSON SerDe maps fields by name, so
 * undeclared ones are simply not read) plus `managementevent`, which tells data from management
 * events in records that carry it. Nested JSON (requestparameters, …) stays text, as AWS's table has it.
 */
export const CLOUDTRAIL_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['eventversion', 'string'],
  [
    'useridentity',
    'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,' +
      'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
      'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>>>',
  ],
  ['eventtime', 'string'],
  ['eventsource', 'string'],
  ['eventname', 'string'],
  ['awsregion', 'string'],
  ['sourceipaddress', 'string'],
  ['useragent', 'string'],
  ['errorcode', 'string'],
  ['errormessage', 'string'],
  ['requestparameters', 'string'],
  ['responseelements', 'string'],
  ['additionaleventdata', 'string'],
  ['requestid', 'string'],
  ['eventid', 'string'],
  ['readonly', 'string'],
  ['resources', 'array<struct<arn:string,accountid:string,type:string>>'],
  ['eventtype', 'string'],
  ['recipientaccountid', 'string'],
  ['eventcategory', 'string'],
  ['managementevent', 'string'],
  ['tlsdetails', 'struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>'],
];

/** The first day folder a CloudTrail table projects: CloudTrail began delivering in November 2013. */
const CLOUDTRAIL_SINCE = '2013/11/01';

export function cloudTrailTableDdl(database: string, table: string, spec: CloudTrailTableSpec): string {
  const location = withSlash(spec.location);
  const columns = CLOUDTRAIL_COLUMNS.map(([c, type]) => `  ${ddlIdent(c)} ${type}`).join(',\n');
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${ddlIdent(database)}.${ddlIdent(table)} (
${columns}
)
PARTITIONED BY (${ddlIdent('timestamp')} string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${quote(location)}
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'projection.timestamp.range' = ${quote(`${CLOUDTRAIL_SINCE},NOW`)},
  'storage.location.template' = ${quote(`${location}\${timestamp}`)}
)`;
}
