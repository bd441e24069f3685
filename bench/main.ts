/**
 * npm run bench [-- --json] [-- --scale 0.1] [-- --only inventory,logs,collection]
 * Every figure is a ratio against a reference measured in the same run (gzip -dc over the same
 * files; one call at a time against the same endpoint), because the machines are small and noisy.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CollectionBenchResult } from './collection.js';
import type { InventoryBenchResult } from './inventory.js';
import type { LogBenchResult } from './logs.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const scaleArg = args.indexOf('--scale');
const scale = scaleArg >= 0 ? Number(args[scaleArg + 1]) : 1;
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? args[onlyArg + 1]!.split(',') : ['inventory', 'logs', 'collection'];
const here = path.dirname(fileURLToPath(import.meta.url));

function runOne<T>(name: string): T {
  if (!json) process.stderr.write(`running ${name} benchmark...\n`);
  const out = execFileSync(process.execPath, [path.join(here, 'run-one.js'), name, String(scale)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

const results: { inventory?: InventoryBenchResult; logs?: LogBenchResult; collection?: CollectionBenchResult } = {};
if (only.includes('inventory')) results.inventory = runOne<InventoryBenchResult>('inventory');
if (only.includes('logs')) results.logs = runOne<LogBenchResult>('logs');
if (only.includes('collection')) results.collection = runOne<CollectionBenchResult>('collection');

const fixed = (n: number, d = 2) => n.toFixed(d);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

if (json) {
  process.stdout.write(`${JSON.stringify({ scale, ...results }, null, 2)}\n`);
} else {
  const lines: string[] = [];
  const inv = results.inventory;
  if (inv) {
    lines.push(`inventory   ${int(inv.rows)} rows in ${inv.files} gzipped CSV files: ${int(inv.rowsPerSecond)} rows/s, ${fixed(inv.ratioToGzip)}x the speed of gzip -dc (aim >= 0.5), peak RSS ${int(inv.peakRssMb)} MB (aim < 300)`);
  }
  const logs = results.logs;
  if (logs) {
    lines.push(`access logs ${int(logs.accessLogs.records)} lines: ${int(logs.accessLogs.recordsPerSecond)} records/s, ${fixed(logs.accessLogs.ratioToGzip)}x gzip -dc (aim >= 0.3)`);
    lines.push(`cloudtrail  ${int(logs.cloudTrail.records)} records: ${int(logs.cloudTrail.recordsPerSecond)} records/s, ${fixed(logs.cloudTrail.ratioToGzip)}x gzip -dc (aim >= 0.2); peak RSS ${int(logs.peakRssMb)} MB`);
  }
  const c = results.collection;
  if (c) {
    const inflight = Object.entries(c.maxInFlight).map(([s, n]) => `${s} ${n}/${c.configured.maxTotal[s as keyof typeof c.configured.maxTotal]}`).join(', ');
    lines.push(`collection  ${int(c.buckets)} buckets, ${c.regions} regions, +${c.latencyMs} ms per call, ${int(c.calls)} calls: ${fixed(c.seconds, 1)} s vs ${fixed(c.serialSeconds, 1)} s one at a time = ${fixed(c.ratio, 1)}x (aim >= 15); most in flight ${inflight}; load average ${fixed(c.loadAverage)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
