import type { S3Client } from '@aws-sdk/client-s3';
import type { Period } from '../config/period.js';
import type { TenantConfig } from '../config/schema.js';
import { emptyAccessLogScan, scanAccessLogs, type AccessLogScan } from '../collect/access-logs/scan-access-logs.js';
import { emptyCloudTrailScan, scanCloudTrail, type CloudTrailScan } from '../collect/cloudtrail/scan-cloudtrail.js';
import { treeFor } from '../collect/tree/index.js';
import type { LogEvidence } from '../workspace/log-evidence.js';

function failedAccessLogScan(location: string, err: unknown): AccessLogScan {
  return { ...emptyAccessLogScan(location), problems: [{ file: location, message: `access logs unreadable: ${(err as Error).message}` }] };
}

function failedCloudTrailScan(location: string, err: unknown): CloudTrailScan {
  return { ...emptyCloudTrailScan(location), problems: [{ file: location, message: `CloudTrail logs unreadable: ${(err as Error).message}` }] };
}

/**
 * Scans the tenant's access-log and CloudTrail trees for the period. A tree that cannot be read at
 * all becomes a scan holding that problem, so the packet names it instead of losing it.
 */
export async function collectLogs(args: { tenant: TenantConfig; period: Period; buckets: string[]; s3?: () => S3Client }): Promise<LogEvidence> {
  const { tenant, period } = args;
  const window = { startUtc: period.startUtc, endUtc: period.endUtc, timeZone: period.timeZone };
  const tree = (loc: string) => treeFor(loc, loc.startsWith('s3://') ? args.s3?.() : undefined);
  const selected = new Set(args.buckets);
  const accessLogs =
    tenant.sources.accessLogs.length === 0
      ? null
      : await Promise.all(
          tenant.sources.accessLogs.map((loc) =>
            Promise.resolve()
              .then(() => scanAccessLogs(tree(loc), { period: window, includeBucket: (b) => selected.has(b) }))
              .catch((err: unknown) => failedAccessLogScan(loc, err)),
          ),
        );
  const cloudTrail =
    tenant.sources.cloudTrail.length === 0
      ? null
      : await Promise.all(
          tenant.sources.cloudTrail.map((loc) =>
            Promise.resolve()
              .then(() => scanCloudTrail(tree(loc), { period: window, accounts: tenant.accounts.map((a) => a.id) }))
              .catch((err: unknown) => failedCloudTrailScan(loc, err)),
          ),
        );
  return { accessLogs, cloudTrail };
}
