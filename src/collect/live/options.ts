import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { CollectionConfig } from '../../config/schema.js';
import { systemClock, type PacerClock } from './request-pacer.js';
import { s3EndpointFromEnvironment } from './configured-endpoint.js';
import type { LoopStalls } from './loop-stalls.js';
import type { LimitFunction } from 'p-limit';

export type LiveService = 's3' | 'kms' | 'sts' | 'config' | 'cloudtrail';

/** The call slots of a process (p-limit per `service|account|region`), shared by the tenants it collects. */
export type CallSlots = Map<string, LimitFunction>;

/** Most calls in flight at once, per account, region and service. */
export type ServiceLimits = Record<LiveService, number>;

/** How much of a tenant's collection proceeds side by side (work items, not calls: calls obey ServiceLimits). */
export interface WorkLimits {
  /** Buckets being read at once per account. */
  buckets: number;
  /** Keys being read at once (all accounts). */
  keys: number;
  /** Resources whose AWS Config history is being read at once per account and region. */
  configHistory: number;
  /** Buckets whose S3 Inventory report is being read at once. */
  inventory: number;
  /** Log files downloaded ahead of the one being parsed, per log location. */
  logFiles: number;
}

/**
 * The one set of defaults for live collection, sized for accounts of 1,000+ buckets: the service
 * limits keep well inside AWS's documented request rates per account and region (S3 bucket
 * configuration reads, KMS's shared 5,500/s cryptographic-and-describe quota, AWS Config's
 * per-account rates), and the SDK's adaptive retry slows a throttled service down.
 */
// CloudTrail: LookupEvents pages follow one another per account and region, paced at 2 requests/s.
export const DEFAULT_LIMITS: ServiceLimits = { s3: 64, kms: 16, sts: 2, config: 8, cloudtrail: 2 };
export const DEFAULT_WORK: WorkLimits = { buckets: 256, keys: 64, configHistory: 16, inventory: 16, logFiles: 8 };
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_TIMEOUT_MS = 30_000;

export interface LiveOptions {
  /** A named profile (`--profile`), read with the SDK's shared-config provider. */
  profile?: string;
  /** Base credentials; overrides the profile and the default chain (tests, embedding). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Endpoint override for every service, e.g. a local test endpoint. */
  endpoint?: string;
  /** S3 path-style addressing; on by default when `endpoint` is set or the environment names one for S3. */
  forcePathStyle?: boolean;
  concurrency?: Partial<ServiceLimits>;
  work?: Partial<WorkLimits>;
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
  /** The clock each account and region's LookupEvents pacing waits on; default the system clock (tests, embedding). */
  pacerClock?: (account: string, region: string) => PacerClock;
  /** Call slots shared with the other tenants of the run (tenants collected side by side); default: the tenant's own. */
  callSlots?: CallSlots;
  /** What tells a hung region from this process's own stalls; default: the watch on this process's event loop (tests). */
  loopStalls?: LoopStalls;
}

export interface ResolvedLiveOptions {
  endpoint?: string;
  forcePathStyle: boolean;
  limits: ServiceLimits;
  work: WorkLimits;
  maxAttempts: number;
  timeoutMs: number;
  defaultRegion: string;
  listBucketsPageSize: number;
  pacerClock: (account: string, region: string) => PacerClock;
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function resolveLiveOptions(opts: LiveOptions): ResolvedLiveOptions {
  return {
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle ?? (opts.endpoint !== undefined || s3EndpointFromEnvironment() !== undefined),
    limits: { ...DEFAULT_LIMITS, ...defined(opts.concurrency) },
    work: { ...DEFAULT_WORK, ...defined(opts.work) },
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    defaultRegion: opts.defaultRegion ?? 'us-east-1',
    listBucketsPageSize: opts.listBucketsPageSize ?? 1000,
    pacerClock: opts.pacerClock ?? (() => systemClock),
  };
}

/**
 * The configuration's `collection` block as live options: the only place the config meets the
 * live collection's settings, so `run`, `doctor` and `--publish` behave alike. Unset values take
 * the defaults above (the schema has none of its own).
 */
export function liveOptionsFromConfig(
  collection: CollectionConfig | undefined,
  extra: Pick<LiveOptions, 'profile' | 'endpoint' | 'defaultRegion' | 'credentials' | 'runId'> = {},
): LiveOptions {
  const c = collection ?? {};
  const concurrency = defined({
    s3: c.concurrency?.s3,
    kms: c.concurrency?.kms,
    sts: c.concurrency?.sts,
    config: c.concurrency?.config,
  });
  const work = defined({
    buckets: c.concurrency?.buckets,
    keys: c.concurrency?.keys,
    configHistory: c.concurrency?.configHistory,
    inventory: c.concurrency?.inventory,
    logFiles: c.concurrency?.logFiles,
  });
  return {
    ...defined(extra),
    concurrency,
    work,
    ...(c.maxAttempts !== undefined ? { maxAttempts: c.maxAttempts } : {}),
    ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
  };
}
