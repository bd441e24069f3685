import { DEFAULT_MAX_DENIED_UPLOADS, type AccessLogScan } from '../../evidence/log-scans.js';
import type { TreeReader } from '../tree/tree.js';
import { zoneDayLabeler } from '../../format/zone-day.js';
import { CIPHER_SUITE_FIELD, TLS_VERSION_FIELD } from './access-log-record.js';
import { fileMayHoldPeriod, parseAccessLogKey } from './access-log-keys.js';
import { FieldBounds, parseAccessLogLine, parseLogTime, splitAccessLogLine } from './parse-access-log-line.js';
import {
  WHOLE_FILE_LIMIT,
  errorMessage,
  forEachPrefetched,
  readWholeLogFile,
  streamLogFileText,
} from './read-log-file.js';
import { SkippedLines } from './skipped-lines.js';
import { logText } from './log-text.js';
import { UPLOAD_OPERATIONS } from '../../evidence/upload-operations.js';
import { fileBatches } from '../workers/batches.js';
import { sharedScanPool, type ScanPool } from '../workers/pool.js';
import type { ReadLimits } from '../../util/confined-read.js';
import {
  countPastLimit,
  deniedUploadLimit,
  noteTaken,
  type DeniedUploadLimit,
} from '../workers/denied-upload-limit.js';

export interface ScanAccessLogsOptions {
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** Days either side of the period whose files are still read (late delivery). Default 1. */
  marginDays?: number;
  /** Only records of these buckets are counted; default all. */
  buckets?: readonly string[];
  /** Files loaded ahead of the one being parsed. Default 3. */
  prefetch?: number;
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

/** A batch of files to read in a worker thread (access-log-task.ts): plain data, the tree named by its local root. */
export interface AccessLogFilesTask {
  kind: 'access-log-files';
  tree: { root: string; limits: ReadLimits };
  files: Array<{ path: string; size: number }>;
  period: { startUtc: string; endUtc: string; timeZone: string };
  buckets?: string[];
  deniedLimit: DeniedUploadLimit;
}

/** What reading some of the tree's files adds to the scan; batches are added up in reading order. */
export type AccessLogPart = Pick<
  AccessLogScan,
  | 'filesRead'
  | 'recordsRead'
  | 'recordsInPeriod'
  | 'byBucketDay'
  | 'denied'
  | 'deniedPastLimit'
  | 'skipped'
  | 'problems'
>;

/** A scan that has read nothing yet (also what an unreadable tree reports, with its problem). */
export function emptyAccessLogScan(location: string): AccessLogScan {
  return {
    location,
    filesListed: 0,
    filesRead: 0,
    filesOutsidePeriod: 0,
    filesWithoutDate: 0,
    recordsRead: 0,
    recordsInPeriod: 0,
    byBucketDay: {},
    denied: [],
    skipped: { count: 0, samples: [] },
    problems: [],
  };
}

/** Reads every access-log file of the tree that can hold records of the period. */
export async function scanAccessLogs(tree: TreeReader, options: ScanAccessLogsOptions): Promise<AccessLogScan> {
  const startMs = Date.parse(options.period.startUtc);
  const endMs = Date.parse(options.period.endUtc);
  const marginDays = options.marginDays ?? 1;
  const scan = emptyAccessLogScan(tree.description);

  const toRead: Array<{ path: string; size: number }> = [];
  try {
    for await (const entry of tree.list('')) {
      scan.filesListed++;
      const key = parseAccessLogKey(entry.path);
      if (key === null) scan.filesWithoutDate++;
      else if (!fileMayHoldPeriod(key, startMs, endMs, marginDays)) {
        scan.filesOutsidePeriod++;
        continue;
      }
      toRead.push(entry);
    }
  } catch (error) {
    scan.problems.push({ file: tree.description, message: `listing failed: ${errorMessage(error)}` });
  }
  toRead.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Files read whole come first, then the large ones streamed; batches keep that order.
  const ordered = [
    ...toRead.filter((f) => f.size <= WHOLE_FILE_LIMIT),
    ...toRead.filter((f) => f.size > WHOLE_FILE_LIMIT),
  ];

  const skipped = new SkippedLines();
  const maxDenied = options.maxDenied ?? DEFAULT_MAX_DENIED_UPLOADS;
  const deniedLimit = deniedUploadLimit(maxDenied);
  const pool = options.workers === 'in-process' ? undefined : (options.workers ?? sharedScanPool());
  const bytes = ordered.reduce((n, f) => n + f.size, 0);
  if (pool && tree.local && bytes >= (options.workersFromBytes ?? WORKERS_FROM_BYTES)) {
    const local = tree.local;
    // Added in file order as they come and let go once added: only the batches that finished ahead
    // of an earlier one wait in memory, whatever the size of the tree.
    const pending = fileBatches(ordered, options.workerBatchBytes ?? BATCH_BYTES).map((files) =>
      pool
        .run<AccessLogPart>({
          kind: 'access-log-files',
          tree: local,
          files,
          period: options.period,
          ...(options.buckets ? { buckets: [...options.buckets] } : {}),
          deniedLimit,
        } satisfies AccessLogFilesTask)
        .catch((err: unknown): AccessLogPart => {
          const part = emptyAccessLogScan(tree.description);
          part.problems.push(...files.map((f) => ({ file: f.path, message: `unreadable: ${errorMessage(err)}` })));
          return part;
        }),
    );
    for (let i = 0; i < pending.length; i++) {
      addPart(scan, skipped, await pending[i]!, maxDenied);
      noteTaken(deniedLimit, scan.denied.length);
      pending[i] = ADDED;
    }
  } else {
    addPart(scan, skipped, await readAccessLogFiles(tree, ordered, { ...options, maxDenied }), maxDenied);
  }
  scan.skipped = skipped.summary();
  scan.denied.sort((a, b) => a.epochMs - b.epochMs || (a.requestId < b.requestId ? -1 : 1));
  return scan;
}

const ADDED: Promise<AccessLogPart> = Promise.resolve(emptyAccessLogScan(''));

/**
 * Adds what some files added (`part`, read after what `into` holds) to `into`; skipped lines go to
 * `skipped`. Denied uploads past `maxDenied` in `into` are counted, not kept.
 */
function addPart(into: AccessLogPart, skipped: SkippedLines, part: AccessLogPart, maxDenied: number): void {
  into.filesRead += part.filesRead;
  into.recordsRead += part.recordsRead;
  into.recordsInPeriod += part.recordsInPeriod;
  for (const [bucket, days] of Object.entries(part.byBucketDay)) {
    const to = (into.byBucketDay[bucket] ??= {});
    for (const [day, n] of Object.entries(days)) to[day] = (to[day] ?? 0) + n;
  }
  let past = part.deniedPastLimit?.count ?? 0;
  for (const d of part.denied) {
    if (into.denied.length < maxDenied) into.denied.push(d);
    else past++;
  }
  if (past > 0) countPastLimit(into, maxDenied, past);
  skipped.addAll(part.skipped);
  into.problems.push(...part.problems);
}

/**
 * Reads `files` in the order given: what they add to a scan. Whole files (up to WHOLE_FILE_LIMIT)
 * are loaded ahead (`prefetch`), or with `streamed` read one at a time as they are gunzipped, so
 * only a chunk of each is held (a scan worker's way: its memory stays flat whatever the files'
 * size); either way a file that turns out unreadable adds nothing but its problem. Larger files
 * are streamed and count the records read before a fault.
 */
export async function readAccessLogFiles(
  tree: TreeReader,
  files: Array<{ path: string; size: number }>,
  options: Pick<ScanAccessLogsOptions, 'period' | 'buckets' | 'prefetch'> & {
    streamed?: boolean;
    maxDenied: number;
    /** A worker's batch: whether the scan it reads for already itemises `maxDenied`. */
    scanFull?: () => boolean;
  },
): Promise<AccessLogPart> {
  const part = emptyAccessLogScan(tree.description);
  const { maxDenied, scanFull } = options;
  const skipped = new SkippedLines();
  const selected = options.buckets ? new Set(options.buckets) : undefined;
  const lineReader = (into: AccessLogScan, skips: SkippedLines) =>
    new AccessLogLineReader(
      Date.parse(options.period.startUtc),
      Date.parse(options.period.endUtc),
      options.period.timeZone,
      selected ? (b) => selected.has(b) : undefined,
      skips,
      into,
      maxDenied,
      scanFull,
    );
  const lines = lineReader(part, skipped);
  const whole = files.filter((f) => f.size <= WHOLE_FILE_LIMIT);
  if (options.streamed) {
    for (const f of whole) {
      // The file's own counts, added only once it has been read to its end.
      const filePart = emptyAccessLogScan(tree.description);
      const fileSkipped = new SkippedLines();
      try {
        await readStreamed(tree, f.path, lineReader(filePart, fileSkipped));
      } catch (error) {
        part.problems.push({ file: f.path, message: `unreadable: ${errorMessage(error)}` });
        continue;
      }
      filePart.filesRead++;
      filePart.skipped = fileSkipped.summary();
      addPart(part, skipped, filePart, maxDenied);
    }
  } else {
    await forEachPrefetched(
      whole,
      options.prefetch ?? 3,
      (f) => readWholeLogFile(tree, f.path),
      (f, loaded) => {
        if (loaded.status === 'rejected') {
          part.problems.push({ file: f.path, message: `unreadable: ${errorMessage(loaded.reason)}` });
          return;
        }
        part.filesRead++;
        lines.readText(f.path, logText(loaded.value));
      },
    );
  }
  for (const f of files.filter((e) => e.size > WHOLE_FILE_LIMIT)) {
    try {
      await readStreamed(tree, f.path, lines);
      part.filesRead++;
    } catch (error) {
      part.problems.push({
        file: f.path,
        message: `unreadable (records before the fault were counted): ${errorMessage(error)}`,
      });
    }
  }
  part.skipped = skipped.summary();
  return part;
}

/** Reads a file's lines as it is gunzipped, a chunk at a time. */
async function readStreamed(tree: TreeReader, path: string, lines: AccessLogLineReader): Promise<void> {
  // Only the line a chunk's end cuts is joined with the next chunk's start; the rest is read in place.
  let carry = '';
  let lineNo = 0;
  for await (const text of streamLogFileText(tree, path)) {
    const firstNl = text.indexOf('\n');
    if (firstNl < 0) {
      carry += text;
      continue;
    }
    lineNo = lines.readText(path, carry + text.slice(0, firstNl + 1), lineNo);
    const lastNl = text.lastIndexOf('\n');
    if (lastNl > firstNl) lineNo = lines.readText(path, text, lineNo, firstNl + 1, lastNl + 1);
    carry = text.slice(lastNl + 1);
  }
  if (carry) lines.readText(path, carry, lineNo);
}

/** Whether field `i` of the line just split is exactly `value` (compared in place). */
function fieldIs(text: string, b: FieldBounds, i: number, value: string): boolean {
  return b.end[i]! - b.start[i]! === value.length && text.startsWith(value, b.start[i]);
}

/** The per-line hot path: split, filter by time and bucket, count, and keep the denied uploads. */
class AccessLogLineReader {
  private readonly bounds = new FieldBounds();
  private readonly detailBounds = new FieldBounds();
  private readonly dayOf: (ms: number) => string;
  private lastBucket: string | undefined;
  private lastDays: Record<string, number> | undefined;
  private lastBucketIncluded = true;

  constructor(
    private readonly startMs: number,
    private readonly endMs: number,
    timeZone: string,
    private readonly includeBucket: ((bucket: string) => boolean) | undefined,
    private readonly skipped: SkippedLines,
    private readonly scan: AccessLogScan,
    /** Denied uploads kept in `scan.denied`; past it they are counted in `scan.deniedPastLimit`. */
    private readonly maxDenied: number,
    private readonly scanFull: (() => boolean) | undefined,
  ) {
    this.dayOf = zoneDayLabeler(timeZone);
  }

  /** Reads the complete lines of `text` from `from` to `to`; returns the number of the last line read. */
  readText(file: string, text: string, lineNo = 0, from = 0, to = text.length): number {
    const b = this.bounds;
    const len = to;
    let pos = from;
    while (pos < len) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0 || nl > len) nl = len;
      lineNo++;
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      const start = pos;
      pos = nl + 1;
      if (end === start) continue;
      // Fields are read where they lie in `text`: a line is cut out only when it is kept.
      if (!splitAccessLogLine(text, b, start, end)) {
        this.skipped.add(file, lineNo, b.error);
        continue;
      }
      const ms = parseLogTime(text, b.start[2]!, b.end[2]!);
      if (Number.isNaN(ms)) {
        this.skipped.add(
          file,
          lineNo,
          `time "${text.slice(b.start[2], b.end[2])}" is not [dd/Mon/yyyy:HH:MM:SS ±hhmm]`,
        );
        continue;
      }
      this.scan.recordsRead++;
      if (ms < this.startMs || ms >= this.endMs) continue;
      if (!this.sameBucket(text, b.start[1]!, b.end[1]!)) {
        const bucket = text.slice(b.start[1], b.end[1]);
        this.lastBucket = bucket;
        this.lastBucketIncluded = this.includeBucket ? this.includeBucket(bucket) : true;
        this.lastDays = this.lastBucketIncluded ? (this.scan.byBucketDay[bucket] ??= {}) : undefined;
      }
      if (!this.lastBucketIncluded) continue;
      this.scan.recordsInPeriod++;
      const day = this.dayOf(ms);
      this.lastDays![day] = (this.lastDays![day] ?? 0) + 1;
      if (!fieldIs(text, b, 9, '403') || !fieldIs(text, b, 10, 'AccessDenied')) continue;
      if (!UPLOAD_OPERATIONS.has(text.slice(b.start[6], b.end[6]))) continue;
      this.keepDenied(file, lineNo, text.slice(start, end));
    }
    return lineNo;
  }

  /** Whether the field at [start, end) of `text` is the bucket of the line before. */
  private sameBucket(text: string, start: number, end: number): boolean {
    const last = this.lastBucket;
    return last !== undefined && end - start === last.length && text.startsWith(last, start);
  }

  private keepDenied(file: string, lineNo: number, line: string): void {
    const past = this.scan.denied.length >= this.maxDenied || this.scanFull?.() === true;
    // A slice keeps its whole file's text alive; a kept row must own a copy of its line. One past
    // the limit is only parsed (a malformed line is skipped there too) and counted.
    const parsed = parseAccessLogLine(past ? line : Buffer.from(line, 'utf8').toString('utf8'), this.detailBounds);
    if (!parsed.ok) {
      this.skipped.add(file, lineNo, parsed.message);
      return;
    }
    if (past) {
      countPastLimit(this.scan, this.maxDenied);
      return;
    }
    const r = parsed.record;
    const hasTlsFields = r.fieldCount > Math.max(CIPHER_SUITE_FIELD, TLS_VERSION_FIELD);
    this.scan.denied.push({
      requestId: r.requestId,
      time: r.time,
      epochMs: r.epochMs,
      bucket: r.bucket,
      key: r.key,
      operation: r.operation,
      requester: r.requester,
      remoteIp: r.remoteIp,
      userAgent: r.userAgent,
      cipherSuite: r.cipherSuite,
      tlsVersion: r.tlsVersion,
      hasTlsFields,
      file,
      line: lineNo,
    });
  }
}
