/**
 * Evidence of a tenant's directory buckets (S3 Express One Zone): per account and region the
 * ListDirectoryBuckets answer (every page), and per selected directory bucket its default encryption
 * and bucket policy, read at the Regional s3express-control endpoint.
 */
import type { GetBucketEncryptionOutput, GetBucketPolicyOutput, ListDirectoryBucketsOutput } from './aws-shapes.js';
import type { FiledRecord } from './record.js';

interface DirectoryBucketEvidence {
  name: string;
  account: string;
  region: string;
  encryption: FiledRecord<GetBucketEncryptionOutput>;
  policy: FiledRecord<GetBucketPolicyOutput>;
}

/** One account and region: the list, and the selected directory buckets read there. */
export interface DirectoryBucketRegionEvidence {
  account: string;
  region: string;
  list: FiledRecord<ListDirectoryBucketsOutput>;
  buckets: DirectoryBucketEvidence[];
  /** Listed directory buckets the tenant's name patterns leave out (or tag selection cannot decide), with why. */
  excluded: Array<{ name: string; reason: string }>;
}

/** How index.json names the files of directory-bucket evidence. */
export interface DirectoryBucketIndex {
  account: string;
  region: string;
  list: string;
  excluded: Array<{ name: string; reason: string }>;
  buckets: Array<{ name: string; encryption: string; policy: string }>;
}

export function directoryBucketIndex(regions: DirectoryBucketRegionEvidence[]): DirectoryBucketIndex[] {
  return regions.map((r) => ({
    account: r.account,
    region: r.region,
    list: r.list.file,
    excluded: r.excluded,
    buckets: r.buckets.map((b) => ({ name: b.name, encryption: b.encryption.file, policy: b.policy.file })),
  }));
}

/** Directory-bucket evidence back from index.json, each record read through `readRecord`. */
export async function readDirectoryBucketIndex(
  index: DirectoryBucketIndex[],
  readRecord: <T>(file: string) => Promise<FiledRecord<T>>,
): Promise<DirectoryBucketRegionEvidence[]> {
  const out: DirectoryBucketRegionEvidence[] = [];
  for (const r of index) {
    const buckets: DirectoryBucketEvidence[] = [];
    for (const b of r.buckets) {
      buckets.push({
        name: b.name,
        account: r.account,
        region: r.region,
        encryption: await readRecord(b.encryption),
        policy: await readRecord(b.policy),
      });
    }
    out.push({ account: r.account, region: r.region, list: await readRecord(r.list), buckets, excluded: r.excluded });
  }
  return out;
}
