/** Directory buckets (S3 Express One Zone) in the packet: what was listed where, each bucket's encryption and policy. */

/** A directory bucket's default encryption as read; unreadable is never taken for encrypted. */
export type DirectoryEncryption =
  | { state: 'read'; mode: 'SSE-S3' | 'SSE-KMS'; kmsKeyId?: string; bucketKeyEnabled: boolean }
  | { state: 'unreadable'; errorCode: string; message: string };

/** The bucket policy as recorded: how many statements, none, or why it could not be read. */
export type DirectoryPolicy =
  | { state: 'present'; statements: number }
  | { state: 'none' }
  | { state: 'unparsable' }
  | { state: 'unreadable'; errorCode: string; message: string };

export interface DirectoryBucketResult {
  name: string;
  account: string;
  region: string;
  /** The Availability Zone (or Local Zone) id from the name, e.g. euw1-az1. */
  zoneId?: string;
  encryption: DirectoryEncryption;
  /** The SSE-KMS key's ARN and alias, when the key reads resolved them. */
  kmsKeyArn?: string;
  keyAlias?: string;
  policy: DirectoryPolicy;
  /** The tenant's expectation matching the name (as for general purpose buckets). */
  expectation: {
    requiredMode: 'any' | 'SSE-S3' | 'SSE-KMS' | 'DSSE-KMS';
    allowedKmsKeys: string[];
    source: string;
  };
  evidence: string[];
}

/** One account and region's ListDirectoryBuckets: read (with its count), or why not. */
interface DirectoryBucketRegion {
  account: string;
  region: string;
  listed: boolean;
  /** Directory buckets in the tenant's scope there (0 when not listed). */
  inScope: number;
  excluded: Array<{ name: string; reason: string }>;
  /** Not listed: the error code and message. */
  reason?: string;
  evidence: string;
}

export interface DirectoryBucketsSection {
  regions: DirectoryBucketRegion[];
  buckets: DirectoryBucketResult[];
}
