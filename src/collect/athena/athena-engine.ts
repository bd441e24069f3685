import { createHash } from 'node:crypto';
import type { AthenaClient, GetQueryResultsCommandOutput } from '@aws-sdk/client-athena';
import type { AthenaEngineConfig } from '../../config/schema.js';
import { ATHENA, ident } from './dialect.js';
import {
  costOfScan,
  QueryFailed,
  type AccessLogTableSpec,
  type CloudTrailTableSpec,
  type InventoryTableSpec,
  type QueryRecord,
  type SqlEngine,
  type SqlRow,
} from './sql-engine.js';
import { accessLogTableDdl, cloudTrailTableDdl, ddlIdent, inventoryTableDdl, tableName } from './table-ddl.js';

/**
 * The SDK's command classes, loaded at the first query: a run whose sources are read locally (the
 * default engine) never loads the Athena SDK.
 */
const athenaCommands = () => import('@aws-sdk/client-athena');

/** How the engine waits for a query: the first wait, doubling up to the longest, giving up after `timeoutMs`. */
export interface PollOptions {
  firstMs: number;
  maxMs: number;
  timeoutMs: number;
}

const DEFAULT_POLL: PollOptions = { firstMs: 250, maxMs: 5_000, timeoutMs: 30 * 60_000 };
/** Rows per GetQueryResults page: Athena's maximum. */
const PAGE_ROWS = 1000;

export interface AthenaEngineOptions {
  client: AthenaClient;
  config: Pick<AthenaEngineConfig, 'workgroup' | 'database' | 'resultsLocation' | 'scanLimitBytes'>;
  poll?: Partial<PollOptions>;
  /** Waits between polls (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs the aggregation SQL in Amazon Athena: creates the database and the tables AWS documents
 * (once per run and location), starts each query in the configured workgroup, polls it with
 * backoff, pages its results and records every query (id, SQL, state, data scanned, cost). A query
 * that ends FAILED or CANCELLED, scans past the configured limit, or outlives the poll timeout is
 * a QueryFailed: the caller reports the evidence as unreadable with that reason, never as zero.
 */
export class AthenaEngine implements SqlEngine {
  readonly dialect = ATHENA;
  readonly queries: QueryRecord[] = [];
  private database: Promise<void> | undefined;
  private readonly tables = new Map<string, Promise<string>>();
  private readonly poll: PollOptions;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: AthenaEngineOptions) {
    this.poll = { ...DEFAULT_POLL, ...options.poll };
    this.sleep = options.sleep ?? realSleep;
  }

  inventoryTable(spec: InventoryTableSpec): Promise<string> {
    const identity = JSON.stringify([spec.configLocation, spec.format, spec.columns]);
    return this.table('inventory', identity, (db, t) => inventoryTableDdl(db, t, spec));
  }

  accessLogTable(spec: AccessLogTableSpec): Promise<string> {
    const identity = JSON.stringify([spec.location, spec.partitionedPrefix?.path ?? '']);
    return this.table('access_logs', identity, (db, t) => accessLogTableDdl(db, t, spec));
  }

  cloudTrailTable(spec: CloudTrailTableSpec): Promise<string> {
    return this.table('cloudtrail', spec.location, (db, t) => cloudTrailTableDdl(db, t, spec));
  }

  private table(kind: string, identity: string, ddl: (database: string, table: string) => string): Promise<string> {
    const { database } = this.options.config;
    const name = tableName(kind, identity, sha);
    let made = this.tables.get(name);
    if (!made) {
      made = (async () => {
        this.database ??= this.run(`CREATE DATABASE IF NOT EXISTS ${ddlIdent(database)}`, 'create database').then(
          () => undefined,
        );
        await this.database;
        await this.run(ddl(database, name), `create table ${name}`);
        return `${ident(database)}.${ident(name)}`;
      })();
      this.tables.set(name, made);
    }
    return made;
  }

  /** Runs a statement whose rows are not needed (DDL). */
  private async run(sql: string, purpose: string): Promise<void> {
    for await (const _page of this.query(sql, purpose));
  }

  async *query(sql: string, purpose: string): AsyncIterable<SqlRow[]> {
    const { client, config } = this.options;
    const { StartQueryExecutionCommand } = await athenaCommands();
    const started = await client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: config.workgroup,
        QueryExecutionContext: { Database: config.database, Catalog: 'AwsDataCatalog' },
        ResultConfiguration: { OutputLocation: config.resultsLocation },
      }),
    );
    const queryId = started.QueryExecutionId;
    if (!queryId) throw new Error(`Athena StartQueryExecution answered no QueryExecutionId (${purpose})`);
    const record: QueryRecord = { purpose, queryId, sql, state: 'FAILED', dataScannedBytes: 0, costUsd: 0 };
    this.queries.push(record);
    const statementType = await this.wait(record);
    yield* this.pages(record, statementType === 'DML');
  }

  /** Polls until the query ends; past the scan limit it is stopped. Fills `record`; throws QueryFailed unless it succeeded. */
  private async wait(record: QueryRecord): Promise<string | undefined> {
    const { client, config } = this.options;
    const { GetQueryExecutionCommand, StopQueryExecutionCommand } = await athenaCommands();
    let delay = this.poll.firstMs;
    let waited = 0;
    for (;;) {
      const got = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: record.queryId }));
      const execution = got.QueryExecution;
      const state = execution?.Status?.State;
      const scanned = execution?.Statistics?.DataScannedInBytes ?? 0;
      record.dataScannedBytes = scanned;
      record.costUsd = costOfScan(scanned);
      if (state === undefined) {
        record.reason = 'GetQueryExecution answered no state';
        throw new QueryFailed(record);
      }
      const limit = config.scanLimitBytes;
      if (limit !== undefined && scanned > limit) {
        if (state === 'QUEUED' || state === 'RUNNING')
          await client.send(new StopQueryExecutionCommand({ QueryExecutionId: record.queryId }));
        record.state = 'CANCELLED';
        record.reason = `scanned ${scanned} bytes, over the configured limit of ${limit} bytes (scanLimitBytes)`;
        throw new QueryFailed(record);
      }
      if (state === 'SUCCEEDED') {
        record.state = 'SUCCEEDED';
        return execution?.StatementType;
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        record.state = state;
        const reason = execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage;
        record.reason = reason ?? `the query ended ${state} without a reason`;
        throw new QueryFailed(record);
      }
      if (waited >= this.poll.timeoutMs) {
        await client.send(new StopQueryExecutionCommand({ QueryExecutionId: record.queryId }));
        record.state = 'CANCELLED';
        record.reason = `still ${state} after ${waited} ms: stopped`;
        throw new QueryFailed(record);
      }
      await this.sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, this.poll.maxMs);
    }
  }

  /** GetQueryResults page by page (NextToken); the first row of a query's (DML's) first page is its header. */
  private async *pages(record: QueryRecord, hasHeader: boolean): AsyncIterable<SqlRow[]> {
    const { client } = this.options;
    const { GetQueryResultsCommand } = await athenaCommands();
    let token: string | undefined;
    let first = true;
    let rows = 0;
    do {
      const page: GetQueryResultsCommandOutput = await client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: record.queryId,
          MaxResults: PAGE_ROWS,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      const names = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      let data = page.ResultSet?.Rows ?? [];
      if (first && hasHeader) data = data.slice(1);
      first = false;
      const out = data.map((r) => {
        const row: SqlRow = {};
        names.forEach((n, i) => (row[n] = r.Data?.[i]?.VarCharValue ?? null));
        return row;
      });
      rows += out.length;
      record.rows = rows;
      yield out;
      token = page.NextToken;
    } while (token);
  }
}
