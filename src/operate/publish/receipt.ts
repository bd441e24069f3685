/** What was uploaded where, written beside the manifest (publish-receipt.json, a MANIFEST_COMPANION). */
export const RECEIPT_FILE = 'publish-receipt.json';

export interface PublishedObject {
  /** Path inside the packet folder. */
  path: string;
  key: string;
  size: number;
  /** Base64 SHA-256 sent as x-amz-checksum-sha256 and echoed by S3 after it verified the body. */
  checksumSha256: string;
  etag?: string;
  versionId?: string;
  requestId?: string;
  /** S3 refused to overwrite the key and the object there holds these same bytes (an earlier publish). */
  alreadyThere?: true;
}

export interface PublishReceipt {
  receiptVersion: 1;
  state: 'published' | 'refused_existing' | 'failed';
  bucket: string;
  /** Key prefix of this packet, e.g. "evidence/2026-10/acme/". */
  keyPrefix: string;
  /** sha256 (hex) of the manifest.json that was uploaded. */
  manifestSha256: string;
  sse: { algorithm: 'aws:kms'; kmsKeyId: string };
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; retainUntil: string };
  /** Conditional write: S3 refuses to overwrite an existing object. */
  ifNoneMatch: '*';
  startedAt: string;
  finishedAt: string;
  uploaded: PublishedObject[];
  /** The object S3 refused (different bytes already there) or failed to take, and why; nothing after it was sent. */
  failure?: { path: string; key: string; code: string; message: string; httpStatus?: number; requestId?: string };
}
