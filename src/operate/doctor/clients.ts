import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ResolvedLiveOptions } from '../../collect/live/options.js';

/** The IAM action of each CloudTrail / Config operation doctor sends (S3 and KMS ones: IAM_ACTION). */
export const DOCTOR_IAM_ACTION = {
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetEventSelectors: 'cloudtrail:GetEventSelectors',
  GetTrailStatus: 'cloudtrail:GetTrailStatus',
  DescribeConfigurationRecorders: 'config:DescribeConfigurationRecorders',
  DescribeConfigurationRecorderStatus: 'config:DescribeConfigurationRecorderStatus',
} as const;

function settings(opts: ResolvedLiveOptions, region: string, credentials: AwsCredentialIdentityProvider) {
  return {
    region,
    credentials,
    maxAttempts: opts.maxAttempts,
    retryMode: 'adaptive',
    requestHandler: { requestTimeout: opts.timeoutMs, throwOnRequestTimeout: true, connectionTimeout: opts.timeoutMs },
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
  };
}

/** CloudTrail and Config clients per region for one account's credentials, made on first use. */
export class GovernanceClients {
  private readonly trails = new Map<string, CloudTrailClient>();
  private readonly configs = new Map<string, ConfigServiceClient>();

  constructor(
    private readonly opts: ResolvedLiveOptions,
    private readonly credentials: AwsCredentialIdentityProvider,
  ) {}

  cloudtrail(region: string): CloudTrailClient {
    let c = this.trails.get(region);
    if (!c) this.trails.set(region, (c = new CloudTrailClient(settings(this.opts, region, this.credentials))));
    return c;
  }

  config(region: string): ConfigServiceClient {
    let c = this.configs.get(region);
    if (!c) this.configs.set(region, (c = new ConfigServiceClient(settings(this.opts, region, this.credentials))));
    return c;
  }

  destroy(): void {
    for (const c of [...this.trails.values(), ...this.configs.values()]) c.destroy();
  }
}
