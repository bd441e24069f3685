/** Every readiness check for one tenant account, given working credentials for it. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { AccountConfig, TenantConfig } from '../../config/schema.js';
import { parseKeyReference } from '../../collect/key-reference.js';
import { regionFromLocationConstraint, selectByName, selectByTags } from '../../collect/select-buckets.js';
import { listedBucketRegions } from '../../evidence/listed-region.js';
import type { AccountSource } from '../../collect/source.js';
import type { GetBucketTaggingOutput, ListBucketsOutput } from '../../evidence/aws-shapes.js';
import { readAnswer } from '../../evidence/answers.js';
import { accessLogCheck, bucketReads, callOf, configuredLocation, inventoryCheck, readCheck } from './check-buckets.js';
import { configCheck } from './check-config.js';
import { kmsEventsCheck, readTrails, s3DataCheck } from './check-trails.js';
import type { RegionalClients } from '../../collect/live/clients.js';
import type { Check, ReadCall } from './readiness.js';

export interface AccountCheckArgs {
  tenant: TenantConfig;
  account: AccountConfig;
  source: AccountSource;
  /** For listing inventory destinations: the account's credentials, region redirects followed. */
  treeS3: S3Client;
  governance: RegionalClients;
  now: Date;
}

function roleName(account: AccountConfig): string | undefined {
  return account.roleArn ? /:role\/(?:.*\/)?([^/]+)$/.exec(account.roleArn)?.[1] : undefined;
}

async function bucketRegion(
  source: AccountSource,
  bucket: string,
  listed: string | undefined,
  calls: ReadCall[],
  checks: Check[],
  role: string | undefined,
): Promise<string | undefined> {
  if (listed) return listed;
  const loc = readAnswer(
    await source.bucketCall('GetBucketLocation', bucket, undefined),
    `GetBucketLocation of ${bucket}`,
  );
  calls.push(callOf(loc, `bucket ${bucket}`));
  const gap = readCheck(loc, `bucket ${bucket}`, role);
  if (gap) checks.push(gap);
  return loc.outcome === 'ok'
    ? regionFromLocationConstraint((loc.response as { LocationConstraint?: string | null }).LocationConstraint)
    : undefined;
}

export async function checkAccount(args: AccountCheckArgs): Promise<{ checks: Check[]; calls: ReadCall[] }> {
  const { tenant, account, source, now } = args;
  const checks: Check[] = [];
  const calls: ReadCall[] = [];
  const role = roleName(account);
  const acctScope = `account ${account.id}`;

  const list = readAnswer<ListBucketsOutput>(await source.listBuckets(), 'ListBuckets');
  calls.push(callOf(list, acctScope));
  const listGap = readCheck(list, acctScope, role);
  if (listGap || list.outcome !== 'ok') {
    checks.push(
      listGap ?? {
        area: 'read',
        scope: `s3:ListBuckets on ${acctScope}`,
        status: 'unknown',
        detail: 'ListBuckets gave no list',
      },
    );
    return { checks, calls };
  }

  // Table buckets (S3 Tables) and directory buckets are listed in each of the account's regions; a refusal there is a gap.
  for (const region of [...new Set(account.regions)].sort()) {
    const tables = readAnswer(await source.tablesCall('ListTableBuckets', {}, region), 'ListTableBuckets');
    calls.push(callOf(tables, `${acctScope} ${region}`));
    const gap = readCheck(tables, `${acctScope} ${region}`, role);
    if (gap) checks.push(gap);
    // Directory buckets (S3 Express One Zone), at the Region's s3express-control endpoint.
    const directory = readAnswer(
      await source.directoryCall('ListDirectoryBuckets', undefined, region),
      'ListDirectoryBuckets',
    );
    calls.push(callOf(directory, `${acctScope} ${region}`));
    const directoryGap = readCheck(directory, `${acctScope} ${region}`, role);
    if (directoryGap) checks.push(directoryGap);
  }

  // Which buckets belong to the tenant: name patterns, then tags.
  const selected: Array<{ name: string; region: string }> = [];
  // The same rule as the collection: ListBuckets' region when usable, else GetBucketLocation.
  const listedRegions = listedBucketRegions(list);
  for (const b of list.response.Buckets ?? []) {
    if (!b.Name || !selectByName(b.Name, tenant.buckets).selected) continue;
    const region = await bucketRegion(source, b.Name, listedRegions.get(b.Name), calls, checks, role);
    if (!region) continue;
    if (tenant.buckets.tags.length > 0) {
      const tagging = readAnswer<GetBucketTaggingOutput>(
        await source.bucketCall('GetBucketTagging', b.Name, region),
        `GetBucketTagging of ${b.Name}`,
      );
      calls.push(callOf(tagging, `bucket ${b.Name}`));
      const decision = selectByTags(tagging, tenant.buckets);
      if (decision.selected === 'undecidable') {
        checks.push(
          readCheck(tagging, `bucket ${b.Name}`, role) ?? {
            area: 'read',
            scope: `bucket ${b.Name}`,
            status: 'unknown',
            detail: decision.reason,
          },
        );
        continue;
      }
      if (!decision.selected) continue;
    }
    selected.push({ name: b.Name, region });
  }
  if (selected.length === 0) {
    checks.push({
      area: 'read',
      scope: acctScope,
      status: 'unknown',
      detail: "no bucket of the account matches the tenant's selection (names / tags): nothing to report on",
    });
  }

  // Per bucket: the collection's reads, inventory, access logging; keys named by default encryption.
  const keyRegions = new Map<string, string>();
  for (const b of selected) {
    const reads = await bucketReads(source, b.name, b.region);
    for (const r of reads.values()) {
      calls.push(callOf(r, `bucket ${b.name}`));
      const gap = readCheck(r, `bucket ${b.name}`, role);
      if (gap) checks.push(gap);
    }
    checks.push(
      await inventoryCheck({
        record: reads.get('ListBucketInventoryConfigurations')!,
        bucket: b.name,
        region: b.region,
        account: account.id,
        tenant,
        s3: args.treeS3,
        now,
      }),
    );
    checks.push(accessLogCheck({ record: reads.get('GetBucketLogging')!, bucket: b.name, region: b.region, tenant }));
    const enc = reads.get('GetBucketEncryption')!;
    if (enc.outcome === 'ok') {
      const rules =
        (
          enc.response as {
            ServerSideEncryptionConfiguration?: {
              Rules?: Array<{ ApplyServerSideEncryptionByDefault?: { KMSMasterKeyID?: string } }>;
            };
          }
        ).ServerSideEncryptionConfiguration?.Rules ?? [];
      for (const rule of rules) {
        const key = rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
        if (key && !keyRegions.has(key)) keyRegions.set(key, parseKeyReference(key).region ?? b.region);
      }
    }
  }
  for (const [key, region] of keyRegions) {
    for (const op of ['DescribeKey', 'GetKeyRotationStatus'] as const) {
      const r = await source.keyCall(op, key, region);
      calls.push(callOf(r, `key ${key}`));
      const gap = readCheck(r, `key ${key}`, role);
      if (gap) checks.push(gap);
    }
  }

  // CloudTrail: S3 data events per bucket, KMS management events per region; AWS Config per region.
  const regions = [...new Set([...account.regions, ...selected.map((b) => b.region), ...keyRegions.values()])].sort();
  const { trails, calls: trailCalls, unreadable } = await readTrails(args.governance, regions);
  calls.push(...trailCalls);
  const logBucket = configuredLocation(tenant.sources.cloudTrail)?.bucket ?? 'REPLACE-WITH-TRAIL-BUCKET';
  for (const b of selected)
    checks.push(s3DataCheck({ bucket: b.name, region: b.region, trails, unreadable, logBucket }));
  for (const region of regions) checks.push(kmsEventsCheck({ region, trails, unreadable, logBucket }));
  for (const region of regions) {
    const { check, calls: c } = await configCheck(args.governance, account.id, region);
    checks.push(check);
    calls.push(...c);
  }
  return { checks, calls };
}
