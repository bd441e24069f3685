import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

export type LiveService = 's3' | 'kms' | 'sts' | 'config';

/** Most calls in flight at once, per account, region and service. */
export type ServiceLimits = Record<LiveService, number>;

export const DEFAULT_LIMITS: ServiceLimits = { s3: 16, kms: 4, sts: 2, config: 4 };

export interface LiveOptions {
  /** A named profile (`--profile`), read with the SDK's shared-config provider. */
  profile?: string;
  /** Base credentials; overrides the profile and the default chain (tests, embedding). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Endpoint override for every service, e.g. a local test endpoint. */
  endpoint?: string;
  /** S3 path-style addressing; on by default when `endpoint` is set. */
  forcePathStyle?: boolean;
  concurrency?: Partial<ServiceLimits>;
  /** Attempts per call including the first (the SDK's adaptive retry); default 5. */
  maxAttempts?: number;
  /** Per attempt, in ms; default 30 000. */
  timeoutMs?: number;
  /** Identifies the run in the assumed-role session name; default: a timestamp. */
  runId?: string;
  /** Region for ListBuckets, STS and buckets whose region is not yet known; default us-east-1. */
  defaultRegion?: string;
  /** ListBuckets page size (max-buckets); default 1000. */
  listBucketsPageSize?: number;
}

export interface ResolvedLiveOptions {
  endpoint?: string;
  forcePathStyle: boolean;
  limits: ServiceLimits;
  maxAttempts: number;
  timeoutMs: number;
  defaultRegion: string;
  listBucketsPageSize: number;
}

export function resolveLiveOptions(opts: LiveOptions): ResolvedLiveOptions {
  return {
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle ?? opts.endpoint !== undefined,
    limits: { ...DEFAULT_LIMITS, ...opts.concurrency },
    maxAttempts: opts.maxAttempts ?? 5,
    timeoutMs: opts.timeoutMs ?? 30_000,
    defaultRegion: opts.defaultRegion ?? 'us-east-1',
    listBucketsPageSize: opts.listBucketsPageSize ?? 1000,
  };
}
