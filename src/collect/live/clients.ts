import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ResolvedLiveOptions } from './options.js';

/** Settings every client shares: adaptive retry with bounded attempts, a timeout per attempt. */
function commonConfig(opts: ResolvedLiveOptions, region: string, credentials: AwsCredentialIdentityProvider, maxSockets: number) {
  return {
    region,
    credentials,
    maxAttempts: opts.maxAttempts,
    retryMode: 'adaptive',
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
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function kmsClientFor(opts: ResolvedLiveOptions, region: string, credentials: AwsCredentialIdentityProvider): KMSClient {
  return new KMSClient(commonConfig(opts, region, credentials, opts.limits.kms + 2));
}

export function configClientFor(opts: ResolvedLiveOptions, region: string, credentials: AwsCredentialIdentityProvider): ConfigServiceClient {
  return new ConfigServiceClient(commonConfig(opts, region, credentials, opts.limits.config + 2));
}

export function cloudTrailClientFor(opts: ResolvedLiveOptions, region: string, credentials: AwsCredentialIdentityProvider): CloudTrailClient {
  return new CloudTrailClient(commonConfig(opts, region, credentials, 2));
}

export function stsClientFor(opts: ResolvedLiveOptions, region: string, credentials: AwsCredentialIdentityProvider): STSClient {
  return new STSClient(commonConfig(opts, region, credentials, opts.limits.sts + 2));
}

/** One S3 and one KMS client per region for one set of credentials, made on first use. */
export class RegionalClients {
  private readonly s3ByRegion = new Map<string, S3Client>();
  private readonly kmsByRegion = new Map<string, KMSClient>();

  constructor(
    private readonly opts: ResolvedLiveOptions,
    private readonly credentials: AwsCredentialIdentityProvider,
  ) {}

  s3(region: string): S3Client {
    let c = this.s3ByRegion.get(region);
    if (!c) this.s3ByRegion.set(region, (c = s3ClientFor(this.opts, region, this.credentials)));
    return c;
  }

  kms(region: string): KMSClient {
    let c = this.kmsByRegion.get(region);
    if (!c) this.kmsByRegion.set(region, (c = kmsClientFor(this.opts, region, this.credentials)));
    return c;
  }

  destroy(): void {
    for (const c of [...this.s3ByRegion.values(), ...this.kmsByRegion.values()]) c.destroy();
    this.s3ByRegion.clear();
    this.kmsByRegion.clear();
  }
}
