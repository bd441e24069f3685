/**
 * The declarative world the fake AWS endpoint serves: accounts with buckets and keys, the caller's
 * identity, and faults injected per operation / bucket / key.
 */

import type { FakeAthenaService } from './athena.js';

export type Service = 's3' | 's3tables' | 's3express' | 'kms' | 'sts' | 'cloudtrail' | 'config' | 'athena';

interface FakeInventoryConfig {
  id: string;
  /** Destination bucket name (the fake writes it as an ARN, as S3 does). */
  destinationBucket: string;
  prefix?: string;
  frequency?: 'Daily' | 'Weekly';
  fields?: string[];
  enabled?: boolean;
  /** The report format; CSV unless set. */
  format?: 'CSV' | 'Parquet' | 'ORC';
}

export interface FakeBucket {
  name: string;
  region: string;
  /** What ListBuckets reports as BucketRegion: defaults to `region`; null leaves it out. */
  listedRegion?: string | null;
  /** What GetBucketLocation answers, when not derived from `region` (e.g. the legacy "EU"). */
  locationConstraint?: string;
  /** How a request signed for the wrong region is answered (S3 does both, depending on the call). */
  wrongRegionAnswer?: 'PermanentRedirect' | 'AuthorizationHeaderMalformed';
  creationDate?: string;
  encryption?: {
    algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
    kmsKeyId?: string;
    bucketKeyEnabled?: boolean;
    /** BlockedEncryptionTypes of the rule, e.g. ['SSE-C']; absent: the element is left out (SSE-C accepted). */
    blockedEncryptionTypes?: string[];
  };
  /** Bucket policy JSON text. */
  policy?: string;
  policyIsPublic?: boolean;
  publicAccessBlock?: {
    BlockPublicAcls: boolean;
    IgnorePublicAcls: boolean;
    BlockPublicPolicy: boolean;
    RestrictPublicBuckets: boolean;
  };
  logging?: { targetBucket: string; targetPrefix: string };
  inventory?: FakeInventoryConfig[];
  /** Absent: versioning never enabled (S3 then answers an empty VersioningConfiguration). */
  versioning?: 'Enabled' | 'Suspended';
  objectLock?: { mode?: 'GOVERNANCE' | 'COMPLIANCE'; days?: number };
  tags?: Record<string, string>;
  /** Object key -> body. */
  objects?: Record<string, string | Buffer>;
  /** Other accounts allowed to list and read objects (an inventory destination, for example). */
  readableBy?: string[];
  /** Other accounts allowed to PutObject (a publishing bucket, for example). */
  writableBy?: string[];
  /** Filled by PutObject and CompleteMultipartUpload: what each upload sent, keyed by object key. */
  uploads?: Record<string, FakeUpload>;
  /** Multipart uploads begun and neither completed nor aborted, by upload id. */
  multipartUploads?: Record<string, FakeMultipartUpload>;
  /** Upload ids AbortMultipartUpload was called for. */
  abortedUploads?: string[];
}

interface FakeMultipartUpload {
  key: string;
  checksumAlgorithm: string | undefined;
  parts: Map<number, { body: Buffer; etag: string; sha256: Buffer }>;
  headers: Omit<FakeUpload, 'checksumSha256' | 'versionId' | 'parts'>;
}

/** The headers of one PutObject the fake accepted, as S3 would store them with the object. */
interface FakeUpload {
  checksumSha256?: string;
  /** How many parts, for an object uploaded in parts. */
  parts?: number;
  sse?: string;
  sseKmsKeyId?: string;
  objectLockMode?: string;
  objectLockRetainUntil?: string;
  contentType?: string;
  versionId?: string;
}

export interface FakeKey {
  /** Key id (a UUID in AWS). */
  id: string;
  region: string;
  manager?: 'CUSTOMER' | 'AWS';
  aliases?: string[];
  state?: 'Enabled' | 'Disabled' | 'PendingDeletion';
  description?: string;
  /** ISO instant. */
  createdAt?: string;
  rotation?: { enabled: boolean; periodDays?: number; nextRotationDate?: string };
  policy?: string;
  tags?: Record<string, string>;
  /** Accounts whose principals the key policy lets call DescribeKey / GetKeyRotationStatus. */
  grantedTo?: string[];
  /** Where the key material lives (DescribeKey Origin); default AWS_KMS. */
  origin?: 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  /** Imported material: when it expires (ISO instant). */
  validTo?: string;
  customKeyStoreId?: string;
  multiRegion?: { type: 'PRIMARY' | 'REPLICA'; primaryRegion: string };
  /** An asymmetric SIGN_VERIFY key: the fake makes a real key pair and answers Sign / GetPublicKey. */
  signing?: { spec: 'ECC_NIST_P256' | 'RSA_2048' };
}

/** A table bucket's or table's encryption; absent means AES256 (S3 Tables' default). */
export interface FakeTableEncryption {
  algorithm: 'AES256' | 'aws:kms';
  kmsKeyArn?: string;
}

/** An S3 Tables table bucket with its namespaces and tables. */
export interface FakeTableBucket {
  name: string;
  region: string;
  createdAt?: string;
  encryption?: FakeTableEncryption;
  /** Each table's encryption defaults to the bucket's. */
  namespaces?: Array<{ name: string; tables: Array<{ name: string; encryption?: FakeTableEncryption }> }>;
}

/** A directory bucket (S3 Express One Zone); its encryption defaults to SSE-S3, as AWS's does. */
export interface FakeDirectoryBucket {
  /** e.g. acme-hot--euw1-az1--x-s3 */
  name: string;
  region: string;
  createdAt?: string;
  encryption?: { algorithm: 'AES256' | 'aws:kms'; kmsKeyArn?: string };
  policy?: string;
}

/** A CloudTrail trail as DescribeTrails / GetEventSelectors / GetTrailStatus describe it. */
export interface FakeTrail {
  name: string;
  homeRegion: string;
  multiRegion?: boolean;
  organizationTrail?: boolean;
  /** Default true. */
  logging?: boolean;
  s3BucketName: string;
  s3KeyPrefix?: string;
  /** Basic selectors (the SDK's EventSelectors shape); default: management events, read and write. */
  eventSelectors?: Array<{
    ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
    IncludeManagementEvents?: boolean;
    DataResources?: Array<{ Type: string; Values: string[] }>;
    ExcludeManagementEventSources?: string[];
  }>;
  /** Advanced selectors; when present, basic ones are not returned (as in CloudTrail). */
  advancedEventSelectors?: Array<{ Name?: string; FieldSelectors: Array<Record<string, string | string[]>> }>;
}

/** An AWS Config configuration recorder in one region. */
interface FakeConfigRecorder {
  region: string;
  name?: string;
  recording: boolean;
  allSupported?: boolean;
  resourceTypes?: string[];
  lastStatus?: 'Success' | 'Failure' | 'Pending';
}

/** An AWS Config rule and its per-resource verdicts. */
export interface FakeConfigRule {
  region: string;
  name: string;
  /** Managed rule identifier, e.g. S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED. */
  sourceIdentifier: string;
  results?: Array<{
    resourceType: string;
    resourceId: string;
    compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';
    recordedAt?: string;
    annotation?: string;
  }>;
}

/** One configuration item of GetResourceConfigHistory. */
export interface FakeConfigItem {
  region: string;
  resourceType: string;
  resourceId: string;
  captureTime: string;
  status?: string;
  configuration?: string;
  /** Attribute name -> JSON text, as Config records S3 buckets' policy, encryption, public access block. */
  supplementaryConfiguration?: Record<string, string>;
  /** CloudTrail event ids behind the change. */
  relatedEvents?: string[];
}

export interface FakeAccount {
  id: string;
  buckets: FakeBucket[];
  tableBuckets?: FakeTableBucket[];
  directoryBuckets?: FakeDirectoryBucket[];
  keys?: FakeKey[];
  /** The role the tool assumes in this account; absent means AssumeRole is denied. */
  role?: { name: string; externalId?: string };
  trails?: FakeTrail[];
  configRecorders?: FakeConfigRecorder[];
  configRules?: FakeConfigRule[];
  configHistory?: FakeConfigItem[];
  /** CloudTrail event history (what LookupEvents answers), per region; `record` is the full CloudTrail record. */
  cloudTrailEvents?: FakeCloudTrailEvent[];
}

/** One event of an account's CloudTrail event history. */
export interface FakeCloudTrailEvent {
  region: string;
  /** A CloudTrail record; eventID, eventTime, eventName and eventSource are required for LookupEvents. */
  record: Record<string, unknown> & { eventID: string; eventTime: string; eventName: string; eventSource: string };
}

export type FaultAction =
  | { kind: 'error'; code: string; status: number; message?: string }
  | { kind: 'throttle' }
  | { kind: 'latency'; ms: number }
  | { kind: 'hang' }
  /**
   * The process's event loop is blocked for `ms` when the request arrives, then it is answered: the
   * fake runs in the test's process, so this is the client's own process stalling with calls in flight.
   */
  | { kind: 'block-loop'; ms: number }
  /** The connection is dropped before any answer. */
  | { kind: 'reset' }
  /** The real answer's headers and half its body, then the connection is dropped. */
  | { kind: 'truncate' }
  /** The real answer's status and headers with a body of valid syntax and the wrong structure (wrong-shape.ts). */
  | { kind: 'wrong-shape' };

export interface Fault {
  service?: Service;
  operation?: string;
  /** The account the request is signed for. */
  account?: string;
  /** The region the request is signed for. */
  region?: string;
  bucket?: string;
  /** Every bucket whose name starts with this. */
  bucketPrefix?: string;
  /** An object key, or a substring of a KMS KeyId parameter. */
  key?: string;
  /** How many matching requests the fault affects; unlimited when absent. */
  times?: number;
  action: FaultAction;
}

export interface Scenario {
  /** The identity the base credentials belong to. */
  caller: { accessKeyId: string; account: string; arn: string };
  accounts: FakeAccount[];
  faults?: Fault[];
  /** Added to every answer, in ms. */
  latencyMs?: number;
  /** Largest ListObjectsV2 page the fake returns (S3's is 1000), to exercise pagination with few objects. */
  maxKeysCap?: number;
  /** Largest AWS Config page (compliance results, configuration items) the fake returns, to exercise pagination. */
  configPageCap?: number;
  /** Largest S3 Tables list page the fake returns (the API's is 1000), to exercise continuationToken. */
  tablesPageCap?: number;
  /** Regions where S3 Tables answers every signed request UnrecognizedClientException (not offered or not enabled). */
  tablesUnsupportedRegions?: string[];
  /** Amazon Athena (engine: athena): the fake Athena service that executes what it is sent on DuckDB; absent, Athena is not offered. */
  athena?: FakeAthenaService;
  /** Largest ListDirectoryBuckets page the fake returns, to exercise continuation-token. */
  directoryPageCap?: number;
  /** Regions with no s3express-control endpoint (S3 Express One Zone not offered): no HTTP answer at all. */
  directoryUnsupportedRegions?: string[];
  /** Largest LookupEvents page the fake returns (CloudTrail's is 50). */
  lookupPageCap?: number;
}

export function keyArn(account: string, key: FakeKey): string {
  return `arn:aws:kms:${key.region}:${account}:key/${key.id}`;
}
