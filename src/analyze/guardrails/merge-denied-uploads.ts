import {
  DENIAL_REASONS,
  type DeniedUploadsSection,
  type DenialReason,
  type LogSourceSummary,
} from '../../model/log-sections.js';
import type { AccessLogDeniedUpload, AccessLogScan, LogProblem } from '../../evidence/log-scans.js';
import type { CloudTrailScan } from '../../evidence/log-scans.js';
import { UPLOAD_EVENT_NAME } from '../../evidence/upload-operations.js';
import { principalFromRequester } from '../../evidence/principal.js';
import { coverageStatement, unionBucketDays } from './coverage.js';
import { mergedReason, reasonFromAccessLog, reasonFromCloudTrail } from './denial-reason.js';
import { locatedIn, locateFile, mergeSkipped } from './log-problems.js';
import { Tally } from './tally.js';
import { daysInPeriod, zoneDayLabeler } from '../../format/zone-day.js';
import type { MergedDeniedUpload } from '../../model/export-rows.js';

export interface MergeDeniedUploadsInput {
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** null: no access-log location configured for the tenant. */
  accessLogs: AccessLogScan[] | null;
  /** null: no CloudTrail location configured for the tenant. */
  cloudTrail: CloudTrailScan[] | null;
  /** The tenant's buckets: coverage is stated for each, and rows of other buckets are left out. Empty: every bucket seen. */
  buckets: readonly string[];
  /** Length of the top-principal and top-IP lists. Default 10. */
  topN?: number;
}

/**
 * Denied uploads counted once per request: the access log's Request ID and CloudTrail's
 * requestID are the same value for the same S3 request, so rows are merged on it. Pure.
 * Memory grows with the number of refused uploads, not with the volume of logs read.
 */
export function mergeDeniedUploads(input: MergeDeniedUploadsInput): {
  section: DeniedUploadsSection;
  rows: MergedDeniedUpload[];
} {
  if (input.accessLogs === null && input.cloudTrail === null) {
    return {
      section: { state: 'not_collected', reason: 'no access-log or CloudTrail location is configured for this tenant' },
      rows: [],
    };
  }
  const { period } = input;
  const dayOf = zoneDayLabeler(period.timeZone);
  const onlyBuckets = input.buckets.length > 0 ? new Set(input.buckets) : null;
  const merged = new Map<string, MergedDeniedUpload & { alReason?: DenialReason; ctReason?: DenialReason }>();
  let accessLogCount = 0;
  let cloudTrailCount = 0;
  let both = 0;

  for (const scan of input.accessLogs ?? []) {
    for (const d of scan.denied) {
      if (onlyBuckets && !onlyBuckets.has(d.bucket)) continue;
      if (merged.has(d.requestId)) {
        merged.get(d.requestId)!.evidence.push(accessLogEvidence(scan, d));
        continue;
      }
      accessLogCount++;
      const who = principalFromRequester(d.requester);
      const reason = reasonFromAccessLog(d);
      merged.set(d.requestId, {
        requestId: d.requestId,
        time: d.time,
        epochMs: d.epochMs,
        day: dayOf(d.epochMs),
        bucket: d.bucket,
        key: d.key,
        operation: UPLOAD_EVENT_NAME[d.operation] ?? d.operation,
        principal: who.principal,
        principalKind: who.kind,
        sourceIp: d.remoteIp,
        userAgent: d.userAgent,
        reason,
        alReason: reason,
        seenIn: 'access_logs',
        evidence: [accessLogEvidence(scan, d)],
      });
    }
  }

  const seenFromCloudTrail = new Set<string>();
  for (const scan of input.cloudTrail ?? []) {
    for (const d of scan.denied) {
      if (onlyBuckets && (d.bucket === null || !onlyBuckets.has(d.bucket))) continue;
      const id = d.requestId ?? `event:${d.eventId ?? `${d.file}#${d.record}`}`;
      const evidence = `${locateFile(scan.location, d.file)}#${d.record}`;
      if (seenFromCloudTrail.has(id)) {
        merged.get(id)?.evidence.push(evidence);
        continue;
      }
      seenFromCloudTrail.add(id);
      cloudTrailCount++;
      const reason = reasonFromCloudTrail(d);
      const existing = merged.get(id);
      if (existing) {
        both++;
        existing.seenIn = 'both';
        existing.ctReason = reason;
        existing.reason = mergedReason(existing.alReason, reason);
        existing.principal = d.principal;
        existing.principalKind = d.principalKind;
        existing.sourceIp = d.sourceIp ?? existing.sourceIp;
        existing.sseHeader = d.sseHeader;
        existing.evidence.push(evidence);
        continue;
      }
      merged.set(id, {
        requestId: d.requestId,
        time: d.time,
        epochMs: d.epochMs,
        day: dayOf(d.epochMs),
        bucket: d.bucket ?? 'unknown',
        key: d.key,
        operation: d.eventName,
        principal: d.principal,
        principalKind: d.principalKind,
        sourceIp: d.sourceIp,
        userAgent: d.userAgent,
        reason,
        ctReason: reason,
        seenIn: 'cloudtrail',
        sseHeader: d.sseHeader,
        evidence: [evidence],
      });
    }
  }

  const rows = [...merged.values()]
    .map(({ alReason: _a, ctReason: _c, ...row }) => row)
    .sort((a, b) => a.epochMs - b.epochMs || ((a.requestId ?? '') < (b.requestId ?? '') ? -1 : 1));

  const topN = input.topN ?? 10;
  const byReason = zeroReasons();
  const buckets = new Map<string, { count: number; byReason: Record<DenialReason, number> }>();
  const principals = new Tally();
  const ips = new Tally();
  const perDay = new Map<string, number>();
  for (const row of rows) {
    byReason[row.reason]++;
    let b = buckets.get(row.bucket);
    if (!b) buckets.set(row.bucket, (b = { count: 0, byReason: zeroReasons() }));
    b.count++;
    b.byReason[row.reason]++;
    principals.add(row.principal);
    ips.add(row.sourceIp ?? 'unknown');
    perDay.set(row.day, (perDay.get(row.day) ?? 0) + 1);
  }

  const periodDays = daysInPeriod(period.startUtc, period.endUtc, period.timeZone);
  const alDays = unionBucketDays((input.accessLogs ?? []).map((s) => s.byBucketDay));
  const ctDays = unionBucketDays((input.cloudTrail ?? []).map((s) => s.s3DataEventsByBucketDay));
  const coverageBuckets =
    input.buckets.length > 0
      ? [...input.buckets].sort()
      : [...new Set([...Object.keys(alDays), ...Object.keys(ctDays)])].sort();
  const coverage = [];
  for (const bucket of coverageBuckets) {
    if (input.accessLogs !== null) coverage.push(coverageStatement('access_logs', bucket, periodDays, alDays[bucket]));
    if (input.cloudTrail !== null) coverage.push(coverageStatement('cloudtrail', bucket, periodDays, ctDays[bucket]));
  }

  const notItemised = [
    ...(input.accessLogs ?? []).map((s) => notItemisedProblem(s, 'uploads')),
    ...(input.cloudTrail ?? []).map((s) => notItemisedProblem(s, 'upload records')),
  ].filter((p) => p !== null);
  const problems = [
    ...(input.accessLogs ?? []).flatMap((s) => s.problems.map((p) => locatedIn(s.location, p))),
    ...(input.cloudTrail ?? []).flatMap((s) => s.problems.map((p) => locatedIn(s.location, p))),
    ...notItemised.map((p) => p.problem),
  ];
  const notItemisedTotal = notItemised.reduce((n, p) => n + p.count, 0);
  const skipped = mergeSkipped([...(input.accessLogs ?? []), ...(input.cloudTrail ?? [])]);

  return {
    section: {
      state: 'collected',
      period: { startUtc: period.startUtc, endUtc: period.endUtc, timeZone: period.timeZone },
      total: rows.length,
      bySource: {
        accessLogs: accessLogCount,
        cloudTrail: cloudTrailCount,
        both,
        accessLogsOnly: accessLogCount - both,
        cloudTrailOnly: cloudTrailCount - both,
      },
      byReason,
      byBucket: [...buckets.entries()]
        .map(([bucket, v]) => ({ bucket, ...v }))
        .sort((a, b) => b.count - a.count || (a.bucket < b.bucket ? -1 : 1)),
      topPrincipals: principals.top(topN),
      topSourceIps: ips.top(topN),
      perDay: periodDays.map((day) => ({ day, count: perDay.get(day) ?? 0 })),
      sources: {
        accessLogs: accessLogSummary(input.accessLogs),
        cloudTrail: cloudTrailSummary(input.cloudTrail),
      },
      coverage,
      skipped,
      problems,
      ...(notItemisedTotal > 0 ? { notItemised: notItemisedTotal } : {}),
    },
    rows,
  };
}

/**
 * A location whose denied uploads went past the tenant's limit: the ones past it were counted by
 * the scan but not kept, so this section's figures leave them out. Missing evidence, named.
 */
function notItemisedProblem(
  scan: AccessLogScan | CloudTrailScan,
  what: string,
): { problem: LogProblem; count: number } | null {
  const past = scan.deniedPastLimit;
  if (!past || past.count <= 0) return null;
  const n = (v: number) => v.toLocaleString('en-US');
  return {
    count: past.count,
    problem: {
      file: scan.location,
      message: `${n(past.count)} more denied ${what} past the first ${n(past.limit)} were counted, not itemised (the limit is sources.maxDeniedUploads): the refused uploads' figures by reason, bucket, principal and day leave them out`,
      pastLimit: true,
    },
  };
}

function zeroReasons(): Record<DenialReason, number> {
  return Object.fromEntries(DENIAL_REASONS.map((r) => [r, 0])) as Record<DenialReason, number>;
}

function accessLogEvidence(scan: AccessLogScan, d: AccessLogDeniedUpload): string {
  return `${locateFile(scan.location, d.file)}:${d.line}`;
}

function accessLogSummary(scans: AccessLogScan[] | null): LogSourceSummary {
  if (scans === null)
    return { state: 'not_configured', locations: [], filesRead: 0, filesOutsidePeriod: 0, recordsInPeriod: 0 };
  return {
    state: 'read',
    locations: scans.map((s) => s.location),
    filesRead: sum(scans.map((s) => s.filesRead)),
    filesOutsidePeriod: sum(scans.map((s) => s.filesOutsidePeriod)),
    recordsInPeriod: sum(scans.map((s) => s.recordsInPeriod)),
  };
}

export function cloudTrailSummary(scans: CloudTrailScan[] | null): LogSourceSummary {
  if (scans === null)
    return { state: 'not_configured', locations: [], filesRead: 0, filesOutsidePeriod: 0, recordsInPeriod: 0 };
  return {
    state: 'read',
    locations: scans.map((s) => s.location),
    filesRead: sum(scans.map((s) => s.filesRead)),
    filesOutsidePeriod: 0,
    recordsInPeriod: sum(scans.map((s) => s.recordsInPeriod)),
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
