/**
 * Packet sections computed from logs: denied uploads (S3 server access logs + CloudTrail data
 * events, one request counted once) and key usage (CloudTrail KMS events).
 * Each is `not_collected` (with the reason) or `collected`; a collected section still carries
 * its skipped lines and problems, so a partial read is never shown as a clean one.
 */
import type { KeyManagementEvent, LogProblem, PrincipalKind, SkippedSummary } from '../evidence/log-scans.js';

// The log sections carry these evidence shapes as they are.
export type { KeyManagementEvent, PrincipalKind };

/** Why an upload was refused. `undetermined`: only the access log saw it, and it does not record request headers. */
export const DENIAL_REASONS = [
  'sse_header_missing',
  'sse_value_not_allowed',
  'plain_http',
  'other',
  'undetermined',
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

export type LogSourceId = 'access_logs' | 'cloudtrail';

export interface CountedName {
  name: string;
  count: number;
}

export interface TopList {
  top: CountedName[];
  /** Sum of everything not in `top`. */
  others: number;
  /** Number of distinct names. */
  distinct: number;
}

/** Which source saw which bucket on which days of the period (days in the tenant's zone). */
export interface CoverageStatement {
  source: LogSourceId;
  bucket: string;
  state: 'records_every_day' | 'records_some_days' | 'no_records';
  daysWithRecords: number;
  daysInPeriod: number;
  /** Days without a record, at most the first 10 (state `records_some_days`). */
  daysWithout: string[];
  /** One sentence, e.g. "no access-log records for bucket acme-logs in the period". */
  text: string;
}

export interface LogSourceSummary {
  state: 'read' | 'not_configured';
  /** Tree locations read. */
  locations: string[];
  filesRead: number;
  filesOutsidePeriod: number;
  /** Records whose time falls inside the period. */
  recordsInPeriod: number;
}

export interface DeniedUploadsCollected {
  state: 'collected';
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** Distinct denied upload requests, after merging the two sources by request ID. */
  total: number;
  bySource: {
    /** Denied uploads each source saw (before merging). */
    accessLogs: number;
    cloudTrail: number;
    /** Seen by both (same request ID). */
    both: number;
    accessLogsOnly: number;
    cloudTrailOnly: number;
  };
  byReason: Record<DenialReason, number>;
  byBucket: Array<{ bucket: string; count: number; byReason: Record<DenialReason, number> }>;
  topPrincipals: TopList;
  topSourceIps: TopList;
  /** Every day of the period in the tenant's zone, zero-filled, in order. */
  perDay: Array<{ day: string; count: number }>;
  sources: { accessLogs: LogSourceSummary; cloudTrail: LogSourceSummary };
  coverage: CoverageStatement[];
  skipped: SkippedSummary;
  problems: LogProblem[];
  /**
   * Denied uploads the scans counted past the tenant's itemising limit (sources.maxDeniedUploads):
   * in none of the figures above; each location's count is also among `problems`. Absent when none.
   */
  notItemised?: number;
}

export type DeniedUploadsSection = { state: 'not_collected'; reason: string } | DeniedUploadsCollected;

export interface KeyPrincipalUsage {
  /** Role ARN (not the session), user ARN, root ARN, service name (e.g. s3.amazonaws.com) or account:<id>. */
  principal: string;
  kind: PrincipalKind;
  calls: number;
  failures: number;
  /** AWS services that made calls on this principal's behalf (userIdentity.invokedBy). */
  via: string[];
  /** null: no expectation configured for this key. */
  expected: boolean | null;
}

export interface KeyUsage {
  keyArn: string;
  calls: number;
  byOperation: CountedName[];
  byPrincipal: KeyPrincipalUsage[];
  byBucket: CountedName[];
  failures: { total: number; byErrorCode: CountedName[] };
  /** Principals that used the key and match no expected pattern (empty when none configured). */
  unexpectedPrincipals: Array<{
    principal: string;
    kind: PrincipalKind;
    calls: number;
    operations: string[];
    firstSeen: string;
    lastSeen: string;
  }>;
  expectationConfigured: boolean;
  managementEvents: KeyManagementEvent[];
}

export interface KeyUsageCollected {
  state: 'collected';
  period: { startUtc: string; endUtc: string; timeZone: string };
  source: LogSourceSummary;
  keys: KeyUsage[];
  totals: { calls: number; failures: number; unexpectedPrincipals: number; managementEvents: number };
  skipped: SkippedSummary;
  problems: LogProblem[];
}

export type KeyUsageSection = { state: 'not_collected'; reason: string } | KeyUsageCollected;
