/**
 * The built CLI's `run` as a user runs it on offline evidence: a process of its own, the shipped
 * defaults, no options beyond the config, the period and the output folder, for a tenant of one
 * account read from a minimal offline export. Used by the benches whose whole-run figure reads a
 * generated tree (bench/inventory.ts, bench/logs.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OfflineRun {
  seconds: number;
  exitCode: number | null;
  /** Wall time per phase, ms, from `run --json`. */
  timings: Record<string, number>;
  /** Peak resident set size of the CLI's process, every thread included. */
  peakRssMb: number;
}

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const RSS_ON_EXIT = new URL('./product/rss-on-exit.js', import.meta.url).href;

/** Runs `run -c config -p period -o out --json` (out is emptied first). */
export async function runOffline(config: string, out: string, period = '2026-10'): Promise<OfflineRun> {
  await rm(out, { recursive: true, force: true });
  const rssFile = `${out}.rss`;
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    ['--import', RSS_ON_EXIT, CLI, 'run', '-c', config, '-p', period, '-o', out, '--json'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_RSS_FILE: rssFile },
    },
  );
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // A run that stopped without its summary (a crash, a signal) is named by its exit, not by a parse error.
  let summary: { packets: Array<{ timings?: Record<string, number> }> };
  let usage: { maxRssBytes: number };
  try {
    summary = JSON.parse(stdout) as typeof summary;
    usage = JSON.parse(await readFile(rssFile, 'utf8')) as typeof usage;
  } catch {
    throw new Error(`s3-evidence run exited with ${exitCode} without its --json summary`);
  } finally {
    await rm(rssFile, { force: true });
  }
  return {
    seconds: Math.round(seconds * 1000) / 1000,
    exitCode,
    timings: summary.packets[0]?.timings ?? {},
    peakRssMb: Math.round(usage.maxRssBytes / 1024 / 1024),
  };
}

export interface OfflineTenant {
  config: string;
  /** The run's output folder. */
  out: string;
  /** The offline export, for the files a bench adds to it. */
  exportDir: string;
}

/**
 * A tenant `bench` in `dir` (emptied first): one account whose offline export holds only the list of
 * `buckets` (the rest of their evidence is missing, so its packet is incomplete and the run exits 3),
 * with `sources` (the config's `sources` of a tenant) as its evidence trees.
 */
export async function offlineTenant(
  dir: string,
  tenant: { account: string; region: string; buckets: string[]; sources: Record<string, string[]>; exportedBy: string },
): Promise<OfflineTenant> {
  const exportDir = path.join(dir, 'export');
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(exportDir, 's3api'), { recursive: true });
  await writeFile(
    path.join(exportDir, 'export.json'),
    JSON.stringify({ exportedAt: '2026-11-01T06:00:00Z', exportedBy: tenant.exportedBy, account: tenant.account }),
  );
  await writeFile(
    path.join(exportDir, 's3api', 'list-buckets.json'),
    JSON.stringify({
      Buckets: tenant.buckets.map((name) => ({ Name: name, CreationDate: '2017-05-02T11:00:00+00:00' })),
      Owner: { ID: 'bench' },
    }),
  );
  const config = path.join(dir, 'tenants.yaml');
  await writeFile(
    config,
    JSON.stringify({
      version: 1,
      timeZone: 'UTC',
      tenants: [
        {
          id: 'bench',
          displayName: 'Benchmark',
          accounts: [{ id: tenant.account, regions: [tenant.region], offlineExport: exportDir }],
          sources: tenant.sources,
        },
      ],
    }),
  );
  return { config, out: path.join(dir, 'out'), exportDir };
}
