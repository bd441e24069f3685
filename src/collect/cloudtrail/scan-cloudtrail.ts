import type { LogProblem, PrincipalKind, SkippedSummary } from '../../model/log-sections.js';
import type { TreeReader } from '../tree/tree.js';
import { utcDaysAround, zoneDayLabeler } from '../../analyze/guardrails/zone-day.js';
import { errorMessage, forEachPrefetched, readWholeLogFile } from '../access-logs/read-log-file.js';
import { SkippedLines } from '../access-logs/skipped-lines.js';
import type { CloudTrailRecord } from './cloudtrail-record.js';
import { dayFolder, findTrailFolders, isTrailLogFile, type TrailFolder } from './cloudtrail-paths.js';
import { bucketOfKmsEvent, keyArnsOf, KMS_CRYPTO_OPERATIONS, KMS_MANAGEMENT_EVENTS, managementDetail } from './kms-events.js';
import { principalOf } from './principal.js';
import { bucketOfS3Event, isS3DataEvent, keyOfS3Event, sseHeaderOf, transportOf, UPLOAD_EVENT_NAMES } from './s3-events.js';

/** One upload CloudTrail shows refused with AccessDenied. */
export interface CloudTrailDeniedUpload {
  /** The S3 request ID, shared with the access log; null if the record has none. */
  requestId: string | null;
  eventId: string | null;
  time: string;
  epochMs: number;
  bucket: string | null;
  key: string | null;
  eventName: string;
  principal: string;
  principalKind: PrincipalKind;
  sourceIp: string | null;
  userAgent: string | null;
  errorCode: string;
  errorMessage: string | null;
  /** The x-amz-server-side-encryption header sent; null when the request had none. */
  sseHeader: string | null;
  transport: 'tls' | 'plain' | 'unknown';
  account: string | null;
  region: string | null;
  file: string;
  /** 1-based index of the record in the file's Records array. */
  record: number;
}

/** KMS calls aggregated per key, principal, operation, day (tenant's zone) and bucket. */
export interface KmsCallTally {
  keyArn: string;
  principal: string;
  kind: PrincipalKind;
  operation: string;
  day: string;
  /** From the aws:s3:arn encryption context; '' when the call names no bucket. */
  bucket: string;
  calls: number;
  failures: number;
  errorCodes: Record<string, number>;
  via: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface KmsManagementRecord {
  keyArn: string;
  time: string;
  eventName: string;
  principal: string;
  kind: PrincipalKind;
  sourceIp?: string;
  errorCode?: string;
  requestId?: string;
  eventId?: string;
  detail?: string;
}

export interface CloudTrailScan {
  /** The tree read; `file` in skipped records and problems is relative to it. */
  location: string;
  trails: Array<TrailFolder & { dayFoldersRead: number; dayFoldersWithFiles: number }>;
  filesListed: number;
  filesRead: number;
  recordsRead: number;
  /** S3 and KMS records whose eventTime lies inside the period. */
  recordsInPeriod: number;
  s3DataEvents: number;
  /** S3 data events in the period per bucket and day (tenant's zone): which buckets CloudTrail covers. */
  s3DataEventsByBucketDay: Record<string, Record<string, number>>;
  denied: CloudTrailDeniedUpload[];
  kmsEvents: number;
  kmsTallies: KmsCallTally[];
  kmsManagementEvents: KmsManagementRecord[];
  skipped: SkippedSummary;
  problems: LogProblem[];
}

export interface ScanCloudTrailOptions {
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** Day folders read either side of the period (delivery lags events by minutes; records are then filtered by eventTime). Default 1. */
  marginDays?: number;
  /** Only these accounts' folders are read; default all. */
  accounts?: readonly string[];
  /** Files loaded (read + gunzipped) ahead of the one being parsed. Default 3. */
  prefetch?: number;
}

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
  const files: string[] = [];
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
          files.push(entry.path);
          any = true;
        }
        if (any) withFiles++;
      }
      scan.trails.push({ ...folder, dayFoldersRead: days.length, dayFoldersWithFiles: withFiles });
    }
  } catch (error) {
    scan.problems.push({ file: tree.description, message: `listing failed: ${errorMessage(error)}` });
  }
  files.sort();

  const reader = new CloudTrailRecordReader(options.period, new SkippedLines(), scan);
  await forEachPrefetched(
    files,
    options.prefetch ?? 3,
    (path) => readWholeLogFile(tree, path),
    (path, loaded) => {
      if (loaded.status === 'rejected') {
        scan.problems.push({ file: path, message: `unreadable: ${errorMessage(loaded.reason)}` });
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(loaded.value.toString('utf8'));
      } catch (error) {
        scan.problems.push({ file: path, message: `not JSON: ${errorMessage(error)}` });
        return;
      }
      const records = (parsed as { Records?: unknown } | null)?.Records;
      if (!Array.isArray(records)) {
        scan.problems.push({ file: path, message: 'no "Records" array' });
        return;
      }
      scan.filesRead++;
      reader.readRecords(path, records);
    },
  );
  reader.finish();
  return scan;
}

class CloudTrailRecordReader {
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly dayOf: (ms: number) => string;
  private readonly tallies = new Map<string, KmsCallTally & { viaSet: Set<string>; firstMs: number; lastMs: number }>();
  /** Denied uploads by eventID: the same event in two trails is one event. */
  private readonly deniedEventIds = new Set<string>();

  constructor(
    period: { startUtc: string; endUtc: string; timeZone: string },
    private readonly skipped: SkippedLines,
    private readonly scan: CloudTrailScan,
  ) {
    this.startMs = Date.parse(period.startUtc);
    this.endMs = Date.parse(period.endUtc);
    this.dayOf = zoneDayLabeler(period.timeZone);
  }

  readRecords(file: string, records: unknown[]): void {
    for (let i = 0; i < records.length; i++) {
      this.scan.recordsRead++;
      const r = records[i] as CloudTrailRecord | null;
      if (r === null || typeof r !== 'object' || Array.isArray(r)) {
        this.skipped.add(file, i + 1, 'record is not an object');
        continue;
      }
      const source = r.eventSource;
      if (source !== 's3.amazonaws.com' && source !== 'kms.amazonaws.com') continue;
      const ms = typeof r.eventTime === 'string' ? Date.parse(r.eventTime) : NaN;
      if (Number.isNaN(ms) || typeof r.eventName !== 'string') {
        this.skipped.add(file, i + 1, 'no valid eventTime or eventName');
        continue;
      }
      if (ms < this.startMs || ms >= this.endMs) continue;
      this.scan.recordsInPeriod++;
      if (source === 's3.amazonaws.com') this.readS3(file, i + 1, r, ms);
      else this.readKms(r, ms);
    }
  }

  private readS3(file: string, index: number, r: CloudTrailRecord, ms: number): void {
    if (!isS3DataEvent(r)) return;
    this.scan.s3DataEvents++;
    const bucket = bucketOfS3Event(r);
    if (bucket !== null) {
      const days = (this.scan.s3DataEventsByBucketDay[bucket] ??= {});
      const day = this.dayOf(ms);
      days[day] = (days[day] ?? 0) + 1;
    }
    if (r.errorCode !== 'AccessDenied' || !UPLOAD_EVENT_NAMES.has(r.eventName!)) return;
    if (r.eventID) {
      if (this.deniedEventIds.has(r.eventID)) return;
      this.deniedEventIds.add(r.eventID);
    }
    const who = principalOf(r.userIdentity);
    this.scan.denied.push({
      requestId: r.requestID ?? null,
      eventId: r.eventID ?? null,
      time: new Date(ms).toISOString(),
      epochMs: ms,
      bucket,
      key: keyOfS3Event(r),
      eventName: r.eventName!,
      principal: who.principal,
      principalKind: who.kind,
      sourceIp: r.sourceIPAddress ?? null,
      userAgent: r.userAgent ?? null,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage ?? null,
      sseHeader: sseHeaderOf(r),
      transport: transportOf(r),
      account: r.recipientAccountId ?? null,
      region: r.awsRegion ?? null,
      file,
      record: index,
    });
  }

  private readKms(r: CloudTrailRecord, ms: number): void {
    const name = r.eventName!;
    const crypto = KMS_CRYPTO_OPERATIONS.has(name);
    if (!crypto && !KMS_MANAGEMENT_EVENTS.has(name)) return;
    this.scan.kmsEvents++;
    const keys = keyArnsOf(r);
    const who = principalOf(r.userIdentity);
    if (!crypto) {
      const detail = managementDetail(r);
      for (const keyArn of keys.length > 0 ? keys : ['unknown']) {
        this.scan.kmsManagementEvents.push({
          keyArn,
          time: new Date(ms).toISOString(),
          eventName: name,
          principal: who.principal,
          kind: who.kind,
          ...(r.sourceIPAddress ? { sourceIp: r.sourceIPAddress } : {}),
          ...(r.errorCode ? { errorCode: r.errorCode } : {}),
          ...(r.requestID ? { requestId: r.requestID } : {}),
          ...(r.eventID ? { eventId: r.eventID } : {}),
          ...(detail ? { detail } : {}),
        });
      }
      return;
    }
    const day = this.dayOf(ms);
    const bucket = bucketOfKmsEvent(r) ?? '';
    for (const keyArn of keys.length > 0 ? keys : ['unknown']) {
      const id = `${keyArn}\t${who.principal}\t${name}\t${day}\t${bucket}`;
      let t = this.tallies.get(id);
      if (!t) {
        t = { keyArn, principal: who.principal, kind: who.kind, operation: name, day, bucket, calls: 0, failures: 0, errorCodes: {}, via: [], firstSeen: '', lastSeen: '', viaSet: new Set(), firstMs: ms, lastMs: ms };
        this.tallies.set(id, t);
      }
      t.calls++;
      if (r.errorCode) {
        t.failures++;
        t.errorCodes[r.errorCode] = (t.errorCodes[r.errorCode] ?? 0) + 1;
      }
      if (who.via) t.viaSet.add(who.via);
      if (ms < t.firstMs) t.firstMs = ms;
      if (ms > t.lastMs) t.lastMs = ms;
    }
  }

  finish(): void {
    this.scan.skipped = this.skipped.summary();
    this.scan.denied.sort((a, b) => a.epochMs - b.epochMs || ((a.eventId ?? '') < (b.eventId ?? '') ? -1 : 1));
    this.scan.kmsTallies = [...this.tallies.values()]
      .map(({ viaSet, firstMs, lastMs, ...t }) => ({
        ...t,
        via: [...viaSet].sort(),
        firstSeen: new Date(firstMs).toISOString(),
        lastSeen: new Date(lastMs).toISOString(),
      }))
      .sort((a, b) => cmp(a.keyArn, b.keyArn) || cmp(a.principal, b.principal) || cmp(a.operation, b.operation) || cmp(a.day, b.day) || cmp(a.bucket, b.bucket));
    this.scan.kmsManagementEvents.sort((a, b) => cmp(a.keyArn, b.keyArn) || cmp(a.time, b.time) || cmp(a.eventId ?? '', b.eventId ?? ''));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
