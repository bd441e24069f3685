/**
 * Runs one benchmark in this (fresh) process and prints its result as JSON, so each benchmark's
 * peak RSS is its own. Used by bench/main.ts: node dist/bench/run-one.js <inventory|inventory-parquet|logs> [scale] [rounds]
 * (S3_EVIDENCE_BENCH_DIR: where the generated inputs are kept; default <tmp>/s3-evidence-bench)
 */
import os from 'node:os';
import path from 'node:path';
import { benchInventory } from './inventory.js';
import { benchLogs } from './logs.js';

const which = process.argv[2];
const scale = Number(process.argv[3] ?? '1');
const workDir = process.env.S3_EVIDENCE_BENCH_DIR ?? path.join(os.tmpdir(), 's3-evidence-bench');
const rounds = Number(process.argv[4] ?? '3');

async function run(): Promise<unknown> {
  switch (which) {
    case 'inventory':
    case 'inventory-parquet':
      return benchInventory({
        rows: Math.round(5_000_000 * scale),
        workDir: path.join(workDir, 'inventory'),
        rounds,
        parquetOnly: which === 'inventory-parquet',
      });
    case 'logs':
      return benchLogs({
        accessLogLines: Math.round(2_000_000 * scale),
        cloudTrailRecords: Math.round(1_000_000 * scale),
        workDir: path.join(workDir, 'logs'),
        rounds,
      });
    default:
      throw new Error(`unknown benchmark "${which}" (inventory, inventory-parquet, logs)`);
  }
}

run()
  .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
  .catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
