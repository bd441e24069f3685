/**
 * Log-reading benchmark: generates gzipped S3 server access logs and CloudTrail files
 * deterministically, then times, in interleaved rounds (the order rotates each round), `gzip -dc`
 * over the same files and the real collectors scanning them with one and with two scan workers
 * (S3_EVIDENCE_SCAN_WORKERS, each scan in a fresh process of the built code), and the product itself:
 * the built CLI's whole `run` (shipped defaults, its own process) of a tenant whose sources are both
 * trees; medians are compared. Reports records/s, the ratios to gzip -dc, peak RSS and the load
 * average around the rounds.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { scanAccessLogs } from '../src/collect/access-logs/scan-access-logs.js';
import { scanCloudTrail } from '../src/collect/cloudtrail/scan-cloudtrail.js';
import { localTree } from '../src/collect/tree/local.js';
import { periodFor } from '../src/config/period.js';
import { seededRandom } from '../src/util/seeded-random.js';
import { offlineTenant, runOffline, type OfflineTenant } from './offline-run.js';
import { ownPeakRssBytes } from './peak-rss.js';

interface LogBenchFigures {
  records: number;
  /** Median seconds of the scan with two workers (the default on two cores). */
  seconds: number;
  recordsPerSecond: number;
  /** Median seconds of `gzip -dc` over the same files, to /dev/null. */
  gzipSeconds: number;
  /** gzipSeconds / seconds (two workers): 1 means as fast as gzip -dc. */
  ratioToGzip: number;
  /** The same with one worker. */
  oneWorkerSeconds: number;
  ratioOneWorkerToGzip: number;
  /** Every round's seconds, in round order. */
  rounds: { gzip: number[]; oneWorker: number[]; twoWorkers: number[] };
  /** Compressed bytes read. */
  bytes: number;
}

/** The built CLI's whole `run` of a tenant whose sources are both generated trees (bench/offline-run.ts). */
interface LogWholeRunFigures {
  /** Median seconds of the run. */
  seconds: number;
  /** Median seconds of `gzip -dc` over both trees' files (the access logs' and the trail's, added). */
  gzipSeconds: number;
  /** gzipSeconds / seconds. */
  ratioToGzip: number;
  /** The run's log phase (its median, in the round of the median run): the scans and the writing of their evidence. */
  collectLogsSeconds: number;
  /** The highest of the runs' peak RSS (the CLI's process, every thread). */
  peakRssMb: number;
  rounds: number[];
  peakRssMbRounds: number[];
  /** The refused uploads the run's packet itemised, and counted past the default limit (sources.maxDeniedUploads), per source. */
  denied: Record<'accessLogs' | 'cloudTrail', { itemised: number; pastLimit: number }>;
}

export interface LogBenchResult {
  accessLogs: LogBenchFigures;
  cloudTrail: LogBenchFigures;
  wholeRun: LogWholeRunFigures;
  /** Highest resident set size (all threads) of the scanning processes. */
  peakRssMb: number;
  /** os.loadavg() (1, 5, 15 minutes) before and after the rounds: the machine may be shared. */
  loadAverage: { before: number[]; after: number[] };
  rounds: number;
}

const LINES_PER_ACCESS_LOG_FILE = 20_000;
const RECORDS_PER_TRAIL_FILE = 2_000;
const OWNER = '6e3f9b2c4a1d8e7f0b5c3a9d2e4f6a8b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function logTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function accessLogLine(rand: () => number, ms: number, n: number): string {
  const bucket = `bench-bucket-${Math.floor(rand() * 20)}`;
  const denied = rand() < 0.01;
  const plain = denied && rand() < 0.3;
  const op = denied ? 'REST.PUT.OBJECT' : rand() < 0.7 ? 'REST.GET.OBJECT' : 'REST.PUT.OBJECT';
  const key = `data/2026/part-${Math.floor(rand() * 100000)}%20v${n % 7}.parquet`;
  const method = op === 'REST.GET.OBJECT' ? 'GET' : 'PUT';
  const status = denied ? '403 AccessDenied' : '200 -';
  const requester = `arn:aws:sts::111122223333:assumed-role/app-${Math.floor(rand() * 5)}/i-${n % 1000}`;
  const tls = plain ? '- AuthHeader' : 'TLS_AES_128_GCM_SHA256 AuthHeader';
  const tlsVersion = plain ? '-' : 'TLSv1.3';
  return `${OWNER} ${bucket} [${logTime(ms)}] 192.0.2.${n % 250} ${requester} REQ${n.toString(16).toUpperCase().padStart(12, '0')} ${op} ${key} "${method} /${key} HTTP/1.1" ${status} ${Math.floor(rand() * 100000)} ${Math.floor(rand() * 1000000)} ${Math.floor(rand() * 200)} ${Math.floor(rand() * 50)} "-" "aws-sdk-java/2.25.1 Linux/6.1 OpenJDK_64-Bit_Server_VM" - aG9zdGlkZm9yYmVuY2htYXJraW5nMTIzNDU2Nzg5MA== SigV4 ${tls} ${bucket}.s3.eu-west-1.amazonaws.com ${tlsVersion} - - eu-west-1`;
}

function trailRecord(rand: () => number, ms: number, n: number): string {
  const time = new Date(ms).toISOString().replace('.000', '');
  const kind = rand();
  const identity = `{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-${n % 1000}","arn":"arn:aws:sts::111122223333:assumed-role/app-${n % 5}/i-${n % 1000}","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE${n % 97}","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/apps/app-${n % 5}","accountId":"111122223333","userName":"app-${n % 5}"},"attributes":{"creationDate":"2026-10-01T00:00:00Z","mfaAuthenticated":"false"}}`;
  const common = `"eventTime":"${time}","awsRegion":"eu-west-1","requestID":"REQ${n.toString(16).toUpperCase()}","eventID":"00000000-0000-4000-8000-${pad(n, 12)}","recipientAccountId":"111122223333"`;
  if (kind < 0.45) {
    const denied = rand() < 0.02;
    const bucket = `bench-bucket-${Math.floor(rand() * 20)}`;
    const name = denied ? 'PutObject' : rand() < 0.7 ? 'GetObject' : 'PutObject';
    const sse = rand() < 0.5 ? ',"x-amz-server-side-encryption":"aws:kms"' : '';
    return `{"eventVersion":"1.10","userIdentity":${identity}},${common},"eventSource":"s3.amazonaws.com","eventName":"${name}","sourceIPAddress":"192.0.2.${n % 250}","userAgent":"[aws-sdk-java/2.25.1 Linux/6.1]","requestParameters":{"bucketName":"${bucket}","Host":"${bucket}.s3.eu-west-1.amazonaws.com","key":"data/part-${n}.parquet"${sse}},"responseElements":null,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"aG9zdGlk","bytesTransferredOut":${Math.floor(rand() * 100000)}}${denied ? ',"errorCode":"AccessDenied","errorMessage":"Access Denied"' : ''},"readOnly":${name === 'GetObject'},"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::${bucket}/data/part-${n}.parquet"},{"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::${bucket}"}],"eventType":"AwsApiCall","managementEvent":false,"eventCategory":"Data","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"${bucket}.s3.eu-west-1.amazonaws.com"}}`;
  }
  if (kind < 0.85) {
    const key = `arn:aws:kms:eu-west-1:111122223333:key/0000000${n % 3}-12ab-34cd-56ef-1234567890ab`;
    const op = rand() < 0.6 ? 'Decrypt' : 'GenerateDataKey';
    return `{"eventVersion":"1.11","userIdentity":${identity},"invokedBy":"s3.amazonaws.com"},${common},"eventSource":"kms.amazonaws.com","eventName":"${op}","sourceIPAddress":"s3.amazonaws.com","userAgent":"s3.amazonaws.com","requestParameters":{"keyId":"${key}","encryptionContext":{"aws:s3:arn":"arn:aws:s3:::bench-bucket-${n % 20}"},"encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":null,"readOnly":true,"resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"${key}"}],"eventType":"AwsApiCall","managementEvent":true,"eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_256_GCM_SHA384","clientProvidedHostHeader":"kms.eu-west-1.amazonaws.com"}}`;
  }
  return `{"eventVersion":"1.10","userIdentity":${identity}},${common},"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","sourceIPAddress":"192.0.2.${n % 250}","userAgent":"aws-cli/2.17.0","requestParameters":{"instancesSet":{},"filterSet":{}},"responseElements":null,"readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"eventCategory":"Management"}`;
}

async function generateAccessLogs(
  dir: string,
  lines: number,
  startMs: number,
  spanMs: number,
): Promise<{ files: string[]; bytes: number }> {
  const rand = seededRandom(1);
  const files: string[] = [];
  let bytes = 0;
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  const fileCount = Math.max(1, Math.ceil(lines / LINES_PER_ACCESS_LOG_FILE));
  let n = 0;
  for (let f = 0; f < fileCount; f++) {
    const count = Math.min(LINES_PER_ACCESS_LOG_FILE, lines - n);
    const fileMs = startMs + Math.floor((spanMs * f) / fileCount);
    const parts: string[] = [];
    for (let i = 0; i < count; i++, n++) parts.push(accessLogLine(rand, fileMs - Math.floor(rand() * 3_600_000), n));
    const d = new Date(fileMs);
    const name = `logs/${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}-${pad(f, 16)}`;
    const gz = gzipSync(`${parts.join('\n')}\n`);
    bytes += gz.length;
    await writeFile(path.join(dir, name), gz);
    files.push(path.join(dir, name));
  }
  return { files, bytes };
}

async function generateCloudTrail(
  dir: string,
  records: number,
  startMs: number,
  spanMs: number,
): Promise<{ files: string[]; bytes: number }> {
  const rand = seededRandom(2);
  const files: string[] = [];
  let bytes = 0;
  const fileCount = Math.max(1, Math.ceil(records / RECORDS_PER_TRAIL_FILE));
  let n = 0;
  for (let f = 0; f < fileCount; f++) {
    const count = Math.min(RECORDS_PER_TRAIL_FILE, records - n);
    const fileMs = startMs + Math.floor((spanMs * f) / fileCount);
    const parts: string[] = [];
    for (let i = 0; i < count; i++, n++) parts.push(trailRecord(rand, fileMs - Math.floor(rand() * 600_000), n));
    const d = new Date(fileMs);
    const folder = `AWSLogs/111122223333/CloudTrail/eu-west-1/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
    await mkdir(path.join(dir, folder), { recursive: true });
    const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
    const name = `${folder}/111122223333_CloudTrail_eu-west-1_${stamp}_${pad(f, 16)}.json.gz`;
    const gz = gzipSync(`{"Records":[${parts.join(',')}]}`);
    bytes += gz.length;
    await writeFile(path.join(dir, name), gz);
    files.push(path.join(dir, name));
  }
  return { files, bytes };
}

/** Seconds `gzip -dc` takes over `files` (in batches, output to /dev/null). */
function timeGzip(files: string[]): number {
  const started = performance.now();
  for (let i = 0; i < files.length; i += 200) {
    execFileSync('sh', ['-c', 'gzip -dc "$@" > /dev/null', 'gzip-bench', ...files.slice(i, i + 200)]);
  }
  return (performance.now() - started) / 1000;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function figures(
  records: number,
  times: { gzip: number[]; oneWorker: number[]; twoWorkers: number[] },
  bytes: number,
): LogBenchFigures {
  const gzipSeconds = median(times.gzip);
  const seconds = median(times.twoWorkers);
  const oneWorkerSeconds = median(times.oneWorker);
  return {
    records,
    seconds: round3(seconds),
    recordsPerSecond: Math.round(records / seconds),
    gzipSeconds: round3(gzipSeconds),
    ratioToGzip: round3(gzipSeconds / seconds),
    oneWorkerSeconds: round3(oneWorkerSeconds),
    ratioOneWorkerToGzip: round3(gzipSeconds / oneWorkerSeconds),
    rounds: times,
    bytes,
  };
}

export async function benchLogs(opts: {
  accessLogLines?: number;
  cloudTrailRecords?: number;
  workDir: string;
  rounds?: number;
}): Promise<LogBenchResult> {
  const accessLogLines = opts.accessLogLines ?? 2_000_000;
  const cloudTrailRecords = opts.cloudTrailRecords ?? 1_000_000;
  const rounds = Math.max(1, opts.rounds ?? 3);
  const period = periodFor('2026-10', 'UTC');
  const startMs = Date.parse(period.startUtc) + 3_600_000;
  const spanMs = Date.parse(period.endUtc) - startMs - 3_600_000;
  const alDir = path.join(opts.workDir, 'access-logs');
  const ctDir = path.join(opts.workDir, 'cloudtrail');
  await rm(alDir, { recursive: true, force: true });
  await rm(ctDir, { recursive: true, force: true });
  const al = await generateAccessLogs(alDir, accessLogLines, startMs, spanMs);
  const ct = await generateCloudTrail(ctDir, cloudTrailRecords, startMs, spanMs);

  const runSetup = await logsRunSetup(opts.workDir, alDir, ctDir);
  const wholeRuns: Array<{ seconds: number; peakRssMb: number; collectLogs: number }> = [];
  let denied: LogWholeRunFigures['denied'] | undefined;
  const runWhole = () => async () => {
    const run = await runOffline(runSetup.config, runSetup.out);
    // 3: the packet is incomplete (the export holds only the bucket list), as intended.
    if (run.exitCode !== 3) throw new Error(`s3-evidence run exited with ${run.exitCode}`);
    const logs = path.join(runSetup.out, '2026-10', 'bench', 'evidence', 'logs');
    type ScanRead = { recordsRead: number; denied: unknown[]; deniedPastLimit?: { count: number } };
    const read = async (file: string) => JSON.parse(await readFile(path.join(logs, file), 'utf8')) as ScanRead;
    const [alScan, ctScan] = [await read('access-logs-1.json'), await read('cloudtrail-1.json')];
    if (alScan.recordsRead !== accessLogLines || ctScan.recordsRead !== cloudTrailRecords)
      throw new Error(`the run read ${alScan.recordsRead} access-log lines and ${ctScan.recordsRead} trail records`);
    const deniedOf = (s: ScanRead) => ({ itemised: s.denied.length, pastLimit: s.deniedPastLimit?.count ?? 0 });
    denied = { accessLogs: deniedOf(alScan), cloudTrail: deniedOf(ctScan) };
    wholeRuns.push({
      seconds: run.seconds,
      peakRssMb: run.peakRssMb,
      collectLogs: (run.timings.collectLogs ?? 0) / 1000,
    });
    return run.seconds;
  };

  let peakRssMb = 0;
  // Each scan runs in a fresh process, so its peak RSS is its own and not the generator's.
  const scan = (what: 'access-logs' | 'cloudtrail', dir: string, workers: number, records: number) => () => {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), SCAN_FLAG, what, dir], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      env: { ...process.env, S3_EVIDENCE_SCAN_WORKERS: String(workers) },
    });
    const r = JSON.parse(out) as ScanTimes;
    if (r.records !== records) throw new Error(`${what}: read ${r.records} of ${records} records`);
    peakRssMb = Math.max(peakRssMb, r.peakRssMb);
    return r.seconds;
  };
  const contenders: Record<string, () => number | Promise<number>> = {
    alGzip: () => timeGzip(al.files),
    alOne: scan('access-logs', alDir, 1, accessLogLines),
    alTwo: scan('access-logs', alDir, 2, accessLogLines),
    ctGzip: () => timeGzip(ct.files),
    ctOne: scan('cloudtrail', ctDir, 1, cloudTrailRecords),
    ctTwo: scan('cloudtrail', ctDir, 2, cloudTrailRecords),
    run: runWhole(),
  };
  const names = Object.keys(contenders);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const before = os.loadavg().map(round3);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      times[name]!.push(round3(await contenders[name]!()));
    }
  }
  return {
    accessLogs: figures(
      accessLogLines,
      { gzip: times.alGzip!, oneWorker: times.alOne!, twoWorkers: times.alTwo! },
      al.bytes,
    ),
    cloudTrail: figures(
      cloudTrailRecords,
      { gzip: times.ctGzip!, oneWorker: times.ctOne!, twoWorkers: times.ctTwo! },
      ct.bytes,
    ),
    wholeRun: wholeRunFigures(wholeRuns, median(times.alGzip!) + median(times.ctGzip!), denied!),
    peakRssMb,
    loadAverage: { before, after: os.loadavg().map(round3) },
    rounds,
  };
}

function wholeRunFigures(
  runs: Array<{ seconds: number; peakRssMb: number; collectLogs: number }>,
  gzipSeconds: number,
  denied: LogWholeRunFigures['denied'],
): LogWholeRunFigures {
  const seconds = median(runs.map((r) => r.seconds));
  const middle = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor((runs.length - 1) / 2)]!;
  return {
    seconds: round3(seconds),
    gzipSeconds: round3(gzipSeconds),
    ratioToGzip: round3(gzipSeconds / seconds),
    collectLogsSeconds: round3(middle.collectLogs),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    rounds: runs.map((r) => r.seconds),
    peakRssMbRounds: runs.map((r) => r.peakRssMb),
    denied,
  };
}

/** The account whose buckets the generated logs name (bench-bucket-0 .. 19), as its trail's folders do. */
const RUN_ACCOUNT = '111122223333';

/**
 * A tenant for the whole-run figure: one account read from a minimal offline export (the list of the
 * 20 buckets the logs name; the rest of its evidence is missing, so the packet is incomplete and the
 * run exits 3) with the generated access logs and trail as its sources.
 */
function logsRunSetup(workDir: string, accessLogs: string, cloudTrail: string): Promise<OfflineTenant> {
  return offlineTenant(path.join(workDir, 'run'), {
    account: RUN_ACCOUNT,
    region: 'eu-west-1',
    buckets: Array.from({ length: 20 }, (_, i) => `bench-bucket-${i}`),
    sources: { accessLogs: [accessLogs], cloudTrail: [cloudTrail] },
    exportedBy: 'bench/logs.ts',
  });
}

const SCAN_FLAG = '--scan-generated-logs';

interface ScanTimes {
  records: number;
  seconds: number;
  peakRssMb: number;
}

/** One scan of a generated tree in this process, with the shared pool (S3_EVIDENCE_SCAN_WORKERS) as a run uses it. */
async function scanGenerated(what: string, dir: string): Promise<ScanTimes> {
  const period = periodFor('2026-10', 'UTC');
  const started = performance.now();
  const records =
    what === 'cloudtrail'
      ? (await scanCloudTrail(localTree(dir), { period })).recordsRead
      : (await scanAccessLogs(localTree(dir), { period })).recordsRead;
  const seconds = (performance.now() - started) / 1000;
  return { records, seconds, peakRssMb: Math.round(ownPeakRssBytes() / 1024 / 1024) };
}

if (process.argv[2] === SCAN_FLAG) {
  scanGenerated(process.argv[3]!, process.argv[4]!)
    .then((r) => process.stdout.write(JSON.stringify(r)))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
} else if (process.argv[1] && path.basename(process.argv[1]) === 'logs.js') {
  const [lines, records, workDir] = process.argv.slice(2);
  benchLogs({
    accessLogLines: lines ? Number(lines) : undefined,
    cloudTrailRecords: records ? Number(records) : undefined,
    workDir: workDir ?? path.join(process.cwd(), '.bench'),
  })
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
