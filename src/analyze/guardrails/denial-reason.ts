import type { DenialReason } from '../../model/log-sections.js';
import type { AccessLogDeniedUpload } from '../../evidence/log-scans.js';
import type { CloudTrailDeniedUpload } from '../../evidence/log-scans.js';

/**
 * Parts of a multipart upload never carry the SSE header (it is given once, on
 * CreateMultipartUpload), so a refused part says nothing about the header.
 */
const NO_SSE_HEADER_EXPECTED: ReadonlySet<string> = new Set([
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
]);

/**
 * Why CloudTrail's refused upload was refused. Plain HTTP comes first: a TLS-only statement
 * denies the request whatever its headers. Then the header: absent → sse_header_missing;
 * present → sse_value_not_allowed (the request named an encryption the bucket does not accept).
 * A part of a multipart upload over TLS is `other`.
 */
export function reasonFromCloudTrail(denied: CloudTrailDeniedUpload): DenialReason {
  if (denied.transport === 'plain') return 'plain_http';
  if (NO_SSE_HEADER_EXPECTED.has(denied.eventName)) return 'other';
  return denied.sseHeader === null ? 'sse_header_missing' : 'sse_value_not_allowed';
}

/**
 * The access log shows plain HTTP (Cipher Suite and TLS version both `-`) but records no
 * request headers: anything else is `undetermined`. Lines older than the TLS fields are too.
 */
export function reasonFromAccessLog(denied: AccessLogDeniedUpload): DenialReason {
  if (denied.hasTlsFields && denied.cipherSuite === null && denied.tlsVersion === null) return 'plain_http';
  return 'undetermined';
}

/** One request seen by both: plain HTTP from either wins, then CloudTrail's finer reason. */
export function mergedReason(
  fromAccessLog: DenialReason | undefined,
  fromCloudTrail: DenialReason | undefined,
): DenialReason {
  if (fromAccessLog === 'plain_http' || fromCloudTrail === 'plain_http') return 'plain_http';
  return fromCloudTrail ?? fromAccessLog ?? 'undetermined';
}
