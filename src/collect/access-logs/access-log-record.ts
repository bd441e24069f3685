/**
 * One S3 server access log record, every documented field, in the order S3 writes them.
 * `null` stands for the log's `-` (unknown, unavailable or not applicable) and for fields an
 * older log vintage does not have. Fields S3 may add later land in `extraFields`.
 */
export interface AccessLogRecord {
  bucketOwner: string | null;
  bucket: string;
  /** ISO-8601 UTC of the bracketed time, e.g. 2026-10-06T00:00:38.000Z. */
  time: string;
  epochMs: number;
  remoteIp: string | null;
  /** Canonical user ID, IAM ARN, or null for unauthenticated requests. */
  requester: string | null;
  requestId: string;
  /** e.g. REST.PUT.OBJECT */
  operation: string;
  /** Decoded from the log's URL encoding; null when the operation takes no key. */
  key: string | null;
  /** As logged, without the quotes, e.g. "PUT /bucket/a%20b.txt HTTP/1.1". */
  requestUri: string | null;
  httpStatus: number | null;
  errorCode: string | null;
  bytesSent: number | null;
  objectSize: number | null;
  totalTimeMs: number | null;
  turnAroundTimeMs: number | null;
  referer: string | null;
  userAgent: string | null;
  versionId: string | null;
  hostId: string | null;
  signatureVersion: string | null;
  cipherSuite: string | null;
  authenticationType: string | null;
  hostHeader: string | null;
  tlsVersion: string | null;
  accessPointArn: string | null;
  aclRequired: string | null;
  sourceRegion: string | null;
  extraFields: string[];
  /** Number of space-separated fields on the line (18 for the oldest vintage, 27 today). */
  fieldCount: number;
}

/** Field names in log order, for CSV headers and messages. */
export const ACCESS_LOG_FIELDS = [
  'bucketOwner',
  'bucket',
  'time',
  'remoteIp',
  'requester',
  'requestId',
  'operation',
  'key',
  'requestUri',
  'httpStatus',
  'errorCode',
  'bytesSent',
  'objectSize',
  'totalTimeMs',
  'turnAroundTimeMs',
  'referer',
  'userAgent',
  'versionId',
  'hostId',
  'signatureVersion',
  'cipherSuite',
  'authenticationType',
  'hostHeader',
  'tlsVersion',
  'accessPointArn',
  'aclRequired',
  'sourceRegion',
] as const;

/** Index of the Cipher Suite / TLS version fields; lines with fewer fields predate them. */
export const CIPHER_SUITE_FIELD = ACCESS_LOG_FIELDS.indexOf('cipherSuite');
export const TLS_VERSION_FIELD = ACCESS_LOG_FIELDS.indexOf('tlsVersion');
/** Bucket owner … User-Agent: a line with fewer fields is not a record. */
export const MINIMUM_FIELDS = ACCESS_LOG_FIELDS.indexOf('userAgent') + 1;
