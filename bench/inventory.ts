/**
 * Inventory reader throughput: generates a deterministic S3 Inventory report (gzipped CSV data files
 * and a manifest, as AWS lays them out) and the same rows as Parquet (written by DuckDB), then times,
 * in interleaved rounds: Node's own gunzip of the CSV files (the floor: the reader cannot be faster
 * than gunzipping), `gzip -dc`, collectInventory with one and with two worker threads over each
 * report, and DuckDB reading the Parquet files; medians are compared, and memory is sampled.
 *
 *   node dist/bench/inventory.js [rows] [files] [workDir] [rounds] [parquet]
 * (`parquet`: only the Parquet reads and DuckDB; `npm run bench -- --only inventory-parquet`)
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { collectInventory } from '../src/collect/inventory/index.js';
import { reportWindow } from '../src/collect/inventory/report-window.js';
import { localTree } from '../src/collect/tree/index.js';
import { createScanPool } from '../src/collect/workers/pool.js';
import { periodFor } from '../src/config/period.js';
import { DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD } from '../src/config/schema.js';
import { seededRandom } from '../src/util/seeded-random.js';
import { offlineTenant, runOffline } from './offline-run.js';
import { ownPeakRssBytes } from './peak-rss.js';

/** Medians of interleaved rounds, in seconds. */
interface Timed {
  seconds: number;
  rounds: number[];
}

export interface InventoryBenchResult {
  rows: number;
  files: number;
  compressedBytes: number;
  rounds: number;
  /** os.availableParallelism() of this machine: the cores the ceilings below are worked out for. */
  cores: number;
  /** os.loadavg() (1, 5, 15 minutes) before and after: the machine is shared. */
  loadAverage: { before: number[]; after: number[] };
  /** Absent when only the Parquet part ran. */
  csv?: {
    /** Node's own gunzip (zlib streams, 1 MiB reads and chunks, one file after another) of the same files, output discarded: the floor. */
    nodeGunzip: Timed;
    /** `gzip -dc` over the same files, output discarded. */
    gzip: Timed;
    oneWorker: Timed;
    twoWorkers: Timed;
    /** nodeGunzip / oneWorker: 1 means as fast as gunzipping alone. Aim >= 0.8. */
    ratioOneWorkerToNodeGunzip: number;
    /** nodeGunzip / twoWorkers. Aim >= 1.5. */
    ratioTwoWorkersToNodeGunzip: number;
    ratioTwoWorkersToGzip: number;
    rowsPerSecondTwoWorkers: number;
    /** Median CPU (user + system, all threads) of the two-worker read, in seconds. */
    cpuSecondsTwoWorkers: number;
    /**
     * nodeGunzip / (cpuSecondsTwoWorkers / cores): the ratio to the floor that the two-worker read could
     * reach at best on this machine, were its CPU spread over every core with no wait.
     */
    ceilingTwoWorkersToNodeGunzip: number;
  };
  parquet: {
    compressedBytes: number;
    compression: string;
    oneWorker: Timed;
    twoWorkers: Timed;
    /** DuckDB (its own threads, 2 here) reading the same files: the same counts and the NOT-SSE list written to CSV. */
    duckdb: Timed;
    /**
     * `md5sum` of the same files, in two processes side by side: the check of each file against the
     * manifest's MD5 that the reader must make and DuckDB's timing does not include.
     */
    md5sum: Timed;
    rowsPerSecondTwoWorkers: number;
    rowsPerSecondDuckdb: number;
    /** Median CPU (user + system, all threads) of the two-worker read, in seconds. */
    cpuSecondsTwoWorkers: number;
    /** duckdb / (cpuSecondsTwoWorkers / cores): the best ratio to DuckDB that CPU allows on this machine. */
    ceilingTwoWorkersToDuckdb: number;
    /** duckdb / twoWorkers. Aim >= 0.5. */
    ratioTwoWorkersToDuckdb: number;
  };
  /**
   * The built CLI's whole `run` (shipped defaults, its own process) of a tenant whose one bucket has
   * the CSV report (its account read from a minimal offline export: the run is the inventory, the
   * analysis and the packet), beside `gzip -dc` of the report's data files.
   */
  wholeRun?: {
    run: Timed;
    /** gzip / run: aim >= 1.0. */
    ratioToGzip: number;
    /** Median wall time per phase (ms), from `run --json`. */
    phasesMs: Record<string, number>;
    /** Peak RSS of the run's process (all threads). Aim < 250. */
    peakRssMb: number;
  };
  /**
   * The same whole run on a tenant whose report lists most of its objects unencrypted (a bucket of
   * legacy objects): every such row is listed in the evidence, the CSV export and the workbook, so
   * this run writes a line for most rows where the other writes one for 1.5 %.
   */
  mostlyUnencryptedRun?: {
    rows: number;
    notSseShare: number;
    run: Timed;
    gzip: Timed;
    /** gzip / run. */
    ratioToGzip: number;
    phasesMs: Record<string, number>;
    /** Aim < 250, as at any size. */
    peakRssMb: number;
  };
  /** Highest RSS (main thread and its workers) of the processes that read the reports. */
  peakRssMb: number;
  /** The same, per way of reading (MB). */
  peakRssMbBy: Record<string, number>;
}

const BUCKET = 'bench-source-bucket';
/** Share of the rows that are NOT-SSE in the main report, and in the mostly-unencrypted one. */
const NOT_SSE_SHARE = 0.015;
/** The mostly-unencrypted report: a fifth of the main report's rows (1 M at full scale), in 2 files. */
const MOSTLY_UNENCRYPTED = { shareOfRows: 0.2, files: 2, notSseShare: 0.7 };
const CONFIG = 'daily-encryption';
/** The first report after October's end (UTC): the one that describes October. */
const REPORT = '2026-11-01T00-00Z';
const DESTINATION_PREFIX = 'inventory';
const SCHEMA = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'EncryptionStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
  'ChecksumAlgorithm',
];

export async function benchInventory(
  opts: { rows?: number; files?: number; workDir?: string; rounds?: number; parquetOnly?: boolean } = {},
): Promise<InventoryBenchResult> {
  const rows = opts.rows ?? 5_000_000;
  const files = opts.files ?? 8;
  const rounds = Math.max(1, opts.rounds ?? 3);
  const workDir = opts.workDir ?? path.join(os.tmpdir(), 's3-evidence-bench-inventory');
  const treeRoot = path.join(workDir, 'tree');
  const parquetRoot = path.join(workDir, 'parquet-tree');
  const dataFiles = await ensureReport(treeRoot, rows, files);
  const parquetFiles = await ensureParquetReport(parquetRoot, dataFiles, rows);
  const sizeOf = async (list: string[]) =>
    (await Promise.all(list.map((f) => stat(f)))).reduce((n, s) => n + s.size, 0);
  const compressedBytes = await sizeOf(dataFiles);
  const runSetup = await ensureRunSetup(workDir, treeRoot);
  const unencryptedRows = Math.max(1_000, Math.round(rows * MOSTLY_UNENCRYPTED.shareOfRows));
  const mostly = opts.parquetOnly ? undefined : await ensureMostlyUnencrypted(workDir, unencryptedRows);
  const before = os.loadavg().map((n) => round(n));

  const peakBy: Record<string, number> = {};
  const cpuBy: Record<string, number[]> = {};
  const cores = os.availableParallelism();
  const runs: CliRunOnce[] = [];
  const unencryptedRuns: CliRunOnce[] = [];
  // Each read runs in a fresh process (as a user's run would), so its peak RSS is its own and not
  // the generator's or DuckDB's leftovers in this one.
  const collect = async (name: string, root: string, workers: number): Promise<number> => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), READ_FLAG, root, String(workers), String(rows)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`reading ${root} with ${workers} worker(s) exited with ${code}`);
    const read = JSON.parse(out) as { seconds: number; peakRssMb: number; cpuSeconds: number };
    peakBy[name] = Math.max(peakBy[name] ?? 0, read.peakRssMb);
    (cpuBy[name] ??= []).push(read.cpuSeconds);
    return read.seconds;
  };

  // Interleaved: each round runs every contender once, in an order that rotates, so a burst of load
  // from the machine's other users falls on all of them alike; the medians are compared.
  const contenders: Record<string, () => Promise<number>> = {
    nodeGunzip: () => floorInFreshProcess(dataFiles),
    gzip: () => timeGzip(dataFiles),
    csvOneWorker: () => collect('csvOneWorker', treeRoot, 1),
    csvTwoWorkers: () => collect('csvTwoWorkers', treeRoot, 2),
    parquetOneWorker: () => collect('parquetOneWorker', parquetRoot, 1),
    parquetTwoWorkers: () => collect('parquetTwoWorkers', parquetRoot, 2),
    duckdb: () => timeDuckdb(parquetFiles, path.join(workDir, 'duckdb-unencrypted.csv')),
    md5sum: () => timeMd5sum(parquetFiles),
    wholeRun: async () => {
      const r = await runCliOnce(runSetup);
      runs.push(r);
      return r.seconds;
    },
    gzipMostlyUnencrypted: () => timeGzip(mostly!.files),
    wholeRunMostlyUnencrypted: async () => {
      const r = await runCliOnce(mostly!.setup);
      unencryptedRuns.push(r);
      return r.seconds;
    },
  };
  const parquetOnly = ['parquetOneWorker', 'parquetTwoWorkers', 'duckdb', 'md5sum'];
  const names = Object.keys(contenders).filter((n) => !opts.parquetOnly || parquetOnly.includes(n));
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      times[name]!.push(round(await contenders[name]!()));
    }
  }
  const timed = (name: string): Timed => ({ seconds: median(times[name]!), rounds: times[name]! });
  const parquet = {
    oneWorker: timed('parquetOneWorker'),
    twoWorkers: timed('parquetTwoWorkers'),
    duckdb: timed('duckdb'),
    md5sum: timed('md5sum'),
  };
  const csvAndRun = () => {
    const csv = {
      nodeGunzip: timed('nodeGunzip'),
      gzip: timed('gzip'),
      oneWorker: timed('csvOneWorker'),
      twoWorkers: timed('csvTwoWorkers'),
    };
    const run = timed('wholeRun');
    const phasesOf = (list: CliRunOnce[]) =>
      Object.fromEntries(
        Object.keys(list[0]?.timings ?? {}).map((k) => [k, median(list.map((r) => r.timings[k] ?? 0))]),
      );
    const unencrypted = { run: timed('wholeRunMostlyUnencrypted'), gzip: timed('gzipMostlyUnencrypted') };
    return {
      wholeRun: {
        run,
        ratioToGzip: round(csv.gzip.seconds / run.seconds),
        phasesMs: phasesOf(runs),
        peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
      },
      mostlyUnencryptedRun: {
        rows: unencryptedRows,
        notSseShare: MOSTLY_UNENCRYPTED.notSseShare,
        ...unencrypted,
        ratioToGzip: round(unencrypted.gzip.seconds / unencrypted.run.seconds),
        phasesMs: phasesOf(unencryptedRuns),
        peakRssMb: Math.max(...unencryptedRuns.map((r) => r.peakRssMb)),
      },
      csv: {
        ...csv,
        ratioOneWorkerToNodeGunzip: round(csv.nodeGunzip.seconds / csv.oneWorker.seconds),
        ratioTwoWorkersToNodeGunzip: round(csv.nodeGunzip.seconds / csv.twoWorkers.seconds),
        ratioTwoWorkersToGzip: round(csv.gzip.seconds / csv.twoWorkers.seconds),
        rowsPerSecondTwoWorkers: Math.round(rows / csv.twoWorkers.seconds),
        cpuSecondsTwoWorkers: median(cpuBy.csvTwoWorkers!),
        ceilingTwoWorkersToNodeGunzip: round(csv.nodeGunzip.seconds / (median(cpuBy.csvTwoWorkers!) / cores)),
      },
    };
  };
  return {
    rows,
    files,
    compressedBytes,
    rounds,
    cores,
    ...(opts.parquetOnly ? {} : csvAndRun()),
    loadAverage: { before, after: os.loadavg().map((n) => round(n)) },
    parquet: {
      compressedBytes: await sizeOf(parquetFiles),
      compression: PARQUET_COMPRESSION,
      ...parquet,
      rowsPerSecondTwoWorkers: Math.round(rows / parquet.twoWorkers.seconds),
      rowsPerSecondDuckdb: Math.round(rows / parquet.duckdb.seconds),
      ratioTwoWorkersToDuckdb: round(parquet.duckdb.seconds / parquet.twoWorkers.seconds),
      cpuSecondsTwoWorkers: median(cpuBy.parquetTwoWorkers!),
      ceilingTwoWorkersToDuckdb: round(parquet.duckdb.seconds / (median(cpuBy.parquetTwoWorkers!) / cores)),
    },
    peakRssMb: Math.max(...Object.values(peakBy)),
    peakRssMbBy: peakBy,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Node's gunzip of each file in turn (as the reader streams them), output discarded. */
const PARQUET_COMPRESSION = 'snappy';

/**
 * The same rows as Parquet, one file per CSV file, written by DuckDB from the CSV files with S3's
 * Parquet types (size int64, last_modified_date a millisecond timestamp), and a Parquet manifest.
 */
async function ensureParquetReport(treeRoot: string, csvFiles: string[], rows: number): Promise<string[]> {
  const configDir = path.join(treeRoot, BUCKET, CONFIG);
  const stampFile = path.join(configDir, 'bench-params.json');
  const names = csvFiles.map((f) => path.basename(f).replace(/\.csv\.gz$/, '.parquet'));
  const out = names.map((n) => path.join(configDir, 'data', n));
  const stamp = JSON.stringify({ rows, files: csvFiles.length, compression: PARQUET_COMPRESSION, generator: 1 });
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return out;

  await rm(treeRoot, { recursive: true, force: true });
  await mkdir(path.join(configDir, 'data'), { recursive: true });
  await mkdir(path.join(configDir, REPORT), { recursive: true });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const columns = SCHEMA.map((name) => `'${name}': 'VARCHAR'`).join(', ');
  const manifestFiles = [];
  for (const [i, csvFile] of csvFiles.entries()) {
    await c.run(
      `COPY (SELECT Bucket AS bucket, Key AS key, VersionId AS version_id, IsLatest::BOOLEAN AS is_latest,
              IsDeleteMarker::BOOLEAN AS is_delete_marker, NULLIF(Size, '')::BIGINT AS size,
              NULLIF(LastModifiedDate, '')::TIMESTAMP_MS AS last_modified_date, NULLIF(ETag, '') AS e_tag,
              NULLIF(StorageClass, '') AS storage_class, NULLIF(IsMultipartUploaded, '')::BOOLEAN AS is_multipart_uploaded,
              NULLIF(EncryptionStatus, '') AS encryption_status, NULLIF(BucketKeyStatus, '') AS bucket_key_status,
              NULLIF(ChecksumAlgorithm, '') AS checksum_algorithm
            FROM read_csv('${csvFile}', header = false, quote = '"', columns = {${columns}}))
       TO '${out[i]}' (FORMAT parquet, COMPRESSION ${PARQUET_COMPRESSION})`,
    );
    const bytes = await readFile(out[i]!);
    manifestFiles.push({
      key: `${DESTINATION_PREFIX}/${BUCKET}/${CONFIG}/data/${names[i]}`,
      size: bytes.length,
      MD5checksum: createHash('md5').update(bytes).digest('hex'),
    });
  }
  c.closeSync();
  const manifest = {
    sourceBucket: BUCKET,
    destinationBucket: 'arn:aws:s3:::bench-inventory-destination',
    version: '2016-11-30',
    creationTimestamp: String(Date.parse('2026-10-31T00:00:00Z')),
    fileFormat: 'Parquet',
    fileSchema:
      'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary version_id (UTF8); ' +
      'optional boolean is_latest; optional boolean is_delete_marker; optional int64 size; ' +
      'optional int64 last_modified_date (TIMESTAMP_MILLIS); optional binary e_tag (UTF8); optional binary storage_class (UTF8); ' +
      'optional boolean is_multipart_uploaded; optional binary encryption_status (UTF8); optional binary bucket_key_status (UTF8); ' +
      'optional binary checksum_algorithm (UTF8);}',
    files: manifestFiles,
  };
  const text = JSON.stringify(manifest, null, 2);
  await writeFile(path.join(configDir, REPORT, 'manifest.json'), text);
  await writeFile(path.join(configDir, REPORT, 'manifest.checksum'), createHash('md5').update(text).digest('hex'));
  await writeFile(stampFile, stamp);
  return out;
}

/** DuckDB, in a process of its own, doing what the reader does with the Parquet files; its own timing. */
async function timeDuckdb(files: string[], outCsv: string): Promise<number> {
  const script = fileURLToPath(new URL('./duckdb-read.js', import.meta.url));
  const child = spawn(process.execPath, [script, outCsv, ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`duckdb-read exited with ${code}`);
  return (JSON.parse(out) as { seconds: number }).seconds;
}

/** The mostly-unencrypted report and a run set up on it. */
async function ensureMostlyUnencrypted(workDir: string, rows: number): Promise<{ files: string[]; setup: RunSetup }> {
  const tree = path.join(workDir, 'tree-mostly-unencrypted');
  const files = await ensureReport(tree, rows, MOSTLY_UNENCRYPTED.files, MOSTLY_UNENCRYPTED.notSseShare);
  return { files, setup: await ensureRunSetup(workDir, tree, 'run-mostly-unencrypted') };
}

/** Writes the report unless an identical one (same rows, files and share unencrypted) is already there. */
async function ensureReport(
  treeRoot: string,
  rows: number,
  files: number,
  notSseShare: number = NOT_SSE_SHARE,
): Promise<string[]> {
  const configDir = path.join(treeRoot, BUCKET, CONFIG);
  const manifestFile = path.join(configDir, REPORT, 'manifest.json');
  const names = Array.from({ length: files }, (_, i) => `bench-${String(i).padStart(4, '0')}.csv.gz`);
  const dataFiles = names.map((n) => path.join(configDir, 'data', n));
  const stampFile = path.join(configDir, 'bench-params.json');
  const stamp = JSON.stringify({
    rows,
    files,
    generator: 2,
    ...(notSseShare !== NOT_SSE_SHARE ? { notSseShare } : {}),
  });
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return dataFiles;

  await rm(treeRoot, { recursive: true, force: true });
  await mkdir(path.join(configDir, 'data'), { recursive: true });
  await mkdir(path.dirname(manifestFile), { recursive: true });
  const random = seededRandom(20261031);
  const manifestFiles = [];
  let row = 0;
  for (let f = 0; f < files; f++) {
    const inFile = Math.floor(rows / files) + (f < rows % files ? 1 : 0);
    const { md5, size } = await writeDataFile(dataFiles[f]!, inFile, row, random, notSseShare);
    row += inFile;
    manifestFiles.push({ key: `${DESTINATION_PREFIX}/${BUCKET}/${CONFIG}/data/${names[f]}`, size, MD5checksum: md5 });
  }
  const manifest = {
    sourceBucket: BUCKET,
    destinationBucket: 'arn:aws:s3:::bench-inventory-destination',
    version: '2016-11-30',
    creationTimestamp: String(Date.parse('2026-10-31T00:00:00Z')),
    fileFormat: 'CSV',
    fileSchema: SCHEMA.join(', '),
    files: manifestFiles,
  };
  const manifestText = JSON.stringify(manifest, null, 2);
  await writeFile(manifestFile, manifestText);
  // S3 Inventory delivers manifest.checksum (the manifest's MD5) beside it; the reader checks it.
  await writeFile(
    path.join(path.dirname(manifestFile), 'manifest.checksum'),
    createHash('md5').update(manifestText).digest('hex'),
  );
  await writeFile(stampFile, stamp);
  return dataFiles;
}

async function writeDataFile(
  file: string,
  rows: number,
  firstRow: number,
  random: () => number,
  notSseShare: number,
): Promise<{ md5: string; size: number }> {
  const gzip = createGzip();
  const out = createWriteStream(file);
  const md5 = createHash('md5');
  let size = 0;
  gzip.on('data', (chunk: Buffer) => {
    md5.update(chunk);
    size += chunk.length;
  });
  gzip.pipe(out);
  let batch = '';
  for (let i = 0; i < rows; i++) {
    batch += inventoryRow(firstRow + i, random, notSseShare);
    if (batch.length > 1 << 20) {
      if (!gzip.write(batch)) await once(gzip, 'drain');
      batch = '';
    }
  }
  gzip.end(batch);
  await once(out, 'finish');
  return { md5: md5.digest('hex'), size };
}

const HEX = '0123456789abcdef';
const VERSION_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

function inventoryRow(n: number, random: () => number, notSseShare: number): string {
  const r = random();
  const deleteMarker = r < 0.005;
  const status =
    r < notSseShare ? 'NOT-SSE' : r < notSseShare + 0.285 ? 'SSE-KMS' : r < notSseShare + 0.287 ? 'DSSE-KMS' : 'SSE-S3';
  const day = 1 + (n % 28);
  const key = `tenant-${String(n % 97).padStart(3, '0')}%2F2026%2F10%2F${String(day).padStart(2, '0')}%2Fevents-${n}-part+${n % 7}.json.gz`;
  const size = deleteMarker ? '' : String(Math.floor(random() * random() * 50_000_000));
  const modified = `2026-10-${String(day).padStart(2, '0')}T${String(n % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:07.000Z`;
  const fields = [
    BUCKET,
    key,
    randomText(32, VERSION_CHARS, random),
    random() < 0.9 ? 'true' : 'false',
    deleteMarker ? 'true' : 'false',
    size,
    modified,
    deleteMarker ? '' : randomText(32, HEX, random),
    deleteMarker ? '' : random() < 0.8 ? 'STANDARD' : 'INTELLIGENT_TIERING',
    deleteMarker ? '' : random() < 0.1 ? 'true' : 'false',
    '',
    deleteMarker ? '' : status,
    '',
    '',
    '',
    '',
    deleteMarker ? '' : status === 'SSE-KMS' ? 'ENABLED' : 'DISABLED',
    deleteMarker ? '' : 'CRC64NVME',
  ];
  return `"${fields.join('","')}"\n`;
}

function randomText(length: number, alphabet: string, random: () => number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)]!;
  return s;
}

async function timeGzip(files: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn('gzip', ['-dc', ...files], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`gzip -dc exited with ${code}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** `md5sum` over the files, split between two processes running side by side (the machine's 2 cores). */
async function timeMd5sum(files: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)].filter((h) => h.length);
  await Promise.all(
    halves.map(async (half) => {
      const child = spawn('md5sum', half, { stdio: ['ignore', 'ignore', 'inherit'] });
      const [code] = (await once(child, 'exit')) as [number | null];
      if (code !== 0) throw new Error(`md5sum exited with ${code}`);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

interface RunSetup {
  config: string;
  out: string;
}

interface CliRunOnce {
  seconds: number;
  timings: Record<string, number>;
  peakRssMb: number;
}

/**
 * A tenant for the whole-run figure: one account read from a minimal offline export (the bucket
 * list and the bucket's inventory configuration; the rest of its evidence is missing, so the packet
 * is incomplete and the run exits 3) and the generated report as its inventory source.
 */
async function ensureRunSetup(workDir: string, treeRoot: string, name = 'run'): Promise<RunSetup> {
  const { config, out, exportDir } = await offlineTenant(path.join(workDir, name), {
    account: RUN_ACCOUNT,
    region: 'us-east-1',
    buckets: [BUCKET],
    sources: { inventory: [treeRoot] },
    exportedBy: 'bench/inventory.ts',
  });
  await mkdir(path.join(exportDir, 's3api', BUCKET), { recursive: true });
  await writeFile(
    path.join(exportDir, 's3api', BUCKET, 'list-bucket-inventory-configurations.json'),
    JSON.stringify({
      InventoryConfigurationList: [
        {
          Id: CONFIG,
          IsEnabled: true,
          Destination: {
            S3BucketDestination: {
              Bucket: 'arn:aws:s3:::bench-inventory-destination',
              Format: 'CSV',
              Prefix: DESTINATION_PREFIX,
            },
          },
          IncludedObjectVersions: 'All',
          OptionalFields: SCHEMA.slice(2),
          Schedule: { Frequency: 'Daily' },
        },
      ],
      IsTruncated: false,
    }),
  );
  return { config, out };
}

const RUN_ACCOUNT = '222222222222';

/** The built CLI's `run`, as a user runs it (bench/offline-run.ts), and the proof it read the report. */
async function runCliOnce(setup: RunSetup): Promise<CliRunOnce> {
  const run = await runOffline(setup.config, setup.out);
  // 3: the packet is incomplete (the export holds only what the inventory needs), as intended.
  if (run.exitCode !== 3) throw new Error(`s3-evidence run exited with ${run.exitCode}`);
  const inventory = JSON.parse(
    await readFile(
      path.join(setup.out, '2026-10', 'bench', 'evidence', 'accounts', RUN_ACCOUNT, 's3', BUCKET, 'inventory.json'),
      'utf8',
    ),
  ) as { status: string };
  if (inventory.status !== 'ok') throw new Error(`the run did not read the report: inventory ${inventory.status}`);
  return { seconds: round(run.seconds), timings: run.timings, peakRssMb: run.peakRssMb };
}

const READ_FLAG = '--read-report';

/** One read of a generated report in this process: its time and the process's peak RSS (all threads). */
async function readOnce(
  root: string,
  workers: number,
  rows: number,
): Promise<{ seconds: number; peakRssMb: number; cpuSeconds: number }> {
  const pool = createScanPool(workers);
  try {
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const evidence = await collectInventory({
      trees: [localTree(root)],
      bucket: BUCKET,
      window: reportWindow(periodFor('2026-10', 'UTC'), {
        maxDaysAfterPeriod: DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD,
      }),
      unencryptedCsvPath: path.join(path.dirname(root), `unencrypted-${path.basename(root)}.csv`),
      unencryptedCsvRelative: 'exports/unencrypted.csv',
      workers: pool,
      workersFromBytes: 0,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The whole process's CPU (every thread: the workers, the libuv pool's inflate).
    const cpu = process.cpuUsage(cpuBefore);
    if (evidence.status !== 'ok')
      throw new Error(`bench report did not read cleanly: ${JSON.stringify(evidence).slice(0, 2000)}`);
    const counted =
      Object.values(evidence.tally).reduce((n, t) => n + t.objects, 0) +
      evidence.deleteMarkers +
      evidence.unknownStatus.objects;
    if (counted !== rows) throw new Error(`counted ${counted} rows, generated ${rows}`);
    return {
      seconds: round(seconds),
      peakRssMb: Math.round(ownPeakRssBytes() / 1024 / 1024),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    };
  } finally {
    await pool.close();
  }
}

/** bench/gunzip-floor.ts, compiled beside this module. */
const FLOOR_SCRIPT = fileURLToPath(new URL('./gunzip-floor.js', import.meta.url));

/**
 * The floor in a process of its own that loads nothing but Node: in a process holding this bench's
 * modules (or the reader's), V8 runs a full collection every few inflated megabytes, and the same
 * gunzip took ~3.0-3.4 s where a bare process takes ~2.5 s.
 */
async function floorInFreshProcess(files: string[]): Promise<number> {
  const child = spawn(process.execPath, [FLOOR_SCRIPT, ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the gunzip floor exited with ${code}`);
  return (JSON.parse(out) as { seconds: number }).seconds;
}

if (process.argv[2] === READ_FLAG) {
  const [root, workers, rows] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(await readOnce(root!, Number(workers), Number(rows))));
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [rows, files, workDir, rounds, only] = process.argv.slice(2);
  const result = await benchInventory({
    parquetOnly: only === 'parquet',
    ...(rows ? { rows: Number(rows) } : {}),
    ...(files ? { files: Number(files) } : {}),
    ...(workDir ? { workDir } : {}),
    ...(rounds ? { rounds: Number(rounds) } : {}),
  });
  console.log(JSON.stringify(result, null, 2));
}
