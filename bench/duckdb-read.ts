/**
 * DuckDB's side of the Parquet inventory benchmark, in a process of its own: the per-status counts
 * and bytes (delete markers apart) and the NOT-SSE objects written to a CSV file, over the given
 * Parquet files, with DuckDB's default threads. Prints {"seconds": …} (the queries only).
 *
 *   node dist/bench/duckdb-read.js <out.csv> <file.parquet>...
 */
import { DuckDBInstance } from '@duckdb/node-api';

const [outCsv, ...files] = process.argv.slice(2);
const list = `[${files.map((f) => `'${f}'`).join(', ')}]`;
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const started = process.hrtime.bigint();
await c.runAndReadAll(
  `SELECT encryption_status, count(*), sum(size) FROM read_parquet(${list})
   WHERE NOT coalesce(is_delete_marker, false) GROUP BY encryption_status`,
);
await c.run(
  `COPY (SELECT bucket, key, version_id, is_latest, size, last_modified_date, storage_class, encryption_status
         FROM read_parquet(${list}) WHERE encryption_status = 'NOT-SSE' AND NOT coalesce(is_delete_marker, false))
   TO '${outCsv}' (HEADER)`,
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
c.closeSync();
process.stdout.write(JSON.stringify({ seconds }));
