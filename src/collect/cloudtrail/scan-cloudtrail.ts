import type { KeyManagementEvent, LogProblem, PrincipalKind, SkippedSummary } from '../../model/log-sections.js';
import type { TreeReader } from '../tree/tree.js';
import { utcDaysAround } from '../../analyze/guardrails/zone-day.js';
import { errorMessage, forEachPrefetched, readWholeLogFile } from '../access-logs/read-log-file.js';
import { SkippedLines } from '../access-logs/skipped-lines.js';
import { dayFolder, findTrailFolders, isTrailLogFile, type TrailFolder } from './cloudtrail-paths.js';
import { CloudTrailRecordReader, type KmsEventIdWatch } from './record-reader.js';

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

/** A key-management event as the packet lists it, plus the key it concerns. */
export type KmsManagementRecord = KeyManagementEvent & { keyArn: string };

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
  /** LookupEvents scans only: KMS events left out because the trail files (or another lookup) already counted them. */
  duplicatesLeftOut?: number;
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
  /** LookupEvents' KMS event ids; those found in the trail files are noted, so LookupEvents' copies are left out. */
  watchKmsEventIds?: KmsEventIdWatch;
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

  const reader = new CloudTrailRecordReader(options.period, new SkippedLines(), scan, options.watchKmsEventIds);
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
