/** S3 table buckets (S3 Tables) in the packet: what was listed where, and each bucket's and table's encryption. */
import type { RegionalListingResult } from './regional-listing.js';

/** A table bucket's or table's encryption as read; unreadable is never taken for encrypted. */
export type TableEncryption =
  | { state: 'read'; mode: 'SSE-S3' | 'SSE-KMS'; kmsKeyArn?: string }
  | { state: 'unreadable'; errorCode: string; message: string };

/**
 * Whether the SSE-KMS key's policy lets maintenance.s3tables.amazonaws.com use it (kms:GenerateDataKey,
 * kms:Decrypt). `unknown`: the key policy was not read, or a condition cannot be decided.
 */
export type MaintenanceKeyAccess =
  | { state: 'allowed'; statements: string[] }
  | { state: 'not_allowed'; actions: string[] }
  | { state: 'denied'; statement: string; action: string }
  | { state: 'unknown'; reason: string };

export interface TableResult {
  /** "<table bucket>/<namespace>/<table>": how controls and findings name it. */
  resource: string;
  namespace: string;
  name: string;
  encryption: TableEncryption;
  /** SSE-KMS tables only. */
  maintenance?: MaintenanceKeyAccess;
  /** The key's alias, when its account lists one. */
  keyAlias?: string;
  evidence: string[];
}

export interface TableBucketResult {
  name: string;
  arn: string;
  account: string;
  region: string;
  /** The bucket's default for new tables. */
  encryption: TableEncryption;
  /** Null when ListNamespaces could not be read. */
  namespaces: number | null;
  /** Absent when ListTables could not be read (`tablesError` says why). */
  tables?: TableResult[];
  tablesError?: string;
  evidence: string[];
}

export interface TableBucketsSection {
  regions: RegionalListingResult[];
  buckets: TableBucketResult[];
}
