import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { S3TablesClient } from '@aws-sdk/client-s3tables';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ResolvedLiveOptions } from './options.js';
import { directoryListShapeCheck } from './directory-list-shape.js';

/** Settings every client shares: adaptive retry with bounded attempts, a timeout per attempt. */
function commonConfig(
  opts: ResolvedLiveOptions,
  region: string,
  credentials: AwsCredentialIdentityProvider,
  maxSockets: number,
) {
  return {
    region,
    credentials,
    maxAttempts: opts.maxAttempts,
    retryMode: 'adaptive',
    // The handler chain is built once per command class, not on every call (each call paid for it).
    cacheMiddleware: true,
    requestHandler: {
      requestTimeout: opts.timeoutMs,
      throwOnRequestTimeout: true,
      connectionTimeout: opts.timeoutMs,
      httpAgent: { keepAlive: true, maxSockets },
      httpsAgent: { keepAlive: true, maxSockets },
    },
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
  };
}

export function s3ClientFor(
  opts: ResolvedLiveOptions,
  region: string,
  credentials: AwsCredentialIdentityProvider,
  extra: { followRegionRedirects?: boolean } = {},
): S3Client {
  return new S3Client({
    ...commonConfig(opts, region, credentials, opts.limits.s3 + 2),
    forcePathStyle: opts.forcePathStyle,
    // Redirects are handled by the live source so the record names the bucket's real region.
    followRegionRedirects: extra.followRegionRedirects ?? false,
    // The SDK's redirect swaps the client's region while a call is redirected: with the handler chain
    // cached, a redirected call that failed left every later call of the client signed for that region.
    ...(extra.followRegionRedirects ? { cacheMiddleware: false } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function kmsClientFor(
  opts: ResolvedLiveOptions,
  region: string,
  credentials: AwsCredentialIdentityProvider,
): KMSClient {
  return new KMSClient(commonConfig(opts, region, credentials, opts.limits.kms + 2));
}

function configClientFor(
  opts: ResolvedLiveOptions,
  region: string,
  credentials: AwsCredentialIdentityProvider,
): ConfigServiceClient {
  return new ConfigServiceClient(commonConfig(opts, region, credentials, opts.limits.config + 2));
}

export function cloudTrailClientFor(
  opts: ResolvedLiveOptions,
  region: string,
  credentials: AwsCredentialIdentityProvider,
): CloudTrailClient {
  return new CloudTrailClient(commonConfig(opts, region, credentials, 2));
}

export function stsClientFor(
  opts: ResolvedLiveOptions,
  region: string,
  credentials: AwsCredentialIdentityProvider,
): STSClient {
  return new STSClient(commonConfig(opts, region, credentials, opts.limits.sts + 2));
}

type Service = 's3' | 's3express' | 's3tables' | 'kms' | 'config' | 'cloudtrail';
type Client = S3Client | S3TablesClient | KMSClient | ConfigServiceClient | CloudTrailClient;

/**
 * The one client cache: one client per service and region for one set of credentials, made on first
 * use (collection, AWS Config and doctor all take theirs from here). `destroy()` closes them all.
 */
export class RegionalClients {
  private readonly made = new Map<string, Client>();

  constructor(
    private readonly opts: ResolvedLiveOptions,
    private readonly credentials: AwsCredentialIdentityProvider,
  ) {}

  private get<T extends Client>(service: Service, region: string, make: () => T): T {
    const key = `${service} ${region}`;
    let c = this.made.get(key) as T | undefined;
    if (!c) this.made.set(key, (c = make()));
    return c;
  }

  s3(region: string): S3Client {
    return this.get('s3', region, () => s3ClientFor(this.opts, region, this.credentials));
  }

  /**
   * Directory buckets (S3 Express One Zone): the S3 client, sent by the SDK to the Regional
   * s3express-control endpoint and signed for s3express. The tool makes only Regional calls, which need
   * no CreateSession; with an endpoint override the SDK cannot tell and would ask for a session first.
   */
  s3express(region: string): S3Client {
    return this.get('s3express', region, () => {
      const client = new S3Client({
        ...commonConfig(this.opts, region, this.credentials, this.opts.limits.s3 + 2),
        forcePathStyle: true,
        disableS3ExpressSessionAuth: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      client.middlewareStack.use(directoryListShapeCheck());
      return client;
    });
  }

  /** S3 Tables (s3tables.<region>.amazonaws.com, REST-JSON); its calls share the S3 limits. */
  s3tables(region: string): S3TablesClient {
    return this.get(
      's3tables',
      region,
      () => new S3TablesClient(commonConfig(this.opts, region, this.credentials, this.opts.limits.s3 + 2)),
    );
  }

  kms(region: string): KMSClient {
    return this.get('kms', region, () => kmsClientFor(this.opts, region, this.credentials));
  }

  config(region: string): ConfigServiceClient {
    return this.get('config', region, () => configClientFor(this.opts, region, this.credentials));
  }

  cloudtrail(region: string): CloudTrailClient {
    return this.get('cloudtrail', region, () => cloudTrailClientFor(this.opts, region, this.credentials));
  }

  destroy(): void {
    for (const c of this.made.values()) c.destroy();
    this.made.clear();
  }
}

/** Athena (engine: athena): few calls, mostly polls; the same retry and timeout manners as the rest. */
export function athenaClientFor(
  opts: ResolvedLiveOptions,
  region: string,
  credentials: AwsCredentialIdentityProvider,
): AthenaClient {
  return new AthenaClient(commonConfig(opts, region, credentials, 4));
}
