/** Directory buckets (S3 Express One Zone) in the packet: what was listed where, each bucket's encryption and policy. */
import type { RegionalListingResult } from './regional-listing.js';

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

export interface DirectoryBucketsSection {
  regions: RegionalListingResult[];
  buckets: DirectoryBucketResult[];
}
