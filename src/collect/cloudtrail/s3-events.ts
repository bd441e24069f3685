import type { CloudTrailRecord } from '../../evidence/cloudtrail-record.js';

/** CloudTrail eventNames that write an object or a part of one (the kin of REST.PUT.OBJECT in the access log). */
export const UPLOAD_EVENT_NAMES: ReadonlySet<string> = new Set([
  'PutObject',
  'PostObject',
  'CopyObject',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
]);

/** Object-level S3 calls, for records older than the eventCategory / managementEvent fields. */
export const OBJECT_LEVEL_EVENTS: ReadonlySet<string> = new Set([
  ...UPLOAD_EVENT_NAMES,
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'DeleteObjects',
  'GetObjectAcl',
  'PutObjectAcl',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'AbortMultipartUpload',
  'ListParts',
  'RestoreObject',
  'SelectObjectContent',
  'GetObjectAttributes',
  'PutObjectRetention',
  'PutObjectLegalHold',
  'GetObjectRetention',
  'GetObjectLegalHold',
]);

const SSE_HEADER = 'x-amz-server-side-encryption';

/** Whether an s3.amazonaws.com record is a data event (object-level), not a management event. */
export function isS3DataEvent(r: CloudTrailRecord): boolean {
  if (r.eventCategory !== undefined) return r.eventCategory === 'Data';
  if (r.managementEvent !== undefined) return !r.managementEvent;
  return r.eventName !== undefined && OBJECT_LEVEL_EVENTS.has(r.eventName);
}

/** requestParameters.bucketName, else the bucket named in resources. */
export function bucketOfS3Event(r: CloudTrailRecord): string | null {
  const name = r.requestParameters?.bucketName;
  if (typeof name === 'string' && name.length > 0) return name;
  for (const res of r.resources ?? []) {
    if (res.type === 'AWS::S3::Bucket' && res.ARN) return res.ARN.replace(/^arn:[^:]+:s3:::/, '');
  }
  return null;
}

export function keyOfS3Event(r: CloudTrailRecord): string | null {
  const key = r.requestParameters?.key ?? r.requestParameters?.Key;
  return typeof key === 'string' ? key : null;
}

/** The x-amz-server-side-encryption request header as CloudTrail recorded it (name matched case-insensitively); null when absent. */
export function sseHeaderOf(r: CloudTrailRecord): string | null {
  const params = r.requestParameters;
  if (!params) return null;
  for (const [name, value] of Object.entries(params)) {
    if (name.toLowerCase() === SSE_HEADER) return Array.isArray(value) ? String(value[0] ?? '') : String(value);
  }
  return null;
}

/**
 * How the request travelled, from what CloudTrail records:
 *  - `tls` when tlsDetails names a TLS version or cipher suite, or (S3) additionalEventData.CipherSuite is set;
 *  - `plain` when neither is present in a record of eventVersion 1.08 or later (the version that
 *    introduced tlsDetails, which is written only for requests made over TLS);
 *  - `unknown` for older records, which never carried tlsDetails.
 */
export function transportOf(r: CloudTrailRecord): 'tls' | 'plain' | 'unknown' {
  const tls = r.tlsDetails;
  if (tls && (tls.tlsVersion || tls.cipherSuite)) return 'tls';
  const cipher = r.additionalEventData?.CipherSuite;
  if (typeof cipher === 'string' && cipher !== '' && cipher !== '-') return 'tls';
  return eventVersionAtLeast(r.eventVersion, 1, 8) ? 'plain' : 'unknown';
}

function eventVersionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  if (!version) return false;
  const [ma, mi] = version.split('.').map(Number);
  if (ma === undefined || mi === undefined || Number.isNaN(ma) || Number.isNaN(mi)) return false;
  return ma > major || (ma === major && mi >= minor);
}
