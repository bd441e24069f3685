/**
 * Inventory reader throughput: generates a deterministic S3 Inventory report (gzipped CSV data files
 * and a manifest, as AWS lays them out), times `gzip -dc` over the same files as the yardstick,
 * then times collectInventory over them and samples its memory.
 *
 *   node dist/bench/inventory.js [rows] [files] [workDir]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { collectInventory } from '../src/collect/inventory/index.js';
import { reportWindow } from '../src/collect/inventory/report-window.js';
import { localTree } from '../src/collect/tree/index.js';
import { periodFor } from '../src/config/period.js';
import { DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD } from '../src/config/schema.js';
import { seededRandom } from '../src/util/seeded-random.js';

export interface InventoryBenchResult {
  rows: number;
  files: number;
  compressedBytes: number;
  seconds: number;
  rowsPerSecond: number;
  gzipSeconds: number;
  /** gzipSeconds / seconds: 1 means as fast as `gzip -dc`. */
  ratioToGzip: number;
  peakRssMb: number;
}

const BUCKET = 'bench-source-bucket';
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
  opts: { rows?: number; files?: number; workDir?: string } = {},
): Promise<InventoryBenchResult> {
  const rows = opts.rows ?? 5_000_000;
  const files = opts.files ?? 8;
  const workDir = opts.workDir ?? path.join(os.tmpdir(), 's3-evidence-bench-inventory');
  const treeRoot = path.join(workDir, 'tree');
  const dataFiles = await ensureReport(treeRoot, rows, files);
  const compressedBytes = (await Promise.all(dataFiles.map((f) => stat(f)))).reduce((n, s) => n + s.size, 0);

  const gzipSeconds = await timeGzip(dataFiles);

  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const started = process.hrtime.bigint();
  const evidence = await collectInventory({
    trees: [localTree(treeRoot)],
    bucket: BUCKET,
    window: reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD }),
    unencryptedCsvPath: path.join(workDir, 'unencrypted.csv'),
    unencryptedCsvRelative: 'exports/unencrypted.csv',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());

  if (evidence.status !== 'ok')
    throw new Error(`bench report did not read cleanly: ${JSON.stringify(evidence).slice(0, 2000)}`);
  const counted =
    Object.values(evidence.tally).reduce((n, t) => n + t.objects, 0) +
    evidence.deleteMarkers +
    evidence.unknownStatus.objects;
  if (counted !== rows) throw new Error(`counted ${counted} rows, generated ${rows}`);

  return {
    rows,
    files,
    compressedBytes,
    seconds: round(seconds),
    rowsPerSecond: Math.round(rows / seconds),
    gzipSeconds: round(gzipSeconds),
    ratioToGzip: round(gzipSeconds / seconds),
    peakRssMb: Math.round(peakRss / (1024 * 1024)),
  };
}

/** Writes the report unless an identical one (same rows and files) is already there. */
async function ensureReport(treeRoot: string, rows: number, files: number): Promise<string[]> {
  const configDir = path.join(treeRoot, BUCKET, CONFIG);
  const manifestFile = path.join(configDir, REPORT, 'manifest.json');
  const names = Array.from({ length: files }, (_, i) => `bench-${String(i).padStart(4, '0')}.csv.gz`);
  const dataFiles = names.map((n) => path.join(configDir, 'data', n));
  const stampFile = path.join(configDir, 'bench-params.json');
  const stamp = JSON.stringify({ rows, files, generator: 2 });
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return dataFiles;

  await rm(treeRoot, { recursive: true, force: true });
  await mkdir(path.join(configDir, 'data'), { recursive: true });
  await mkdir(path.dirname(manifestFile), { recursive: true });
  const random = seededRandom(20261031);
  const manifestFiles = [];
  let row = 0;
  for (let f = 0; f < files; f++) {
    const inFile = Math.floor(rows / files) + (f < rows % files ? 1 : 0);
    const { md5, size } = await writeDataFile(dataFiles[f]!, inFile, row, random);
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
    batch += inventoryRow(firstRow + i, random);
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

function inventoryRow(n: number, random: () => number): string {
  const r = random();
  const deleteMarker = r < 0.005;
  const status = r < 0.015 ? 'NOT-SSE' : r < 0.3 ? 'SSE-KMS' : r < 0.302 ? 'DSSE-KMS' : 'SSE-S3';
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

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [rows, files, workDir] = process.argv.slice(2);
  const result = await benchInventory({
    ...(rows ? { rows: Number(rows) } : {}),
    ...(files ? { files: Number(files) } : {}),
    ...(workDir ? { workDir } : {}),
  });
  console.log(
    JSON.stringify({ ...result, maxRssMbWholeProcess: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2),
  );
}
