import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { checkedAnswer } from './aws-call.js';
import type { LiveOptions } from './options.js';

/** The caller's credentials: explicit ones, a named profile, or the SDK's default chain. */
export function baseCredentials(opts: Pick<LiveOptions, 'credentials' | 'profile'>): AwsCredentialIdentityProvider {
  const given = opts.credentials;
  if (given) return typeof given === 'function' ? given : () => Promise.resolve(given);
  if (opts.profile) return fromIni({ profile: opts.profile });
  return defaultProvider();
}

/** RoleSessionName: the tool, the tenant and the run; at most 64 characters of [\w+=,.@-]. */
export function roleSessionName(tenantId: string, runId: string): string {
  return `s3-evidence-${tenantId}-${runId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Credentials of an assumed role, refreshed shortly before they expire. The first AssumeRole is
 * made by the caller of `first()` so that a refusal is seen (and recorded) up front.
 */
export function assumedRoleCredentials(args: {
  sts: STSClient;
  roleArn: string;
  externalId?: string;
  sessionName: string;
}): {
  provider: AwsCredentialIdentityProvider;
  first: () => Promise<{ credentials: AwsCredentialIdentity; assumedRoleArn?: string }>;
} {
  let current: Promise<AwsCredentialIdentity> | undefined;
  const assume = async () => {
    const out = await args.sts.send(
      new AssumeRoleCommand({
        RoleArn: args.roleArn,
        RoleSessionName: args.sessionName,
        ...(args.externalId ? { ExternalId: args.externalId } : {}),
      }),
    );
    const c = checkedAnswer('sts:AssumeRole', out).Credentials!;
    const credentials: AwsCredentialIdentity = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
    return { credentials, ...(out.AssumedRoleUser?.Arn ? { assumedRoleArn: out.AssumedRoleUser.Arn } : {}) };
  };
  const provider: AwsCredentialIdentityProvider = async () => {
    const held = current ? await current.catch(() => undefined) : undefined;
    if (held && (!held.expiration || held.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS)) return held;
    current = assume().then((r) => r.credentials);
    return current;
  };
  return {
    provider,
    first: async () => {
      const r = await assume();
      current = Promise.resolve(r.credentials);
      return r;
    },
  };
}
