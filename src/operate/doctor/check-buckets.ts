/** Per-bucket readiness: the reads the collection makes, S3 Inventory with EncryptionStatus and a recent report, access logging. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { TenantConfig } from '../../config/schema.js';
import { isOrcFormat, ORC_INVENTORY, reportFolderDate } from '../../collect/inventory/manifest.js';
import { s3Tree } from '../../collect/tree/index.js';
import {
  DIRECTORY_IAM_ACTION,
  IAM_ACTION,
  type AccountSource,
  type BucketExtraOperation,
  type BucketOperation,
} from '../../collect/source.js';
import type { EvidenceRecord } from '../../evidence/record.js';
import { enableAccessLogging, enableInventory, attachReaderPolicy } from './fixes.js';
import type { Check, ReadCall } from './readiness.js';

const BUCKET_READS: Array<BucketOperation | BucketExtraOperation> = [
  'GetBucketEncryption',
  'GetBucketPolicy',
  'GetBucketPolicyStatus',
  'GetPublicAccessBlock',
  'GetBucketVersioning',
  'GetObjectLockConfiguration',
  'GetBucketLogging',
  'ListBucketInventoryConfigurations',
];

interface InventoryConfig {
  Id?: string;
  IsEnabled?: boolean;
  OptionalFields?: string[];
  Schedule?: { Frequency?: string };
  Destination?: { S3BucketDestination?: { Bucket?: string; Prefix?: string; AccountId?: string; Format?: string } };
}

export function callOf(record: EvidenceRecord, scope: string): ReadCall {
  return {
    operation: record.operation,
    scope,
    outcome: record.outcome,
    ...(record.outcome === 'access_denied' || record.outcome === 'error' ? { errorCode: record.error.code } : {}),
  };
}

/** A read that failed is a gap: the collection would record AccessDenied there. */
export function readCheck(record: EvidenceRecord, scope: string, roleName: string | undefined): Check | undefined {
  if (record.outcome !== 'access_denied' && record.outcome !== 'error') return undefined;
  const [service, op] = record.operation.split(':') as [string, string];
  // Directory-bucket reads share S3's operation names; their actions are s3express's.
  const actions: Record<string, string> = service === 's3express' ? DIRECTORY_IAM_ACTION : IAM_ACTION;
  const action = actions[op];
  return {
    area: 'read',
    scope: `${record.operation} on ${scope}`,
    status: 'gap',
    detail: `${record.error.code}: ${record.error.message}${action ? ` (needs ${action})` : ''}`,
    ...(record.outcome === 'access_denied' && roleName ? { fix: attachReaderPolicy(roleName) } : {}),
  };
}

/** Bucket and key prefix of the first s3:// location of a kind in the tenant's config. */
export function configuredLocation(locations: string[]): { bucket: string; prefix: string } | undefined {
  for (const l of locations) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(l);
    if (m) return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/\/$/, '') };
  }
  return undefined;
}

const MAX_AGE_HOURS: Record<string, number> = { Daily: 48, Weekly: 8 * 24 };

async function latestDelivery(
  s3: S3Client,
  cfg: InventoryConfig,
  bucket: string,
): Promise<{ folder?: string; date?: string; manifest: boolean; location: string }> {
  const dest = cfg.Destination!.S3BucketDestination!;
  const destBucket = (dest.Bucket ?? '').replace(/^arn:aws[a-z-]*:s3:::/, '');
  const prefix = dest.Prefix ? `${dest.Prefix.replace(/\/$/, '')}/` : '';
  const tree = s3Tree(s3, `s3://${destBucket}/${prefix}`);
  const base = `${bucket}/${cfg.Id}/`;
  const dated = (await tree.listChildren(base))
    .map((f) => ({ folder: f, date: reportFolderDate(f) }))
    .filter((x) => x.date)
    .sort((a, b) => a.date!.localeCompare(b.date!));
  const last = dated.at(-1);
  if (!last) return { manifest: false, location: tree.locate(base) };
  let manifest = false;
  for await (const e of tree.list(`${base}${last.folder}/manifest.json`))
    if (e.path.endsWith('/manifest.json')) manifest = true;
  return { folder: last.folder, date: last.date!, manifest, location: tree.locate(`${base}${last.folder}/`) };
}

export async function inventoryCheck(args: {
  record: EvidenceRecord;
  bucket: string;
  region: string;
  account: string;
  tenant: TenantConfig;
  s3: S3Client;
  now: Date;
}): Promise<Check> {
  const { record, bucket, region, account } = args;
  const scope = `bucket ${bucket}`;
  if (record.outcome !== 'ok')
    return {
      area: 'inventory',
      scope,
      status: 'unknown',
      detail: `inventory configuration unreadable (${record.outcome === 'not_configured' ? 'not configured' : record.error.code})`,
    };
  const configs = (
    (record.response as { InventoryConfigurationList?: InventoryConfig[] }).InventoryConfigurationList ?? []
  ).filter((c) => c.IsEnabled !== false);
  const target = configuredLocation(args.tenant.sources.inventory);
  const withStatus = configs.filter((c) => c.OptionalFields?.includes('EncryptionStatus'));
  if (withStatus.length === 0) {
    const existing = configs[0];
    const dest = existing?.Destination?.S3BucketDestination;
    return {
      area: 'inventory',
      scope,
      status: 'gap',
      detail: existing
        ? `inventory "${existing.Id}" does not include the EncryptionStatus field`
        : 'no enabled S3 Inventory configuration',
      fix: enableInventory({
        bucket,
        region,
        account,
        destinationBucket:
          dest?.Bucket?.replace(/^arn:aws[a-z-]*:s3:::/, '') ?? target?.bucket ?? 'REPLACE-WITH-INVENTORY-BUCKET',
        prefix: dest ? (dest.Prefix ?? '') : (target?.prefix ?? 'inventory'),
        ...(existing?.Id
          ? {
              id: existing.Id,
              extraFields: existing.OptionalFields ?? [],
              frequency: existing.Schedule?.Frequency ?? 'Daily',
            }
          : {}),
      }),
    };
  }
  const readable = withStatus.filter((c) => !isOrcFormat(c.Destination?.S3BucketDestination?.Format ?? ''));
  if (readable.length === 0) {
    const orc = withStatus[0]!;
    const dest = orc.Destination?.S3BucketDestination;
    return {
      area: 'inventory',
      scope,
      status: 'gap',
      detail: `inventory "${orc.Id}": ${ORC_INVENTORY}`,
      fix: enableInventory({
        bucket,
        region,
        account,
        destinationBucket: dest?.Bucket?.replace(/^arn:aws[a-z-]*:s3:::/, '') ?? 'REPLACE-WITH-INVENTORY-BUCKET',
        prefix: dest?.Prefix ?? '',
        id: orc.Id ?? 's3-evidence-encryption',
        extraFields: orc.OptionalFields ?? [],
        frequency: orc.Schedule?.Frequency ?? 'Daily',
      }),
    };
  }
  const problems: string[] = [];
  for (const cfg of readable) {
    const frequency = cfg.Schedule?.Frequency ?? 'Daily';
    try {
      const d = await latestDelivery(args.s3, cfg, bucket);
      if (!d.date) {
        problems.push(`inventory "${cfg.Id}": no report delivered under ${d.location}`);
        continue;
      }
      const ageHours = (args.now.getTime() - Date.parse(d.date)) / 3600_000;
      if (!d.manifest)
        problems.push(`inventory "${cfg.Id}": latest report ${d.folder} has no manifest.json (${d.location})`);
      else if (ageHours > (MAX_AGE_HOURS[frequency] ?? 48))
        problems.push(
          `inventory "${cfg.Id}" (${frequency}): latest report ${d.folder} is ${Math.floor(ageHours / 24)} days old (${d.location})`,
        );
      else
        return {
          area: 'inventory',
          scope,
          status: 'ok',
          detail: `inventory "${cfg.Id}" (${frequency}) with EncryptionStatus; latest report ${d.folder} at ${d.location}`,
        };
    } catch (err) {
      return {
        area: 'inventory',
        scope,
        status: 'unknown',
        detail: `inventory "${cfg.Id}" is configured, but its destination cannot be listed: ${(err as { name?: string }).name ?? ''} ${(err as Error).message} (the reader role needs s3:ListBucket on it)`,
      };
    }
  }
  return {
    area: 'inventory',
    scope,
    status: 'gap',
    detail: `${problems.join('; ')}. A new configuration delivers its first report within 48 hours; check the destination bucket policy allows s3.amazonaws.com to write.`,
  };
}

export function accessLogCheck(args: {
  record: EvidenceRecord;
  bucket: string;
  region: string;
  tenant: TenantConfig;
}): Check {
  const { record, bucket, region } = args;
  const scope = `bucket ${bucket}`;
  if (record.outcome !== 'ok')
    return {
      area: 'access-logs',
      scope,
      status: 'unknown',
      detail: `logging configuration unreadable (${record.outcome === 'not_configured' ? 'not configured' : record.error.code})`,
    };
  const enabled = (record.response as { LoggingEnabled?: { TargetBucket?: string; TargetPrefix?: string } })
    .LoggingEnabled;
  if (enabled?.TargetBucket) {
    return {
      area: 'access-logs',
      scope,
      status: 'ok',
      detail: `server access logs to s3://${enabled.TargetBucket}/${enabled.TargetPrefix ?? ''}`,
    };
  }
  const target = configuredLocation(args.tenant.sources.accessLogs);
  return {
    area: 'access-logs',
    scope,
    status: 'gap',
    detail:
      'server access logging is off: denied uploads over plain HTTP and by anonymous callers are only in these logs',
    fix: enableAccessLogging({
      bucket,
      region,
      targetBucket: target?.bucket ?? 'REPLACE-WITH-LOG-BUCKET',
      targetPrefix: `${target?.prefix ? `${target.prefix}/` : ''}${bucket}/`,
    }),
  };
}

export async function bucketReads(
  source: AccountSource,
  bucket: string,
  region: string,
): Promise<Map<string, EvidenceRecord>> {
  const records = await Promise.all(BUCKET_READS.map((op) => source.bucketCall(op, bucket, region)));
  return new Map(BUCKET_READS.map((op, i) => [op, records[i]!]));
}
