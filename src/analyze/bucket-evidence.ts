import type { BucketEvidence } from '../evidence/bundle.js';
import type { BucketResult } from '../model/packet.js';

/**
 * The files a bucket's result cites, in the order packet.json lists them (`BucketResult.evidence`).
 * Controls name the one they rely on; no one counts positions.
 */
const BUCKET_EVIDENCE = ['encryption', 'policy', 'publicAccessBlock', 'inventory', 'location', 'tagging'] as const;

type BucketEvidenceName = (typeof BUCKET_EVIDENCE)[number];

/**
 * `BucketResult.evidence` for a bucket's evidence. `regionFile` is cited for the region when no
 * GetBucketLocation was read: the account's list-buckets.json, whose BucketRegion gave it.
 */
export function bucketEvidenceFiles(b: BucketEvidence, regionFile: string): string[] {
  return BUCKET_EVIDENCE.map((name) => (name === 'location' ? (b.location?.file ?? regionFile) : b[name].file));
}

/** The file of a bucket's result that holds `name`'s answer. */
export function bucketEvidence(b: BucketResult, name: BucketEvidenceName): string {
  const file = b.evidence[BUCKET_EVIDENCE.indexOf(name)];
  if (file === undefined) throw new Error(`bucket ${b.name} cites no ${name} evidence`);
  return file;
}
