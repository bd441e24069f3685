import type { S3Client } from '@aws-sdk/client-s3';
import type { Period } from '../config/period.js';
import type { TenantConfig } from '../config/schema.js';
import { emptyAccessLogScan, scanAccessLogs } from '../collect/access-logs/scan-access-logs.js';
import { DEFAULT_MAX_DENIED_UPLOADS, type AccessLogScan } from '../evidence/log-scans.js';
import { lookupScan, type LookedUpKmsEvents } from '../collect/cloudtrail/lookup-events.js';
import { emptyCloudTrailScan, scanCloudTrail } from '../collect/cloudtrail/scan-cloudtrail.js';
import { type CloudTrailScan } from '../evidence/log-scans.js';
import { treeFor, type TreeReader } from '../collect/tree/index.js';
import type { LogEvidence } from '../evidence/log-evidence.js';
import { scanAccessLogsWithSql } from '../collect/athena/sql-access-logs.js';
import { scanCloudTrailWithSql } from '../collect/athena/sql-cloudtrail.js';
import { engineFor, type AthenaClientFn } from './sql-engines.js';

function failedAccessLogScan(location: string, err: unknown): AccessLogScan {
  return {
    ...emptyAccessLogScan(location),
    problems: [{ file: location, message: `access logs unreadable: ${(err as Error).message}` }],
  };
}

function failedCloudTrailScan(location: string, err: unknown): CloudTrailScan {
  return {
    ...emptyCloudTrailScan(location),
    problems: [{ file: location, message: `CloudTrail logs unreadable: ${(err as Error).message}` }],
  };
}

/** Fetches KMS events with LookupEvents for the tenant's live accounts (see LiveCollection). */
export type KmsEventLookupFn = (period: { startUtc: string; endUtc: string }) => Promise<LookedUpKmsEvents[]>;

/**
 * Scans the tenant's access-log and CloudTrail trees for the period. A tree that cannot be read at
 * all becomes a scan holding that problem, so the packet names it instead of losing it. With
 * `sources.cloudTrailLookup` and a live lookup, LookupEvents' KMS events are added as scans of their
 * own, leaving out events the trail files already hold (same eventID).
 */
export async function collectLogs(args: {
  tenant: TenantConfig;
  period: Period;
  buckets: string[];
  s3?: () => S3Client;
  lookupKmsEvents?: KmsEventLookupFn;
  /** Log files fetched ahead of the one being parsed, per location. */
  prefetch?: number;
  /** Wraps each tree read (progress counts files and bytes through it). */
  countTree?: (tree: TreeReader) => TreeReader;
  /** Athena clients for `engine: athena` (sql-engines.ts). */
  athena?: AthenaClientFn;
}): Promise<LogEvidence> {
  const { tenant, period } = args;
  const window = { startUtc: period.startUtc, endUtc: period.endUtc, timeZone: period.timeZone };
  const count = args.countTree ?? ((t: TreeReader) => t);
  const maxDenied = tenant.sources.maxDeniedUploads ?? DEFAULT_MAX_DENIED_UPLOADS;
  const accessLogEngine = tenant.sources.accessLogs.length === 0 ? {} : engineFor(tenant, 'accessLogs', args.athena);
  const tree = (loc: string) => count(treeFor(loc, loc.startsWith('s3://') ? args.s3?.() : undefined));
  const accessLogs =
    tenant.sources.accessLogs.length === 0
      ? null
      : await Promise.all(
          tenant.sources.accessLogs.map((loc) =>
            Promise.resolve()
              .then(() => {
                if (accessLogEngine.problem) throw new Error(accessLogEngine.problem);
                if (accessLogEngine.engine)
                  return scanAccessLogsWithSql({
                    engine: accessLogEngine.engine,
                    tree: tree(loc),
                    location: loc,
                    period: window,
                    buckets: args.buckets,
                    maxDenied,
                  });
                return scanAccessLogs(tree(loc), {
                  period: window,
                  buckets: args.buckets,
                  maxDenied,
                  ...(args.prefetch ? { prefetch: args.prefetch } : {}),
                });
              })
              .catch((err: unknown) => failedAccessLogScan(loc, err)),
          ),
        );
  const looked = tenant.sources.cloudTrailLookup && args.lookupKmsEvents ? await args.lookupKmsEvents(window) : null;
  const watch = looked
    ? {
        eventIds: new Set(looked.flatMap((l) => l.events.flatMap((e) => (e.eventId ? [e.eventId] : [])))),
        seen: new Set<string>(),
      }
    : undefined;
  const cloudTrailEngine = tenant.sources.cloudTrail.length === 0 ? {} : engineFor(tenant, 'cloudTrail', args.athena);
  const trailScans =
    tenant.sources.cloudTrail.length === 0
      ? null
      : await Promise.all(
          tenant.sources.cloudTrail.map((loc) =>
            Promise.resolve()
              .then(() => {
                if (cloudTrailEngine.problem) throw new Error(cloudTrailEngine.problem);
                const accounts = tenant.accounts.map((a) => a.id);
                if (cloudTrailEngine.engine)
                  return scanCloudTrailWithSql({
                    engine: cloudTrailEngine.engine,
                    tree: tree(loc),
                    location: loc,
                    period: window,
                    accounts,
                    ...(watch ? { watchKmsEventIds: watch } : {}),
                    maxDenied,
                  });
                return scanCloudTrail(tree(loc), {
                  period: window,
                  accounts,
                  maxDenied,
                  ...(watch ? { watchKmsEventIds: watch } : {}),
                  ...(args.prefetch ? { prefetch: args.prefetch } : {}),
                });
              })
              .catch((err: unknown) => failedCloudTrailScan(loc, err)),
          ),
        );
  const lookupScans = looked && watch ? looked.map((l) => lookupScan(l, window, watch.seen)) : null;
  const cloudTrail = trailScans || lookupScans ? [...(trailScans ?? []), ...(lookupScans ?? [])] : null;
  return { accessLogs, cloudTrail };
}
