/**
 * npm run bench [-- --json] [-- --scale 0.1] [-- --rounds 3] [-- --only inventory,logs,product,fleet]
 * (--only inventory-parquet: the inventory's Parquet reads and DuckDB alone)
 * npm run bench -- --from result.json: the text form of a result saved with --json (no new run).
 * Every figure is a ratio against a reference measured in the same run (gzip -dc over the same
 * files; one call at a time against the same endpoint, interleaved), because the machines are small and noisy.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProduct, formatProductBench, type ProductBenchResult } from './product/product.js';
import type { InventoryBenchResult } from './inventory.js';
import type { LogBenchResult } from './logs.js';
import { DEFAULT_MAX_DENIED_UPLOADS } from '../src/evidence/log-scans.js';
import os from 'node:os';
import { benchFleet, formatFleetBench, type FleetBenchResult } from './fleet.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const scaleArg = args.indexOf('--scale');
const scale = scaleArg >= 0 ? Number(args[scaleArg + 1]) : 1;
const onlyArg = args.indexOf('--only');
const only: string[] = onlyArg >= 0 ? args[onlyArg + 1]!.split(',') : ['inventory', 'logs', 'product', 'fleet'];
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 2;
const here = path.dirname(fileURLToPath(import.meta.url));

function runOne<T>(name: string): T {
  if (!json) process.stderr.write(`running ${name} benchmark...\n`);
  const out = execFileSync(
    process.execPath,
    [path.join(here, 'run-one.js'), name, String(scale), String(Math.max(3, rounds))],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

const fromArg = args.indexOf('--from');
const saved =
  fromArg >= 0
    ? (JSON.parse(readFileSync(args[fromArg + 1]!, 'utf8')) as typeof results & { scale: number })
    : undefined;
const results: {
  inventory?: InventoryBenchResult;
  logs?: LogBenchResult;
  product?: ProductBenchResult;
  fleet?: FleetBenchResult;
} = saved ?? {};
if (saved) only.length = 0;
if (only.includes('inventory')) results.inventory = runOne<InventoryBenchResult>('inventory');
else if (only.includes('inventory-parquet')) results.inventory = runOne<InventoryBenchResult>('inventory-parquet');
if (only.includes('logs')) results.logs = runOne<LogBenchResult>('logs');
if (only.includes('product')) {
  if (!json) process.stderr.write('running product benchmark...\n');
  results.product = await benchProduct(
    {
      buckets: Math.max(30, Math.round(1000 * scale)),
      keys: Math.max(6, Math.round(300 * scale)),
      rounds,
      scaling: !args.includes('--no-scaling'),
      hungRegion: !args.includes('--no-hung-region'),
      history: !args.includes('--no-history'),
    },
    (line) => (json ? undefined : process.stderr.write(`  ${line}\n`)),
  );
}

if (only.includes('fleet')) {
  if (!json) process.stderr.write('running fleet benchmark...\n');
  results.fleet = await benchFleet(
    {
      tenants: Math.max(6, Math.round(300 * scale)),
      // Whole runs of hundreds of tenants: one round unless --rounds says otherwise.
      rounds: roundsArg >= 0 ? rounds : 1,
      workDir: process.env.S3_EVIDENCE_BENCH_DIR ?? path.join(os.tmpdir(), 's3-evidence-bench'),
    },
    (line) => (json ? undefined : process.stderr.write(`  ${line}\n`)),
  );
}

const fixed = (n: number, d = 2) => n.toFixed(d);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

if (json) {
  process.stdout.write(`${JSON.stringify({ scale, ...results }, null, 2)}\n`);
} else {
  const lines: string[] = [];
  const inv = results.inventory;
  if (inv) {
    const c = inv.csv;
    const p = inv.parquet;
    const run = inv.wholeRun;
    lines.push(
      `inventory   ${int(inv.rows)} rows in ${inv.files} files, medians of ${inv.rounds} interleaved rounds; load average ${inv.loadAverage.before.join(' ')} before, ${inv.loadAverage.after.join(' ')} after`,
    );
    if (c)
      lines.push(
        `  CSV       Node gunzip floor ${fixed(c.nodeGunzip.seconds)} s, gzip -dc ${fixed(c.gzip.seconds)} s; one worker ${fixed(c.oneWorker.seconds)} s = ${fixed(c.ratioOneWorkerToNodeGunzip)}x the floor (aim >= 0.8); two workers ${fixed(c.twoWorkers.seconds)} s = ${fixed(c.ratioTwoWorkersToNodeGunzip)}x the floor (aim >= 1.5), ${fixed(c.ratioTwoWorkersToGzip)}x gzip -dc, ${int(c.rowsPerSecondTwoWorkers)} rows/s`,
        `            two workers use ${fixed(c.cpuSecondsTwoWorkers)} s of CPU: spread over ${inv.cores} cores with no wait, at most ${fixed(c.ceilingTwoWorkersToNodeGunzip)}x the floor on this machine`,
      );
    lines.push(
      `  Parquet   (${p.compression}) one worker ${fixed(p.oneWorker.seconds)} s, two workers ${fixed(p.twoWorkers.seconds)} s = ${int(p.rowsPerSecondTwoWorkers)} rows/s; DuckDB ${fixed(p.duckdb.seconds)} s = ${int(p.rowsPerSecondDuckdb)} rows/s; ${fixed(p.ratioTwoWorkersToDuckdb)}x DuckDB (aim >= 0.5)`,
      `            the manifest's MD5 check alone (md5sum of the same files, two processes) ${fixed(p.md5sum.seconds)} s: a reader that makes it is at most ${fixed(p.duckdb.seconds / p.md5sum.seconds)}x DuckDB, whose time has no checksum`,
      `            two workers use ${fixed(p.cpuSecondsTwoWorkers)} s of CPU: spread over ${inv.cores} cores with no wait, at most ${fixed(p.ceilingTwoWorkersToDuckdb)}x DuckDB on this machine`,
    );
    if (run)
      lines.push(
        `  run       the built CLI's whole run (shipped defaults) ${fixed(run.run.seconds)} s = ${fixed(run.ratioToGzip)}x gzip -dc (aim >= 1.0), peak RSS ${int(run.peakRssMb)} MB (aim < 250); phases (ms) ${Object.entries(
          run.phasesMs,
        )
          .filter(([, v]) => v >= 50)
          .map(([k, v]) => `${k} ${int(v)}`)
          .join(', ')}`,
      );
    const mostly = inv.mostlyUnencryptedRun;
    if (mostly)
      lines.push(
        `  run       the same on a report of ${int(mostly.rows)} rows, ${Math.round(mostly.notSseShare * 100)} % of them unencrypted (each listed): ${fixed(mostly.run.seconds)} s = ${fixed(mostly.ratioToGzip)}x gzip -dc of its files (${fixed(mostly.gzip.seconds)} s), peak RSS ${int(mostly.peakRssMb)} MB (aim < 250); phases (ms) ${Object.entries(
          mostly.phasesMs,
        )
          .filter(([, v]) => v >= 50)
          .map(([k, v]) => `${k} ${int(v)}`)
          .join(', ')}`,
      );
    lines.push(
      `  peak RSS  ${int(inv.peakRssMb)} MB (aim < 250): ${Object.entries(inv.peakRssMbBy)
        .map(([k, v]) => `${k} ${int(v)}`)
        .join(', ')}`,
    );
  }
  const logs = results.logs;
  if (logs) {
    const a = logs.accessLogs;
    const t = logs.cloudTrail;
    const w = logs.wholeRun;
    lines.push(
      `logs        medians of ${logs.rounds} interleaved rounds (gzip -dc, one scan worker, two scan workers, the whole run); load average ${logs.loadAverage.before.join(' ')} before, ${logs.loadAverage.after.join(' ')} after`,
      `  access logs ${int(a.records)} lines: gzip -dc ${fixed(a.gzipSeconds)} s; one worker ${fixed(a.oneWorkerSeconds)} s = ${fixed(a.ratioOneWorkerToGzip)}x; two workers ${fixed(a.seconds)} s = ${fixed(a.ratioToGzip)}x gzip -dc (aim >= 1.0), ${int(a.recordsPerSecond)} records/s`,
      `  cloudtrail  ${int(t.records)} records: gzip -dc ${fixed(t.gzipSeconds)} s; one worker ${fixed(t.oneWorkerSeconds)} s = ${fixed(t.ratioOneWorkerToGzip)}x; two workers ${fixed(t.seconds)} s = ${fixed(t.ratioToGzip)}x gzip -dc (aim >= 0.6), ${int(t.recordsPerSecond)} records/s`,
      `  peak RSS  ${int(logs.peakRssMb)} MB (aim < 250)`,
      `  whole run s3-evidence run (built CLI, shipped defaults) of a tenant with both trees as its sources: ${fixed(w.seconds)} s (its log phase ${fixed(w.collectLogsSeconds)} s) = ${fixed(w.ratioToGzip)}x gzip -dc over both trees (${fixed(w.gzipSeconds)} s); peak RSS ${int(w.peakRssMb)} MB (aim < 250; rounds ${w.peakRssMbRounds.join(', ')})`,
      `            refused uploads itemised (default limit ${int(DEFAULT_MAX_DENIED_UPLOADS)} per location), and counted past it: access logs ${int(w.denied.accessLogs.itemised)} and ${int(w.denied.accessLogs.pastLimit)}, CloudTrail ${int(w.denied.cloudTrail.itemised)} and ${int(w.denied.cloudTrail.pastLimit)}`,
    );
  }
  if (results.product) lines.push(...formatProductBench(results.product));
  if (results.fleet) lines.push(...formatFleetBench(results.fleet));
  process.stdout.write(`${lines.join('\n')}\n`);
}
