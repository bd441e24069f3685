/**
 * The rows behind the packet's summaries, for the CSV and workbook exports: computed once, by the same
 * analysis that made the packet, and handed to the renderers (which never read evidence themselves).
 */
import type { KmsCallTally, KmsManagementRecord, PrincipalKind } from '../evidence/log-scans.js';
import type { UnencryptedRecords } from '../evidence/unencrypted-list.js';
import type { DenialReason } from './log-sections.js';

export type { KmsManagementRecord };

/** One refused upload after merging the sources: a row of the denied-uploads export. */
export interface MergedDeniedUpload {
  /** S3 request ID; null only for a CloudTrail record without one (then it cannot be matched). */
  requestId: string | null;
  time: string;
  epochMs: number;
  /** Day in the tenant's zone. */
  day: string;
  bucket: string;
  key: string | null;
  /** In CloudTrail's vocabulary (PutObject, CreateMultipartUpload, …). */
  operation: string;
  principal: string;
  principalKind: PrincipalKind;
  sourceIp: string | null;
  userAgent: string | null;
  reason: DenialReason;
  seenIn: 'access_logs' | 'cloudtrail' | 'both';
  /** The SSE header CloudTrail recorded; undefined when only the access log saw the request. */
  sseHeader?: string | null;
  /** file:line (access log) and file#record (CloudTrail) it was read from. */
  evidence: string[];
}

/** A row of the key-usage export: calls per key, principal, operation, day and bucket. */
export interface KeyUsageRow extends KmsCallTally {
  /** null: no expectation configured for the key. */
  expected: boolean | null;
}

/** The log rows: empty lists for a section that was not collected. */
export interface LogExportRows {
  deniedUploads: readonly MergedDeniedUpload[];
  keyUsage: readonly KeyUsageRow[];
  keyEvents: readonly KmsManagementRecord[];
}

export interface ExportRows extends LogExportRows {
  /**
   * One bucket's unencrypted objects, from the list the packet names (`coverage.unencryptedExport.file`);
   * streamed in runs of records, lists can be long.
   */
  unencryptedObjects(file: string): AsyncIterable<UnencryptedRecords>;
}
