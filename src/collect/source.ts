import type { EvidenceRecord } from '../evidence/record.js';
import type { ListAliasesOutput, ListBucketsOutput } from '../evidence/aws-shapes.js';

/** Per-bucket reads; the names are the S3 API operation names. */
export type BucketOperation =
  'GetBucketLocation' | 'GetBucketTagging' | 'GetBucketEncryption' | 'GetBucketPolicy' | 'GetPublicAccessBlock';

export type KeyOperation = 'DescribeKey' | 'GetKeyRotationStatus' | 'GetKeyPolicy';

/** Further per-bucket reads, filed under `BucketEvidence.extra` (keyed by operation name). */
export const BUCKET_EXTRA_OPERATIONS = [
  'GetBucketPolicyStatus',
  'GetBucketLogging',
  'ListBucketInventoryConfigurations',
  'GetBucketVersioning',
  'GetObjectLockConfiguration',
] as const;
export type BucketExtraOperation = (typeof BUCKET_EXTRA_OPERATIONS)[number];

/** S3 Tables reads: `ListTableBuckets` is per region, the others name a table bucket (and a table). */
export type TablesOperation =
  'ListTableBuckets' | 'GetTableBucketEncryption' | 'ListNamespaces' | 'ListTables' | 'GetTableEncryption';

/** Parameters of an S3 Tables read, as the API names them. */
export interface TablesParameters {
  tableBucketARN?: string;
  namespace?: string;
  name?: string;
}

/** Directory-bucket (S3 Express One Zone) reads at the Regional s3express-control endpoint. */
export type DirectoryOperation = 'ListDirectoryBuckets' | 'GetBucketEncryption' | 'GetBucketPolicy';

/** The IAM action of each directory-bucket read: the s3express namespace, not s3's. */
export const DIRECTORY_IAM_ACTION: Record<DirectoryOperation, string> = {
  ListDirectoryBuckets: 's3express:ListAllMyDirectoryBuckets',
  GetBucketEncryption: 's3express:GetEncryptionConfiguration',
  GetBucketPolicy: 's3express:GetBucketPolicy',
};

/** Further per-key reads, filed under `KeyEvidence.extra` (keyed by operation name). */
export type KeyExtraOperation = 'ListResourceTags';

/**
 * Where one account's S3 and KMS evidence comes from: live API calls or an AWS CLI export.
 * Every method resolves to an evidence record, never throws for an AWS-side failure.
 */
export interface AccountSource {
  readonly account: string;
  readonly mode: 'offline' | 'live';
  listBuckets(): Promise<EvidenceRecord<ListBucketsOutput>>;
  bucketCall(
    operation: BucketOperation | BucketExtraOperation,
    bucket: string,
    region: string | undefined,
  ): Promise<EvidenceRecord>;
  listAliases(region: string): Promise<EvidenceRecord<ListAliasesOutput>>;
  /** `keyId` is a key id, key ARN, alias name or alias ARN; `region` the key's region. */
  keyCall(operation: KeyOperation | KeyExtraOperation, keyId: string, region: string): Promise<EvidenceRecord>;
  /** One S3 Tables read in `region`; list operations return every page merged into one answer. */
  tablesCall(operation: TablesOperation, parameters: TablesParameters, region: string): Promise<EvidenceRecord>;
  /** One directory-bucket read in `region` (`bucket` for all but ListDirectoryBuckets, whose pages are merged). */
  directoryCall(operation: DirectoryOperation, bucket: string | undefined, region: string): Promise<EvidenceRecord>;
}

/** The IAM action recorded for an operation, e.g. GetBucketEncryption -> s3:GetEncryptionConfiguration. */
export const IAM_ACTION: Record<
  | BucketOperation
  | BucketExtraOperation
  | KeyOperation
  | KeyExtraOperation
  | TablesOperation
  | 'ListBuckets'
  | 'ListAliases'
  | 'ListObjectsV2'
  | 'GetObject',
  string
> = {
  ListBuckets: 's3:ListAllMyBuckets',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketTagging: 's3:GetBucketTagging',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetBucketPolicy: 's3:GetBucketPolicy',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketLogging: 's3:GetBucketLogging',
  ListBucketInventoryConfigurations: 's3:GetInventoryConfiguration',
  GetBucketVersioning: 's3:GetBucketVersioning',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  // Inventory / log trees in their destination buckets.
  ListObjectsV2: 's3:ListBucket',
  GetObject: 's3:GetObject',
  ListAliases: 'kms:ListAliases',
  DescribeKey: 'kms:DescribeKey',
  GetKeyRotationStatus: 'kms:GetKeyRotationStatus',
  GetKeyPolicy: 'kms:GetKeyPolicy',
  ListResourceTags: 'kms:ListResourceTags',
  ListTableBuckets: 's3tables:ListTableBuckets',
  GetTableBucketEncryption: 's3tables:GetTableBucketEncryption',
  ListNamespaces: 's3tables:ListNamespaces',
  ListTables: 's3tables:ListTables',
  GetTableEncryption: 's3tables:GetTableEncryption',
};
