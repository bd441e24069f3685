import type { SqlQueryEvidence } from './inventory.js';

/**
 * What the log scans keep of S3 server access logs and CloudTrail (the log evidence analyze reads):
 * denied uploads, KMS call tallies and management events, per-day counts, skipped lines and problems.
 */

/** A line or file that could not be read as what it claims to be. */
export interface LogProblem {
  /** Path inside the tree, or the tree's location for tree-level problems. */
  file: string;
  /** 1-based line number (access logs) or record index (CloudTrail, 1-based). */
  line?: number;
  message: string;
  /** Refused uploads counted past the itemising limit (the denied-uploads section's own), not a read that failed. */
  pastLimit?: true;
}

export interface SkippedSummary {
  count: number;
  /** The first few, in reading order; `count` is the full number. */
  samples: LogProblem[];
}

export type PrincipalKind =
  'role' | 'user' | 'root' | 'federated' | 'aws_service' | 'aws_account' | 'anonymous' | 'unknown';

export interface KeyManagementEvent {
  time: string;
  eventName: string;
  principal: string;
  kind: PrincipalKind;
  sourceIp?: string;
  errorCode?: string;
  requestId?: string;
  eventId?: string;
  /** Short detail, e.g. "grantee arn:…; operations Decrypt" or "pending window 7 days". */
  detail?: string;
}

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

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The one order of KMS tallies (key, principal, operation, day, bucket), so scans and merges list them alike. */
export function compareKmsTallies(a: KmsCallTally, b: KmsCallTally): number {
  return (
    byText(a.keyArn, b.keyArn) ||
    byText(a.principal, b.principal) ||
    byText(a.operation, b.operation) ||
    byText(a.day, b.day) ||
    byText(a.bucket, b.bucket)
  );
}

/** A key-management event as the packet lists it, plus the key it concerns. */
export type KmsManagementRecord = KeyManagementEvent & { keyArn: string };

/**
 * Denied uploads itemised per log location (config `sources.maxDeniedUploads`). Each one held costs
 * about a kilobyte until the packet is written; past this a month's refusals are counted only, so a
 * flood of them (an application retrying a refused upload all month) can exhaust neither memory nor
 * the longest string an evidence file is written from. Reaching it is missing evidence: the packet
 * names the location and how many were not itemised.
 */
export const DEFAULT_MAX_DENIED_UPLOADS = 10_000;

/** Denied uploads a scan counted past its itemising limit (absent from scans that stayed within it, and from evidence written before the limit existed). */
export interface DeniedPastLimit {
  limit: number;
  count: number;
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
  /** The first denied uploads found, in file order: at most the tenant's `sources.maxDeniedUploads`. */
  denied: CloudTrailDeniedUpload[];
  /**
   * Set when the scan found more denied upload records than its limit: the first `limit` records in
   * file order are itemised (a copy of an event itemised once more is left out, as before), the
   * `count` records after them are counted only, copies too.
   */
  deniedPastLimit?: DeniedPastLimit;
  kmsEvents: number;
  kmsTallies: KmsCallTally[];
  kmsManagementEvents: KmsManagementRecord[];
  /** LookupEvents scans only: KMS events left out because the trail files (or another lookup) already counted them. */
  duplicatesLeftOut?: number;
  skipped: SkippedSummary;
  problems: LogProblem[];
  /** engine: athena: the queries that made this scan (ids, SQL, data scanned, cost). */
  sqlQueries?: SqlQueryEvidence[];
}

/** One upload the access log shows refused with 403 AccessDenied. */
export interface AccessLogDeniedUpload {
  requestId: string;
  time: string;
  epochMs: number;
  bucket: string;
  key: string | null;
  operation: string;
  /** As logged: canonical user ID or IAM ARN; null for unauthenticated requests. */
  requester: string | null;
  remoteIp: string | null;
  userAgent: string | null;
  /** null when the line predates the Cipher Suite / TLS version fields. */
  cipherSuite: string | null;
  tlsVersion: string | null;
  /** Whether the line has the Cipher Suite and TLS version fields at all. */
  hasTlsFields: boolean;
  file: string;
  line: number;
}

export interface AccessLogScan {
  /** The tree read; `file` in skipped lines and problems is relative to it. */
  location: string;
  filesListed: number;
  filesRead: number;
  /** Files whose name dates them clearly outside the period (plus margin): not read. */
  filesOutsidePeriod: number;
  /** Files whose name has no delivery date: read, records filtered by their own time. */
  filesWithoutDate: number;
  recordsRead: number;
  recordsInPeriod: number;
  /** Records in the period per bucket and day (tenant's zone). */
  byBucketDay: Record<string, Record<string, number>>;
  /** The first denied uploads found, in file order: at most the tenant's `sources.maxDeniedUploads`. */
  denied: AccessLogDeniedUpload[];
  /** Set when the scan found more denied uploads than its limit: the first `limit` in file order are itemised, `count` more were counted only. */
  deniedPastLimit?: DeniedPastLimit;
  skipped: SkippedSummary;
  problems: LogProblem[];
  /** engine: athena: the queries that made this scan (ids, SQL, data scanned, cost). */
  sqlQueries?: SqlQueryEvidence[];
}

/**
 * Trail log files live at
 *   [KeyPrefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz
 * and, for an organization trail,
 *   [KeyPrefix/]AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz
 * The day folders are the (UTC) day of delivery. Digest and Insights files live in sibling
 * folders (CloudTrail-Digest, CloudTrail-Insight) and are not read.
 */
export interface TrailFolder {
  /** e.g. AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/ */
  prefix: string;
  organizationId?: string;
  account: string;
  region: string;
}
