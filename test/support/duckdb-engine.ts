/**
 * The SqlEngine of the equivalence suite and the fake Athena endpoint: DuckDB over local trees.
 * Tables are views over the local copies of the files Athena's tables would read (the only dialect
 * difference besides src/collect/athena/dialect.ts); the aggregation statements are the product's own.
 */
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DUCKDB, ident, quote } from '../../src/collect/athena/dialect.js';
import {
  costOfScan,
  QueryFailed,
  type AccessLogTableSpec,
  type CloudTrailTableSpec,
  type InventoryTableSpec,
  type QueryRecord,
  type SqlEngine,
  type SqlRow,
} from '../../src/collect/athena/sql-engine.js';
import { dataFileTreePath } from '../../src/collect/inventory/manifest.js';
import { ACCESS_LOG_COLUMNS, ACCESS_LOG_REGEX, CLOUDTRAIL_COLUMNS } from '../../src/collect/athena/table-ddl.js';

/** DuckDB's value as Athena sends it: text, or null. */
export function athenaText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return String(v);
}

export async function duckdbConnection(): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:');
  return db.connect();
}

/** A local folder standing for an s3:// location: `s3://bucket/prefix/…` → `<root>/…`. */
export type LocalOf = (location: string) => string;

export class DuckdbEngine implements SqlEngine {
  readonly dialect = DUCKDB;
  readonly queries: QueryRecord[] = [];
  private views = 0;

  constructor(
    readonly db: DuckDBConnection,
    /** Where a location (s3:// URL or a local tree's location) lies on this machine. */
    private readonly localOf: LocalOf = (l) => l,
    private readonly pageSize = 1000,
  ) {}

  async inventoryTable(spec: InventoryTableSpec): Promise<string> {
    const name = `inventory_${++this.views}`;
    await this.db.run(`CREATE VIEW ${name} AS ${inventoryView(spec, this.localOf)}`);
    return name;
  }

  async accessLogTable(spec: AccessLogTableSpec): Promise<string> {
    const name = `access_logs_${++this.views}`;
    const root = this.localOf(spec.location);
    const folder = spec.partitionedPrefix ? path.join(root, spec.partitionedPrefix.path) : root;
    await this.db.run(`CREATE VIEW ${name} AS ${accessLogView(folder)}`);
    return name;
  }

  async cloudTrailTable(spec: CloudTrailTableSpec): Promise<string> {
    const name = `cloudtrail_${++this.views}`;
    await this.db.run(`CREATE VIEW ${name} AS ${cloudTrailView(this.localOf(spec.location))}`);
    return name;
  }

  async *query(sql: string, purpose: string): AsyncIterable<SqlRow[]> {
    const record: QueryRecord = {
      purpose,
      queryId: `duckdb-${this.queries.length + 1}`,
      sql,
      state: 'SUCCEEDED',
      dataScannedBytes: 0,
      costUsd: costOfScan(0),
    };
    this.queries.push(record);
    let rows: SqlRow[];
    try {
      const reader = await this.db.runAndReadAll(sql);
      rows = reader
        .getRowObjectsJS()
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, athenaText(v)])));
    } catch (err) {
      record.state = 'FAILED';
      record.reason = (err as Error).message;
      throw new QueryFailed(record);
    }
    record.rows = rows.length;
    for (let i = 0; i < rows.length; i += this.pageSize) yield rows.slice(i, i + this.pageSize);
    if (rows.length === 0) yield [];
  }
}

/** The view standing for AWS's inventory table over one report: its data files, with the report's dt. */
function inventoryView(spec: InventoryTableSpec, localOf: LocalOf): string {
  const root = localOf(spec.configLocation);
  const files = spec.dataFiles.map((key) => {
    const inTree = dataFileTreePath(key, spec.bucket, spec.configId);
    const rel = inTree.slice(`${spec.bucket}/${spec.configId}/`.length);
    return quote(path.join(root, rel));
  });
  if (spec.format === 'csv') {
    const columns = spec.columns.map((c) => `${quote(c)}: 'VARCHAR'`).join(', ');
    return `SELECT *, ${quote(spec.dt)} AS dt FROM read_csv([${files.join(', ')}], header = false, quote = '"', escape = '"',
      delim = ',', compression = 'gzip', allow_quoted_nulls = false, columns = {${columns}})`;
  }
  // DuckDB writes no ORC: the tests stand an ORC report's data files in with Parquet files of the same columns.
  return `SELECT *, ${quote(spec.dt)} AS dt FROM read_parquet([${files.join(', ')}])`;
}

/**
 * The view standing for AWS's access-log table: every line of every file under the folder, split by
 * the table's own regex (a line it does not match is a row of NULLs, as the RegexSerDe gives it),
 * with the file as "$path" and the date-based key format's day folder as "timestamp".
 */
export function accessLogView(folder: string): string {
  const names = ACCESS_LOG_COLUMNS.map(quote).join(', ');
  const columns = ACCESS_LOG_COLUMNS.map((c) => `nullif(m.${ident(c)}, '') AS ${ident(c)}`);
  return `SELECT ${columns.join(', ')}, path AS "$path",
    regexp_extract(path, '(\\d{4}/\\d{2}/\\d{2})/[^/]*$', 1) AS "timestamp"
  FROM (
    SELECT path, regexp_extract(line, ${quote(ACCESS_LOG_REGEX)}, [${names}]) AS m
    FROM (
      SELECT filename AS path, rtrim(unnest(string_split(content, chr(10))), chr(13)) AS line
      FROM read_text(${quote(path.join(folder, '**'))})
    )
    WHERE line <> ''
  )`;
}

/** A JSON member as the JSON SerDe gives a string column: text for a scalar, the JSON itself for an object or array. */
const text = (r: string, path: string) =>
  `CASE WHEN json_type(${r}, ${quote(path)}) IN ('OBJECT', 'ARRAY') THEN CAST(json_extract(${r}, ${quote(path)}) AS VARCHAR)
    ELSE json_extract_string(${r}, ${quote(path)}) END`;

/** Each CloudTrail column of the table (lower case, as Hive names them) from the record's field (camel case, as CloudTrail writes it). */
function cloudTrailColumn(column: string, r: string): string {
  const s = (p: string) => text(r, p);
  switch (column) {
    case 'useridentity':
      return `struct_pack(type := ${s('$.userIdentity.type')}, principalid := ${s('$.userIdentity.principalId')},
        arn := ${s('$.userIdentity.arn')}, accountid := ${s('$.userIdentity.accountId')},
        invokedby := ${s('$.userIdentity.invokedBy')}, accesskeyid := ${s('$.userIdentity.accessKeyId')},
        username := ${s('$.userIdentity.userName')},
        sessioncontext := struct_pack(
          attributes := struct_pack(mfaauthenticated := ${s('$.userIdentity.sessionContext.attributes.mfaAuthenticated')},
            creationdate := ${s('$.userIdentity.sessionContext.attributes.creationDate')}),
          sessionissuer := struct_pack(type := ${s('$.userIdentity.sessionContext.sessionIssuer.type')},
            principalid := ${s('$.userIdentity.sessionContext.sessionIssuer.principalId')},
            arn := ${s('$.userIdentity.sessionContext.sessionIssuer.arn')},
            accountid := ${s('$.userIdentity.sessionContext.sessionIssuer.accountId')},
            username := ${s('$.userIdentity.sessionContext.sessionIssuer.userName')})))`;
    case 'resources':
      return `list_transform(TRY_CAST(json_extract(${r}, '$.resources') AS JSON[]),
        x -> struct_pack(arn := json_extract_string(x, '$.ARN'), accountid := json_extract_string(x, '$.accountId'),
          type := json_extract_string(x, '$.type')))`;
    case 'tlsdetails':
      return `struct_pack(tlsversion := ${s('$.tlsDetails.tlsVersion')}, ciphersuite := ${s('$.tlsDetails.cipherSuite')},
        clientprovidedhostheader := ${s('$.tlsDetails.clientProvidedHostHeader')})`;
    default: {
      const field = CLOUDTRAIL_FIELDS[column];
      if (!field) throw new Error(`no CloudTrail field for the column ${column}`);
      return s(`$.${field}`);
    }
  }
}

const CLOUDTRAIL_FIELDS: Record<string, string> = {
  eventversion: 'eventVersion',
  eventtime: 'eventTime',
  eventsource: 'eventSource',
  eventname: 'eventName',
  awsregion: 'awsRegion',
  sourceipaddress: 'sourceIPAddress',
  useragent: 'userAgent',
  errorcode: 'errorCode',
  errormessage: 'errorMessage',
  requestparameters: 'requestParameters',
  responseelements: 'responseElements',
  additionaleventdata: 'additionalEventData',
  requestid: 'requestID',
  eventid: 'eventID',
  readonly: 'readOnly',
  eventtype: 'eventType',
  recipientaccountid: 'recipientAccountId',
  eventcategory: 'eventCategory',
  managementevent: 'managementEvent',
};

/**
 * The view standing for AWS's CloudTrail table over one trail folder: every record of every log
 * file under it (.json or .json.gz, each {"Records": [...]}), its fields as the JSON SerDe maps
 * them, the file as "$path" and its day folder as "timestamp".
 */
export function cloudTrailView(folder: string): string {
  const columns = CLOUDTRAIL_COLUMNS.map(([c]) => `${cloudTrailColumn(c, 'r')} AS ${ident(c)}`);
  return `SELECT ${columns.join(',\n  ')}, path AS "$path",
    regexp_extract(path, '(\\d{4}/\\d{2}/\\d{2})/[^/]*$', 1) AS "timestamp"
  FROM (
    SELECT filename AS path, unnest(Records) AS r
    FROM read_json(${quote(path.join(folder, '**', '*.json*'))}, columns = {Records: 'JSON[]'}, filename = true, format = 'auto')
  )`;
}
