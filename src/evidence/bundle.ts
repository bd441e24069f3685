import type { TenantConfig } from '../config/schema.js';
import type { Period } from '../config/period.js';
import type {
  DescribeKeyOutput,
  GetBucketEncryptionOutput,
  GetBucketLocationOutput,
  GetBucketPolicyOutput,
  GetBucketTaggingOutput,
  GetKeyPolicyOutput,
  GetKeyRotationStatusOutput,
  GetPublicAccessBlockOutput,
  ListAliasesOutput,
  ListBucketsOutput,
} from './aws-shapes.js';
import type { InventoryEvidence } from './inventory.js';
import type { FiledRecord } from './record.js';
import type { TableBucketRegionEvidence } from './table-buckets.js';
import type { DirectoryBucketRegionEvidence } from './directory-buckets.js';

/** Who collected the evidence, when and how. Analysis takes its clock from here, never the wall clock. */
export interface RunInfo {
  tool: { name: string; version: string };
  /** ISO-8601 UTC; the packet's "generated" time. */
  startedAt: string;
  mode: 'offline' | 'live';
  configSha256: string;
  /** Who prepares the packet (config `operator`), printed on the page. */
  operator: string;
  /** sts:GetCallerIdentity of the identity used (live), or the exporter's note (offline). */
  identity?: { arn?: string; account?: string; note?: string };
  /** Made before the period ended (`run --provisional`): every page and sheet says PROVISIONAL. */
  provisional?: true;
}

/** The kinds of S3 bucket a tenant's data can live in: general purpose, directory (S3 Express One Zone), table (S3 Tables). */
export type BucketType = 'general_purpose' | 'directory' | 'table';

export interface AccountEvidence {
  id: string;
  /** The account's general purpose buckets (s3:ListBuckets). */
  listBuckets: FiledRecord<ListBucketsOutput>;
  /** kms:ListAliases per region, used to resolve alias references. */
  aliases: Array<FiledRecord<ListAliasesOutput>>;
}

export interface BucketEvidence {
  name: string;
  account: string;
  /** Region resolved from ListBuckets / GetBucketLocation; undefined when unreadable. */
  region?: string;
  /**
   * s3:GetBucketLocation, asked only when the account's ListBuckets answer gave no usable
   * `BucketRegion` for the bucket (evidence/listed-region.ts); absent when it did, and that
   * list-buckets.json is then the region's evidence.
   */
  location?: FiledRecord<GetBucketLocationOutput>;
  tagging: FiledRecord<GetBucketTaggingOutput>;
  encryption: FiledRecord<GetBucketEncryptionOutput>;
  policy: FiledRecord<GetBucketPolicyOutput>;
  publicAccessBlock: FiledRecord<GetPublicAccessBlockOutput>;
  inventory: InventoryEvidence & { file: string };
  /**
   * Further reads keyed by API operation name: GetBucketPolicyStatus, GetBucketLogging,
   * ListBucketInventoryConfigurations, GetBucketVersioning, GetObjectLockConfiguration.
   * Absent in evidence collected before these were read.
   */
  extra?: Record<string, FiledRecord>;
}

export interface KeyEvidence {
  /** The key as it was referenced (ARN, key id, alias name or alias ARN). */
  reference: string;
  /** Who referenced it: bucket names, or "config". */
  referencedBy: string[];
  account: string;
  region: string;
  describe: FiledRecord<DescribeKeyOutput>;
  /** Absent when DescribeKey failed, or for AWS-managed keys where rotation is AWS's. */
  rotation?: FiledRecord<GetKeyRotationStatusOutput>;
  policy?: FiledRecord<GetKeyPolicyOutput>;
  /** Further reads keyed by API operation name (ListResourceTags); customer-managed keys only. */
  extra?: Record<string, FiledRecord>;
}

export interface ExcludedBucket {
  name: string;
  account: string;
  reason: string;
}

export interface EvidenceFile {
  /** Relative to the packet folder, forward slashes. */
  path: string;
  sha256: string;
  size: number;
}

/** Everything analysis needs for one tenant and period, read back from the evidence folder. */
export interface TenantEvidence {
  run: RunInfo;
  tenant: TenantConfig;
  period: Period;
  accounts: AccountEvidence[];
  buckets: BucketEvidence[];
  excludedBuckets: ExcludedBucket[];
  /** Buckets whose tags decide membership and could not be read: named, never excluded, never judged. */
  undeterminedBuckets: ExcludedBucket[];
  keys: KeyEvidence[];
  /** S3 table buckets per account and region; absent in evidence collected before they were read. */
  tableBuckets?: TableBucketRegionEvidence[];
  /** Directory buckets (S3 Express One Zone) per account and region; absent in evidence collected before they were read. */
  directoryBuckets?: DirectoryBucketRegionEvidence[];
  /** Problems that stopped a whole source (e.g. an offline export folder missing). */
  collectionProblems: Array<{ scope: string; message: string }>;
  files: EvidenceFile[];
}
