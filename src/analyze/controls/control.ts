import type { BucketResult, KeyResult } from '../../model/packet.js';
import type { Verdict } from '../../model/shared.js';
import type { DirectoryBucketResult } from '../../model/directory-buckets.js';
import type { TableBucketResult } from '../../model/table-buckets.js';

/** What controls judge: the per-bucket and per-key facts derived from evidence. */
export interface ControlFacts {
  buckets: BucketResult[];
  keys: KeyResult[];
  /** S3 table buckets in scope (none in evidence collected before they were read). */
  tableBuckets?: TableBucketResult[];
  /** Directory buckets (S3 Express One Zone) in scope (none in evidence collected before they were read). */
  directoryBuckets?: DirectoryBucketResult[];
}

export interface Judgement {
  resource: string;
  verdict: Verdict;
  /** One sentence; for not_evaluated it says what could not be read. */
  reason: string;
  evidence: string[];
  /** Values the finding template may use (e.g. counts, sizes, dates). */
  facts?: Record<string, unknown>;
}

export interface Control {
  /** Equals the folder name and the `id` in control.yaml. */
  id: string;
  /** What the control is judged over, for the scope line: "buckets", "keys", "tables" or "directory buckets". */
  scope: 'buckets' | 'keys' | 'tables' | 'directory buckets';
  evaluate(facts: ControlFacts): Judgement[];
}
