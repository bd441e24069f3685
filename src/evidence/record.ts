/**
 * One evidence record per AWS call (live) or per exported CLI output (offline).
 * A failed call is evidence too: it says what could not be read and why.
 */
export type Outcome = 'ok' | 'not_configured' | 'access_denied' | 'error';

export interface EvidenceError {
  /** AWS error code, e.g. AccessDenied, NoSuchBucketPolicy, TimeoutError. */
  code: string;
  message: string;
  httpStatus?: number;
}

interface RecordBase {
  /** "s3:GetBucketEncryption", "kms:DescribeKey": service and API operation name. */
  operation: string;
  parameters: Record<string, string>;
  account: string;
  region: string;
  /** ISO-8601 UTC instant the response was received (live) or exported (offline). */
  collectedAt: string;
  requestId?: string;
  /** live: this tool called AWS. offline: read from an AWS CLI export at `sourcePath`. */
  source: 'live' | 'offline';
  sourcePath?: string;
}

type OkRecord<T> = RecordBase & { outcome: 'ok'; response: T };
export type FailedRecord = RecordBase & { outcome: Exclude<Outcome, 'ok'>; error: EvidenceError };
export type EvidenceRecord<T = unknown> = OkRecord<T> | FailedRecord;

/** Error codes that mean "this thing is not set up", which is a state, not a failure to read. */
const NOT_CONFIGURED_CODES: ReadonlySet<string> = new Set([
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchBucketPolicy',
  'NoSuchPublicAccessBlockConfiguration',
  'NoSuchTagSet',
  'ObjectLockConfigurationNotFoundError',
  'NoSuchConfiguration',
  'NoSuchLifecycleConfiguration',
  'NoSuchConfigurationRecorderException',
]);

const ACCESS_DENIED_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AllAccessDisabled',
  'UnauthorizedOperation',
  'AuthorizationError',
]);

export function outcomeForErrorCode(code: string): Exclude<Outcome, 'ok'> {
  if (NOT_CONFIGURED_CODES.has(code)) return 'not_configured';
  if (ACCESS_DENIED_CODES.has(code)) return 'access_denied';
  return 'error';
}

/** A record whose file is known: how findings cite their evidence. */
export type FiledRecord<T = unknown> = EvidenceRecord<T> & { file: string };
