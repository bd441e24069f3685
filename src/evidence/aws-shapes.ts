/**
 * The parts of AWS responses this tool reads, as the AWS CLI prints them (`--output json`) and as
 * the v3 SDK returns them once serialised to JSON: the same PascalCase field names.
 * Timestamps are ISO strings (or epoch seconds from older CLI versions).
 */
export type Timestamp = string | number;

export interface ListBucketsOutput {
  Buckets?: Array<{ Name?: string; CreationDate?: Timestamp; BucketRegion?: string }>;
  Owner?: { ID?: string; DisplayName?: string };
  ContinuationToken?: string;
}

export interface GetBucketLocationOutput {
  /** null/"" means us-east-1; "EU" means eu-west-1. */
  LocationConstraint?: string | null;
}

interface SseByDefault {
  SSEAlgorithm?: string;
  KMSMasterKeyID?: string;
}

export interface GetBucketEncryptionOutput {
  ServerSideEncryptionConfiguration?: {
    Rules?: Array<{
      ApplyServerSideEncryptionByDefault?: SseByDefault;
      BucketKeyEnabled?: boolean;
      /** Encryption types S3 refuses for new objects ("SSE-C", or "NONE"); absent: none refused. */
      BlockedEncryptionTypes?: { EncryptionType?: string[] };
    }>;
  };
}

export interface GetBucketPolicyOutput {
  /** The policy document as a JSON string, exactly as stored. */
  Policy?: string;
}

export interface GetPublicAccessBlockOutput {
  PublicAccessBlockConfiguration?: {
    BlockPublicAcls?: boolean;
    IgnorePublicAcls?: boolean;
    BlockPublicPolicy?: boolean;
    RestrictPublicBuckets?: boolean;
  };
}

export interface GetBucketTaggingOutput {
  TagSet?: Array<{ Key?: string; Value?: string }>;
}

interface KeyMetadata {
  AWSAccountId?: string;
  KeyId?: string;
  Arn?: string;
  CreationDate?: Timestamp;
  Enabled?: boolean;
  Description?: string;
  KeyUsage?: string;
  KeyState?: string;
  DeletionDate?: Timestamp;
  Origin?: string;
  /** AWS | CUSTOMER */
  KeyManager?: string;
  KeySpec?: string;
  MultiRegion?: boolean;
  MultiRegionConfiguration?: { MultiRegionKeyType?: string; PrimaryKey?: { Arn?: string; Region?: string } };
  /** Imported key material (Origin EXTERNAL): when it expires. */
  ValidTo?: Timestamp;
  ExpirationModel?: string;
  CustomKeyStoreId?: string;
  CloudHsmClusterId?: string;
}

export interface DescribeKeyOutput {
  KeyMetadata?: KeyMetadata;
}

export interface GetKeyRotationStatusOutput {
  KeyRotationEnabled?: boolean;
  KeyId?: string;
  RotationPeriodInDays?: number;
  NextRotationDate?: Timestamp;
  OnDemandRotationStartDate?: Timestamp;
}

export interface GetKeyPolicyOutput {
  Policy?: string;
  PolicyName?: string;
}

export interface ListAliasesOutput {
  Aliases?: Array<{ AliasName?: string; AliasArn?: string; TargetKeyId?: string }>;
}

/** S3 Tables: a table bucket's or table's encryption (AES256, or aws:kms with its key ARN). */
export interface TableEncryptionOutput {
  encryptionConfiguration?: { sseAlgorithm?: string; kmsKeyArn?: string };
}

export interface ListTableBucketsOutput {
  tableBuckets?: Array<{ arn?: string; name?: string; ownerAccountId?: string; type?: string }>;
}

export interface ListNamespacesOutput {
  namespaces?: Array<{ namespace?: string[] }>;
}

export interface ListTablesOutput {
  tables?: Array<{ namespace?: string[]; name?: string; tableARN?: string }>;
}

/** ListDirectoryBuckets (s3express-control): S3's XML leaves the list out when there is none. */
export interface ListDirectoryBucketsOutput {
  Buckets?: Array<{ Name?: string; BucketRegion?: string; CreationDate?: Timestamp }>;
}
