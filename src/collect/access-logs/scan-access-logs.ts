import type { AccessLogScan } from '../../evidence/log-scans.js';
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
import { UPLOAD_OPERATIONS } from '../../evidence/upload-operations.js';

export interface ScanAccessLogsOptions {
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** Days either side of the period whose files are still read (late delivery). Default 1. */
  marginDays?: number;
  /** Only records of buckets this accepts are counted; default all. */
  includeBucket?: (bucket: string) => boolean;
  /** Files loaded ahead of the one being parsed. Default 3. */
  prefetch?: number;
}

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
  const skipped = new SkippedLines();
  const lines = new AccessLogLineReader(startMs, endMs, options.period.timeZone, options.includeBucket, skipped, scan);

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

  const whole = toRead.filter((f) => f.size <= WHOLE_FILE_LIMIT);
  await forEachPrefetched(
    whole,
    options.prefetch ?? 3,
    (f) => readWholeLogFile(tree, f.path),
    (f, loaded) => {
      if (loaded.status === 'rejected') {
        scan.problems.push({ file: f.path, message: `unreadable: ${errorMessage(loaded.reason)}` });
        return;
      }
      scan.filesRead++;
      lines.readText(f.path, loaded.value.toString('utf8'));
    },
  );
  for (const f of toRead.filter((e) => e.size > WHOLE_FILE_LIMIT)) {
    try {
      let carry = '';
      let lineNo = 0;
      for await (const text of streamLogFileText(tree, f.path)) {
        const chunk = carry + text;
        const lastNl = chunk.lastIndexOf('\n');
        if (lastNl < 0) {
          carry = chunk;
          continue;
        }
        lineNo = lines.readText(f.path, chunk.slice(0, lastNl + 1), lineNo);
        carry = chunk.slice(lastNl + 1);
      }
      if (carry) lines.readText(f.path, carry, lineNo);
      scan.filesRead++;
    } catch (error) {
      scan.problems.push({
        file: f.path,
        message: `unreadable (records before the fault were counted): ${errorMessage(error)}`,
      });
    }
  }
  scan.skipped = skipped.summary();
  scan.denied.sort((a, b) => a.epochMs - b.epochMs || (a.requestId < b.requestId ? -1 : 1));
  return scan;
}

/** The per-line hot path: split, filter by time and bucket, count, and keep the denied uploads. */
class AccessLogLineReader {
  private readonly bounds = new FieldBounds();
  private readonly detailBounds = new FieldBounds();
  private readonly dayOf: (ms: number) => string;
  private lastBucket = '';
  private lastDays: Record<string, number> | undefined;
  private lastBucketIncluded = true;

  constructor(
    private readonly startMs: number,
    private readonly endMs: number,
    timeZone: string,
    private readonly includeBucket: ((bucket: string) => boolean) | undefined,
    private readonly skipped: SkippedLines,
    private readonly scan: AccessLogScan,
  ) {
    this.dayOf = zoneDayLabeler(timeZone);
  }

  /** Reads the complete lines of `text`; returns the number of the last line read. */
  readText(file: string, text: string, lineNo = 0): number {
    const b = this.bounds;
    const len = text.length;
    let pos = 0;
    while (pos < len) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = len;
      lineNo++;
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      const start = pos;
      pos = nl + 1;
      if (end === start) continue;
      const line = text.slice(start, end);
      if (!splitAccessLogLine(line, b)) {
        this.skipped.add(file, lineNo, b.error);
        continue;
      }
      const ms = parseLogTime(line, b.start[2]!, b.end[2]!);
      if (Number.isNaN(ms)) {
        this.skipped.add(
          file,
          lineNo,
          `time "${line.slice(b.start[2], b.end[2])}" is not [dd/Mon/yyyy:HH:MM:SS ±hhmm]`,
        );
        continue;
      }
      this.scan.recordsRead++;
      if (ms < this.startMs || ms >= this.endMs) continue;
      const bucket = line.slice(b.start[1], b.end[1]);
      if (bucket !== this.lastBucket) {
        this.lastBucket = bucket;
        this.lastBucketIncluded = this.includeBucket ? this.includeBucket(bucket) : true;
        this.lastDays = this.lastBucketIncluded ? (this.scan.byBucketDay[bucket] ??= {}) : undefined;
      }
      if (!this.lastBucketIncluded) continue;
      this.scan.recordsInPeriod++;
      const day = this.dayOf(ms);
      this.lastDays![day] = (this.lastDays![day] ?? 0) + 1;
      if (!UPLOAD_OPERATIONS.has(line.slice(b.start[6], b.end[6]))) continue;
      if (line.slice(b.start[9], b.end[9]) !== '403' || line.slice(b.start[10], b.end[10]) !== 'AccessDenied') continue;
      this.keepDenied(file, lineNo, line);
    }
    return lineNo;
  }

  private keepDenied(file: string, lineNo: number, line: string): void {
    // A slice keeps its whole file's text alive; a kept row must own a copy of its line.
    const parsed = parseAccessLogLine(Buffer.from(line, 'utf8').toString('utf8'), this.detailBounds);
    if (!parsed.ok) {
      this.skipped.add(file, lineNo, parsed.message);
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
