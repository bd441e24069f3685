/** What the inventory collector writes for one bucket: counts, never judgements. */

export const ENCRYPTION_STATUSES = ['NOT-SSE', 'SSE-S3', 'SSE-C', 'SSE-KMS', 'DSSE-KMS'] as const;
export type EncryptionStatus = (typeof ENCRYPTION_STATUSES)[number];

export interface ObjectTally {
  objects: number;
  /** Sum of the Size column. Safe as a JS number up to 8 PiB. */
  bytes: number;
}

export type TallyByStatus = Record<EncryptionStatus, ObjectTally>;

export interface InventoryDataFile {
  /** Key as the manifest lists it. */
  key: string;
  /** Where it was read from (s3:// URL or path relative to the tree root). */
  location: string;
  expectedMd5: string;
  actualMd5?: string;
  rows: number;
  bytesCompressed: number;
}

export interface InventoryProblem {
  /** The file the problem is in (manifest or data file). */
  file: string;
  line?: number;
  message: string;
}

export interface UnencryptedObjectSample {
  key: string;
  versionId?: string;
  size: number;
  lastModified?: string;
}

export interface InventoryReportRef {
  /** The bucket the inventory describes. */
  bucket: string;
  /** Inventory configuration id (folder name under the source bucket). */
  configId: string;
  /** Report timestamp from its folder name, ISO-8601 UTC, e.g. 2026-10-31T00:00:00Z. */
  reportDate: string;
  /** Where the manifest was read (s3:// URL or local path). */
  manifestLocation: string;
  manifestSha256: string;
  fileFormat: string;
  fileSchema: string[];
  /** The manifest's own creationTimestamp (ms since epoch, as a string in the manifest). */
  creationTimestamp?: string;
}

export type InventoryEvidence =
  | (InventoryReportRef & {
      status: 'ok';
      files: InventoryDataFile[];
      tally: TallyByStatus;
      /** Delete markers are not objects and carry no encryption status; counted apart. */
      deleteMarkers: number;
      /** Rows whose EncryptionStatus column was empty, e.g. older reports; not guessed. */
      unknownStatus: ObjectTally;
      /** Includes noncurrent versions when the report was configured with all versions. */
      includesVersions: boolean;
      /** Full list of NOT-SSE objects, relative to the packet folder. */
      unencryptedExport: { file: string; rows: number };
      /** Largest unencrypted objects, for the PDF and the workbook preview. */
      largestUnencrypted: UnencryptedObjectSample[];
      oldestUnencryptedLastModified?: string;
      /** engine: athena: the queries that counted the report (ids, SQL, data scanned, cost); `files` is then empty. */
      sqlQueries?: SqlQueryEvidence[];
    })
  | (Partial<InventoryReportRef> & {
      bucket: string;
      /** no report for the period exists */
      status: 'missing';
      reason: string;
      /** Why (absent in evidence collected before it was recorded). */
      cause?: InventoryGap;
      /** Report dates that exist but were not used, to make the gap concrete. */
      otherReportDates?: string[];
      /**
       * When no report describes the period: the stale ones nearest it (the newest before, the
       * first after), each with its manifest's location and why it does not count.
       */
      staleReports?: Array<{ configId: string; reportDate: string; location: string; why: string }>;
    })
  | (Partial<InventoryReportRef> & {
      bucket: string;
      /** the report exists but could not be fully read or verified: counts must not be used */
      status: 'unverified';
      reason: string;
      problems: InventoryProblem[];
      sqlQueries?: SqlQueryEvidence[];
    });

/** One query an engine ran for the evidence (engine: athena): its id, SQL, state, data scanned and price. */
export interface SqlQueryEvidence {
  purpose: string;
  queryId: string;
  sql: string;
  state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  dataScannedBytes: number;
  /** $5 per TB scanned (Athena's on-demand price; 10 MB minimum per query), in USD. */
  costUsd: number;
  rows?: number;
}

/**
 * Why a bucket has no report to count: no inventory location configured for the tenant, no report
 * delivered for the bucket, only reports that do not describe the period, or reports configured
 * without the EncryptionStatus field. A report that exists but cannot be read is `unverified`, never one of these.
 */
export type InventoryGap = 'not_configured' | 'not_delivered' | 'stale' | 'no_encryption_status';

export function emptyTally(): TallyByStatus {
  return {
    'NOT-SSE': { objects: 0, bytes: 0 },
    'SSE-S3': { objects: 0, bytes: 0 },
    'SSE-C': { objects: 0, bytes: 0 },
    'SSE-KMS': { objects: 0, bytes: 0 },
    'DSSE-KMS': { objects: 0, bytes: 0 },
  };
}
