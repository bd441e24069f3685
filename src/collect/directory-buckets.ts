import type { TenantConfig } from '../config/schema.js';
import type {
  GetBucketEncryptionOutput,
  GetBucketPolicyOutput,
  ListDirectoryBucketsOutput,
} from '../evidence/aws-shapes.js';
import type { DirectoryBucketRegionEvidence } from '../evidence/directory-buckets.js';
import { evidencePaths, safeSegment, type EvidenceWriter } from '../evidence/evidence-store.js';
import type { FiledRecord } from '../evidence/record.js';
import type { KeyReads } from './key-reads.js';
import { selectByName } from './select-buckets.js';
import type { AccountSource, DirectoryOperation } from './source.js';

const FILE: Record<DirectoryOperation, string> = {
  ListDirectoryBuckets: 'list-directory-buckets.json',
  GetBucketEncryption: 'get-bucket-encryption.json',
  GetBucketPolicy: 'get-bucket-policy.json',
};

interface Args {
  tenant: TenantConfig;
  sources: AccountSource[];
  writer: EvidenceWriter;
  /** An SSE-KMS directory bucket's key is read with the others, once. */
  keyReads: KeyReads;
}

/**
 * Every directory bucket (S3 Express One Zone) of the tenant's accounts in their configured regions:
 * ListDirectoryBuckets per region (every page), then per selected bucket its default encryption and
 * bucket policy. A failed list is kept as evidence: the region's directory buckets are then unknown.
 */
export async function collectDirectoryBuckets(args: Args): Promise<DirectoryBucketRegionEvidence[]> {
  const perAccount = await Promise.all(
    args.sources.map(async (source) => {
      const regions = [...new Set(args.tenant.accounts.find((a) => a.id === source.account)?.regions ?? [])].sort();
      return Promise.all(regions.map((region) => collectRegion(source, region, args)));
    }),
  );
  return perAccount.flat();
}

async function collectRegion(
  source: AccountSource,
  region: string,
  args: Args,
): Promise<DirectoryBucketRegionEvidence> {
  const base = `${evidencePaths.account(source.account)}/s3express/${safeSegment(region)}`;
  const read = async <T>(op: DirectoryOperation, bucket?: string) =>
    (await args.writer.writeRecord(
      [base, ...(bucket === undefined ? [] : [safeSegment(bucket)]), FILE[op]].join('/'),
      await source.directoryCall(op, bucket, region),
    )) as FiledRecord<T>;
  const list = await read<ListDirectoryBucketsOutput>('ListDirectoryBuckets');
  const out: DirectoryBucketRegionEvidence = { account: source.account, region, list, buckets: [], excluded: [] };
  if (list.outcome !== 'ok') return out;
  const names = [
    ...new Set((list.response.Buckets ?? []).map((b) => b.Name).filter((n): n is string => typeof n === 'string')),
  ].sort();
  const selection = args.tenant.buckets;
  for (const name of names) {
    const byName = selectByName(name, selection);
    if (!byName.selected) {
      out.excluded.push({ name, reason: byName.reason });
      continue;
    }
    if (selection.tags.length > 0) {
      // Directory bucket tags are not read: membership by tags cannot be decided, so it is not assumed.
      out.excluded.push({
        name,
        reason: 'scope undetermined: the tenant selects buckets by tags, and directory bucket tags are not read',
      });
      continue;
    }
    const [encryption, policy] = await Promise.all([
      read<GetBucketEncryptionOutput>('GetBucketEncryption', name),
      read<GetBucketPolicyOutput>('GetBucketPolicy', name),
    ]);
    if (encryption.outcome === 'ok') {
      const rule =
        encryption.response.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      if (rule?.SSEAlgorithm === 'aws:kms' && rule.KMSMasterKeyID)
        args.keyReads.want(rule.KMSMasterKeyID, source.account, region, name);
    }
    out.buckets.push({ name, account: source.account, region, encryption, policy });
  }
  return out;
}
