import { DEFAULT_MAX_DENIED_UPLOADS, type CloudTrailScan } from '../../evidence/log-scans.js';
import type { TreeReader } from '../tree/tree.js';
import { utcDaysAround } from '../../format/zone-day.js';
import { errorMessage, readWholeLogFile, streamLogFileText } from '../access-logs/read-log-file.js';
import { SkippedLines } from '../access-logs/skipped-lines.js';
import { logText } from '../access-logs/log-text.js';
import type { ReadLimits } from '../../util/confined-read.js';
import { fileBatches } from '../workers/batches.js';
import { deniedUploadLimit, noteTaken, type DeniedUploadLimit } from '../workers/denied-upload-limit.js';
import { sharedScanPool, type ScanPool } from '../workers/pool.js';
import { dayFolder, findTrailFolders, isTrailLogFile } from './cloudtrail-paths.js';
import { KmsEventBatchBuilder } from './kms-event-batch.js';
import { TrailRecordSplitter } from './trail-records.js';
import { CloudTrailRecordReader, type CloudTrailFound, type KmsEventIdWatch } from './record-reader.js';

export interface ScanCloudTrailOptions {
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** Day folders read either side of the period (delivery lags events by minutes; records are then filtered by eventTime). Default 1. */
  marginDays?: number;
  /** Only these accounts' folders are read; default all. */
  accounts?: readonly string[];
  /** LookupEvents' KMS event ids; those found in the trail files are noted, so LookupEvents' copies are left out. */
  watchKmsEventIds?: KmsEventIdWatch;
  /**
   * Worker threads that read batches of files (of a local tree) side by side; default the process's
   * shared pool, 'in-process' to read every file on this thread.
   */
  workers?: ScanPool | 'in-process';
  /** Trees with fewer bytes to read than this are read in-process: starting workers costs more. */
  workersFromBytes?: number;
  /** About how many bytes of files one worker task reads; default 1 MiB. */
  workerBatchBytes?: number;
  /** Denied uploads itemised, the first found in file order; the rest are counted only. Default DEFAULT_MAX_DENIED_UPLOADS. */
  maxDenied?: number;
}

const WORKERS_FROM_BYTES = 8 * 1024 * 1024;
/**
 * A worker's batch: about this many bytes of files, read in a row. Small enough that the last
 * batch leaves the other worker idle only briefly (on the logs bench, 4 MiB made 12 CloudTrail
 * batches of about a second each) and that the finds a batch holds while it waits to be added in
 * file order stay small.
 */
const BATCH_BYTES = 1024 * 1024;

/** A batch of trail files to read in a worker thread (cloudtrail-task.ts): plain data, the tree named by its local root. */
export interface CloudTrailFilesTask {
  kind: 'cloudtrail-files';
  tree: { root: string; limits: ReadLimits };
  files: Array<{ path: string; size: number }>;
  period: { startUtc: string; endUtc: string; timeZone: string };
  deniedLimit: DeniedUploadLimit;
}

/**
 * What reading some of the tree's files adds to the scan: counts, and the denied uploads and KMS
 * events found, in reading order, not yet checked against those of other batches.
 */
export type CloudTrailPart = Pick<
  CloudTrailScan,
  'filesRead' | 'recordsRead' | 'recordsInPeriod' | 's3DataEvents' | 's3DataEventsByBucketDay' | 'skipped' | 'problems'
> & { found: CloudTrailFound };

/** A scan that has read nothing yet (also what an unreadable tree reports, with its problem). */
export function emptyCloudTrailScan(location: string): CloudTrailScan {
  return {
    location,
    trails: [],
    filesListed: 0,
    filesRead: 0,
    recordsRead: 0,
    recordsInPeriod: 0,
    s3DataEvents: 0,
    s3DataEventsByBucketDay: {},
    denied: [],
    kmsEvents: 0,
    kmsTallies: [],
    kmsManagementEvents: [],
    skipped: { count: 0, samples: [] },
    problems: [],
  };
}

/** Reads the trail files of the period's day folders and extracts denied uploads, S3 coverage and KMS usage. */
export async function scanCloudTrail(tree: TreeReader, options: ScanCloudTrailOptions): Promise<CloudTrailScan> {
  const scan = emptyCloudTrailScan(tree.description);
  const days = utcDaysAround(options.period.startUtc, options.period.endUtc, options.marginDays ?? 1);
  const files: Array<{ path: string; size: number }> = [];
  try {
    const found = await findTrailFolders(tree, options.accounts);
    for (const message of found.problems) scan.problems.push({ file: tree.description, message });
    for (const folder of found.folders) {
      let withFiles = 0;
      for (const day of days) {
        let any = false;
        for await (const entry of tree.list(`${folder.prefix}${dayFolder(day)}`)) {
          scan.filesListed++;
          if (!isTrailLogFile(entry.path)) continue;
          files.push({ path: entry.path, size: entry.size });
          any = true;
        }
        if (any) withFiles++;
      }
      scan.trails.push({ ...folder, dayFoldersRead: days.length, dayFoldersWithFiles: withFiles });
    }
  } catch (error) {
    scan.problems.push({ file: tree.description, message: `listing failed: ${errorMessage(error)}` });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  // Batches are read side by side in workers (or all here) and added up in file order as they
  // come, so the scan is the same whichever batch finished first and however many workers there
  // are, and a batch's finds are let go once added.
  const skipped = new SkippedLines();
  const maxDenied = options.maxDenied ?? DEFAULT_MAX_DENIED_UPLOADS;
  const reader = new CloudTrailRecordReader(options.period, skipped, scan, {
    watch: options.watchKmsEventIds,
    maxDenied,
  });
  const deniedLimit = deniedUploadLimit(maxDenied);
  const add = (part: CloudTrailPart) => {
    scan.filesRead += part.filesRead;
    scan.recordsRead += part.recordsRead;
    scan.recordsInPeriod += part.recordsInPeriod;
    scan.s3DataEvents += part.s3DataEvents;
    for (const [bucket, days] of Object.entries(part.s3DataEventsByBucketDay)) {
      const into = (scan.s3DataEventsByBucketDay[bucket] ??= {});
      for (const [day, n] of Object.entries(days)) into[day] = (into[day] ?? 0) + n;
    }
    skipped.addAll(part.skipped);
    scan.problems.push(...part.problems);
    reader.addFound(part.found);
  };
  const pool = options.workers === 'in-process' ? undefined : (options.workers ?? sharedScanPool());
  const bytes = files.reduce((n, f) => n + f.size, 0);
  if (pool && tree.local && bytes >= (options.workersFromBytes ?? WORKERS_FROM_BYTES)) {
    const local = tree.local;
    const pending = fileBatches(files, options.workerBatchBytes ?? BATCH_BYTES).map((batch) =>
      pool
        .run<CloudTrailPart>({
          kind: 'cloudtrail-files',
          tree: local,
          files: batch,
          period: options.period,
          deniedLimit,
        } satisfies CloudTrailFilesTask)
        .catch((err: unknown): CloudTrailPart => {
          const part = emptyPart();
          part.problems.push(...batch.map((f) => ({ file: f.path, message: `unreadable: ${errorMessage(err)}` })));
          return part;
        }),
    );
    for (let i = 0; i < pending.length; i++) {
      add(await pending[i]!);
      noteTaken(deniedLimit, reader.deniedRecordsTaken);
      pending[i] = DONE;
    }
  } else {
    add(await readCloudTrailFiles(tree, files, { period: options.period, maxDenied }));
  }
  reader.finish();
  return scan;
}

const DONE: Promise<CloudTrailPart> = Promise.resolve(emptyPart());

function emptyPart(): CloudTrailPart {
  return {
    filesRead: 0,
    recordsRead: 0,
    recordsInPeriod: 0,
    s3DataEvents: 0,
    s3DataEventsByBucketDay: {},
    skipped: { count: 0, samples: [] },
    problems: [],
    found: { denied: [], deniedNotItemised: 0, kms: new KmsEventBatchBuilder().take() },
  };
}

/**
 * Reads `files` in the order given: what they add to a scan. Each file is read as it is gunzipped, a
 * chunk at a time, record by record (TrailRecordSplitter), so only a chunk of it is held; one that
 * does not read that way (another layout, broken JSON, a truncated gzip) adds nothing from that
 * reading and is read again whole, as before: the records, or the reason it is unreadable, of a
 * whole-file parse.
 */
export async function readCloudTrailFiles(
  tree: TreeReader,
  files: ReadonlyArray<{ path: string }>,
  options: Pick<ScanCloudTrailOptions, 'period'> & {
    maxDenied: number;
    /** A worker's batch: whether the scan it reads for has taken `maxDenied` records already. */
    scanFull?: () => boolean;
  },
): Promise<CloudTrailPart> {
  const scan = emptyCloudTrailScan(tree.description);
  const part = emptyPart();
  const skipped = new SkippedLines();
  const reader = new CloudTrailRecordReader(options.period, skipped, scan, {
    maxDenied: options.maxDenied,
    scanFull: options.scanFull,
  });
  for (const f of files) {
    const mark = reader.mark();
    if (await readRecordByRecord(tree, f.path, reader)) {
      reader.keep();
      part.filesRead++;
      continue;
    }
    reader.undo(mark);
    let text: string;
    try {
      text = logText(await readWholeLogFile(tree, f.path));
    } catch (error) {
      part.problems.push({ file: f.path, message: `unreadable: ${errorMessage(error)}` });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      part.problems.push({ file: f.path, message: `not JSON: ${errorMessage(error)}` });
      continue;
    }
    const records = (parsed as { Records?: unknown } | null)?.Records;
    if (!Array.isArray(records)) {
      part.problems.push({ file: f.path, message: 'no "Records" array' });
      continue;
    }
    part.filesRead++;
    reader.readRecords(f.path, records);
  }
  part.found = reader.takeFound();
  part.recordsRead = scan.recordsRead;
  part.recordsInPeriod = scan.recordsInPeriod;
  part.s3DataEvents = scan.s3DataEvents;
  part.s3DataEventsByBucketDay = scan.s3DataEventsByBucketDay;
  part.skipped = skipped.summary();
  return part;
}

/**
 * Streams a file's text through a TrailRecordSplitter into `reader`: true when the whole file was
 * read that way; false at the first thing that does not fit, or when reading or gunzipping fails
 * (the caller undoes what the reader was given and reads the file whole).
 */
async function readRecordByRecord(tree: TreeReader, path: string, reader: CloudTrailRecordReader): Promise<boolean> {
  const splitter = new TrailRecordSplitter((record, index) => reader.readRecord(path, index, record));
  const chunks = streamLogFileText(tree, path);
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await chunks.next();
    } catch {
      return false;
    }
    if (next.done) return splitter.end();
    if (!splitter.write(next.value)) {
      await chunks.return(undefined).catch(() => undefined);
      return false;
    }
  }
}
