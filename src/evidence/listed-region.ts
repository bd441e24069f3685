import type { ListBucketsOutput } from './aws-shapes.js';
import type { EvidenceRecord } from './record.js';

/** An AWS region code as S3 names one (us-east-1, ap-southeast-2, us-gov-west-1). */
const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Each bucket's region as s3:ListBuckets gave it (`BucketRegion`), for the buckets whose answer holds
 * a usable one: for those, the list is the region's evidence and GetBucketLocation need not be asked.
 * A bucket is left out when its region is absent (an older answer), empty or garbled, or when it is
 * listed twice with different regions; a failed list gives none. Its region is then still to be
 * read, never guessed.
 */
export function listedBucketRegions(listBuckets: EvidenceRecord<ListBucketsOutput>): Map<string, string> {
  const regions = new Map<string, string>();
  if (listBuckets.outcome !== 'ok') return regions;
  const unusable = new Set<string>();
  for (const b of listBuckets.response.Buckets ?? []) {
    if (typeof b.Name !== 'string' || unusable.has(b.Name)) continue;
    const region = b.BucketRegion;
    const seen = regions.get(b.Name);
    if (typeof region !== 'string' || !REGION_CODE.test(region) || (seen !== undefined && seen !== region)) {
      unusable.add(b.Name);
      regions.delete(b.Name);
      continue;
    }
    regions.set(b.Name, region);
  }
  return regions;
}
