/**
 * A fake Amazon Athena endpoint (JSON 1.1: X-Amz-Target AmazonAthena.<Operation>) that executes
 * what it is sent on DuckDB: CREATE DATABASE and the tool's CREATE EXTERNAL TABLE become a schema
 * and a view over the local copies of the table's S3 location (inventory tables through the
 * symlink.txt files under hive/dt=…/, as Athena reads them; access-log tables through the same
 * regex; CloudTrail tables through the JSON of the trail folder's log files); queries run as sent,
 * Trino's few functions the SQL uses given to DuckDB as macros (and `transform`, which takes a
 * lambda, renamed to DuckDB's `list_transform`).
 * It answers StartQueryExecution, GetQueryExecution (RUNNING for a number of polls, then the
 * end state), GetQueryResults (pages of `pageRows`, header row first, NextToken) and
 * StopQueryExecution; faults make chosen queries FAILED or CANCELLED; a workgroup's
 * BytesScannedCutoffPerQuery cancels a query that scans more, as Athena does.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quote } from '../../../src/collect/athena/dialect.js';
import { accessLogView, athenaText, cloudTrailView, duckdbConnection } from '../duckdb-engine.js';

export interface FakeAthenaOptions {
  /** The local folder holding what an s3:// location holds. */
  localOf: (s3Url: string) => string;
  /** Workgroups that exist, with their per-query scan cutoff (bytes). */
  workgroups: Record<string, { bytesScannedCutoffPerQuery?: number }>;
  /** GetQueryExecution answers RUNNING this many times before the end state (default 2). */
  runningPolls?: number;
  /** Largest page GetQueryResults gives, whatever MaxResults asks (default 1000). */
  pageRows?: number;
  /** Queries whose SQL matches end in this state with this reason (each fault fires once per match). */
  faults?: Array<{ sql: RegExp; state: 'FAILED' | 'CANCELLED'; reason: string }>;
}

interface Execution {
  id: string;
  sql: string;
  workgroup: string;
  state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  statementType: 'DDL' | 'DML';
  scanned: number;
  columns: string[];
  rows: Array<Array<string | null>>;
  polls: number;
}

export interface FakeAthena {
  endpoint: string;
  /** Every call, in order: operation and its JSON input. */
  calls: Array<{ operation: string; input: Record<string, unknown> }>;
  executions: Map<string, Execution>;
  close(): Promise<void>;
}

/** Trino's functions the aggregation SQL uses, as DuckDB macros (only the formats FORMATS allows). */
const TRINO_SHIM = [
  `CREATE MACRO from_iso8601_timestamp(s) AS TRY_CAST(s AS TIMESTAMPTZ)`,
  `CREATE MACRO to_unixtime(t) AS epoch(t)`,
  `CREATE MACRO parse_datetime(s, f) AS strptime(s, '%d/%b/%Y:%H:%M:%S %z')`,
  `CREATE MACRO format_datetime(t, f) AS strftime(t, '%Y-%m-%d')`,
  // Trino's path $.a["b:c"] is DuckDB's $.a."b:c".
  `CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, regexp_replace(p, '\\["([^"]*)"\\]', '."\\1"', 'g'))`,
  `CREATE MACRO array_join(l, s) AS array_to_string(l, s)`,
];

/** Trino's lambda functions under DuckDB's names (a macro cannot take a lambda). */
function duckdbNames(sql: string): string {
  return sql.replace(/\btransform\(/g, 'list_transform(');
}

/** The only Joda formats the macros stand for: a query passing another fails, as it would mean another thing. */
const FORMATS = new Set(["'dd/MMM/yyyy:HH:mm:ss Z'", "'yyyy-MM-dd'"]);

function unknownFormat(sql: string): string | undefined {
  for (const m of sql.matchAll(/(?:parse_datetime|format_datetime)\([^']*?('[^']*')\)/g))
    if (!FORMATS.has(m[1]!)) return `fake Athena: no macro for the format ${m[1]}`;
  return undefined;
}

async function sizeOf(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) n += (await stat(f)).size;
  return n;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/** The tool's CREATE EXTERNAL TABLE, as far as the fake needs it. */
function parseCreateTable(sql: string) {
  const name = /CREATE EXTERNAL TABLE IF NOT EXISTS `([^`]+)`\.`([^`]+)` \(([\s\S]*?)\n\)/.exec(sql);
  const location = /LOCATION '([^']+)'/.exec(sql);
  if (!name || !location) throw new Error('fake Athena: CREATE EXTERNAL TABLE it cannot read');
  const columns = [...name[3]!.matchAll(/`([^`]+)` (\w+)/g)].map((m) => ({ name: m[1]!, type: m[2]! }));
  const serde = /ROW FORMAT SERDE '([^']+)'/.exec(sql)?.[1] ?? '';
  const template = /'storage.location.template' = '([^']+)'/.exec(sql)?.[1];
  return { database: name[1]!, table: name[2]!, columns, serde, location: location[1]!, template };
}

/** The fake Athena's answers without a server of its own: what the fake AWS endpoint routes Athena's calls to. */
export interface FakeAthenaService {
  calls: FakeAthena['calls'];
  executions: FakeAthena['executions'];
  answer(operation: string, input: Record<string, unknown>): Promise<{ status: number; body: string }>;
}

export async function fakeAthenaService(options: FakeAthenaOptions): Promise<FakeAthenaService> {
  const db: DuckDBConnection = await duckdbConnection();
  for (const m of TRINO_SHIM) await db.run(m);
  const calls: FakeAthena['calls'] = [];
  const executions = new Map<string, Execution>();
  /** Bytes behind each table ("db"."table"), what a query over it scans. */
  const tableBytes = new Map<string, number>();
  const faults = [...(options.faults ?? [])];
  let seq = 0;

  async function createTable(sql: string): Promise<void> {
    const t = parseCreateTable(sql);
    const view = `"${t.database}"."${t.table}"`;
    let body: string;
    let files: string[];
    if (t.serde.endsWith('JsonSerDe') || t.serde.endsWith('RegexSerDe')) {
      const s3 = t.template ? t.template.replace(/\/?\$\{timestamp\}$/, '') : t.location;
      const folder = options.localOf(s3);
      // "$path" names the object as Athena does (its s3:// URL), not the local copy.
      const view = t.serde.endsWith('JsonSerDe') ? cloudTrailView(folder) : accessLogView(folder);
      const local = folder.endsWith('/') ? folder : `${folder}/`;
      body = `SELECT * REPLACE (replace("$path", ${quote(local)}, ${quote(s3.endsWith('/') ? s3 : `${s3}/`)}) AS "$path") FROM (${view})`;
      files = await filesUnder(folder);
    } else {
      // S3 Inventory: each hive/dt=…/symlink.txt lists the report's data files (s3:// URLs).
      const hive = options.localOf(t.location);
      const parts: string[] = [];
      files = [];
      for (const dt of (await readdir(hive)).filter((d) => d.startsWith('dt=')).sort()) {
        const listed = (await readFile(path.join(hive, dt, 'symlink.txt'), 'utf8')).split('\n').filter(Boolean);
        const local = listed.map((u) => options.localOf(u));
        files.push(...local);
        const list = `[${local.map(quote).join(', ')}]`;
        const value = quote(dt.slice(3));
        if (t.serde.endsWith('OpenCSVSerde')) {
          const cols = t.columns.map((c) => `${quote(c.name)}: 'VARCHAR'`).join(', ');
          parts.push(
            `SELECT *, ${value} AS dt FROM read_csv(${list}, header = false, quote = '"', escape = '"', delim = ',', compression = 'gzip', allow_quoted_nulls = false, columns = {${cols}})`,
          );
        } else {
          // Parquet; DuckDB reads no ORC, so a test's ORC report holds Parquet files with the ORC table's columns.
          const cols = t.columns.map((c) => `"${c.name}"`).join(', ');
          parts.push(`SELECT ${cols}, ${value} AS dt FROM read_parquet(${list})`);
        }
      }
      if (parts.length === 0) throw new Error(`fake Athena: no hive/dt=… folder under ${t.location}`);
      body = parts.join('\nUNION ALL\n');
    }
    await db.run(`CREATE SCHEMA IF NOT EXISTS "${t.database}"`);
    await db.run(`CREATE OR REPLACE VIEW ${view} AS ${body}`);
    tableBytes.set(view, await sizeOf(files));
  }

  async function execute(sql: string, workgroup: string): Promise<Execution> {
    const id = `fake-query-${String(++seq).padStart(4, '0')}`;
    const ddl = /^\s*CREATE /i.test(sql);
    const e: Execution = {
      id,
      sql,
      workgroup,
      state: 'SUCCEEDED',
      statementType: ddl ? 'DDL' : 'DML',
      scanned: 0,
      columns: [],
      rows: [],
      polls: 0,
    };
    const fault = faults.find((f) => f.sql.test(sql));
    try {
      if (/^\s*CREATE DATABASE IF NOT EXISTS `([^`]+)`/i.test(sql)) {
        await db.run(`CREATE SCHEMA IF NOT EXISTS "${/`([^`]+)`/.exec(sql)![1]}"`);
      } else if (ddl) {
        await createTable(sql);
      } else {
        for (const [view, bytes] of tableBytes) if (sql.includes(view)) e.scanned += bytes;
        const cutoff = options.workgroups[workgroup]?.bytesScannedCutoffPerQuery;
        if (cutoff !== undefined && e.scanned > cutoff) {
          e.state = 'CANCELLED';
          e.reason = 'Query cancelled! : Bytes scanned limit was exceeded';
          return e;
        }
        const unknown = unknownFormat(sql);
        if (unknown) throw new Error(unknown);
        const reader = await db.runAndReadAll(duckdbNames(sql));
        e.columns = reader.columnNames();
        e.rows = reader.getRowsJS().map((r) => r.map((v) => athenaText(v)));
      }
    } catch (err) {
      e.state = 'FAILED';
      e.reason = (err as Error).message;
    }
    if (fault) {
      faults.splice(faults.indexOf(fault), 1);
      e.state = fault.state;
      e.reason = fault.reason;
    }
    return e;
  }

  const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
  const clientError = (type: string, message: string) => json(400, { __type: type, Message: message });

  async function answer(operation: string, input: Record<string, unknown>) {
    calls.push({ operation, input });
    switch (operation) {
      case 'StartQueryExecution': {
        const workgroup = String(input.WorkGroup ?? 'primary');
        if (!(workgroup in options.workgroups))
          return clientError('InvalidRequestException', `WorkGroup ${workgroup} is not found.`);
        const output = (input.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation;
        if (!output?.startsWith('s3://')) return clientError('InvalidRequestException', 'No output location provided.');
        const e = await execute(String(input.QueryString ?? ''), workgroup);
        executions.set(e.id, e);
        return json(200, { QueryExecutionId: e.id });
      }
      case 'GetQueryExecution': {
        const e = executions.get(String(input.QueryExecutionId));
        if (!e) return clientError('InvalidRequestException', 'QueryExecution not found');
        const running = e.polls++ < (options.runningPolls ?? 2);
        return json(200, {
          QueryExecution: {
            QueryExecutionId: e.id,
            Query: e.sql,
            StatementType: e.statementType,
            WorkGroup: e.workgroup,
            Status: {
              State: running ? 'RUNNING' : e.state,
              ...(!running && e.reason ? { StateChangeReason: e.reason } : {}),
            },
            Statistics: { DataScannedInBytes: running ? Math.floor(e.scanned / 2) : e.scanned },
          },
        });
      }
      case 'StopQueryExecution': {
        const e = executions.get(String(input.QueryExecutionId));
        if (e && e.state === 'SUCCEEDED') {
          e.state = 'CANCELLED';
          e.reason = 'Query was cancelled by the user';
        }
        return json(200, {});
      }
      case 'GetQueryResults': {
        const e = executions.get(String(input.QueryExecutionId));
        if (!e) return clientError('InvalidRequestException', 'QueryExecution not found');
        if (e.state !== 'SUCCEEDED' || e.polls <= (options.runningPolls ?? 2))
          return clientError('InvalidRequestException', `Query has not yet finished. Current state: ${e.state}`);
        const all = e.statementType === 'DML' ? [e.columns, ...e.rows] : [];
        const size = Math.min(Number(input.MaxResults ?? 1000), options.pageRows ?? 1000);
        const from = input.NextToken ? Number(String(input.NextToken).replace('page-', '')) : 0;
        const page = all.slice(from, from + size);
        return json(200, {
          ResultSet: {
            Rows: page.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
            ResultSetMetadata: { ColumnInfo: e.columns.map((c) => ({ Name: c, Type: 'varchar' })) },
          },
          ...(from + size < all.length ? { NextToken: `page-${from + size}` } : {}),
          UpdateCount: 0,
        });
      }
      default:
        return clientError('UnknownOperationException', `fake Athena does not answer ${operation}`);
    }
  }

  return { calls, executions, answer };
}

export async function startFakeAthena(options: FakeAthenaOptions): Promise<FakeAthena> {
  const { calls, executions, answer } = await fakeAthenaService(options);
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonAthena.') ? target.slice('AmazonAthena.'.length) : '';
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        input = {};
      }
      answer(operation, input).then(
        (a) => {
          res.writeHead(a.status, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-requestid': `fake-${calls.length}`,
          });
          res.end(a.body);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'InternalServerException', Message: String(err) }));
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    executions,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
