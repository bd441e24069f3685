import type { AthenaClient } from '@aws-sdk/client-athena';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { TenantConfig } from '../../config/schema.js';
import type { RunInfo } from '../../evidence/bundle.js';
import type { AccountSource } from '../source.js';
import { liveConfigSource } from '../aws-config/live-config-source.js';
import type { AwsConfigSource } from '../aws-config/source.js';
import { attempt, checkedAnswer, describeAwsError } from './aws-call.js';
import { RegionalClients, s3ClientFor, stsClientFor, athenaClientFor } from './clients.js';
import { assumedRoleCredentials, baseCredentials, roleSessionName } from './credentials.js';
import { CallLimiter } from './limiter.js';
import { KmsEventLookup, type LookupAccount } from './kms-lookup.js';
import { giveUpWithLimiter } from './give-up-client.js';
import { liveAccountSource } from './live-source.js';
import { resolveLiveOptions, type LiveOptions, type ResolvedLiveOptions } from './options.js';

/** The identity each account's evidence was read with, from sts:GetCallerIdentity. */
interface AccountIdentity {
  account: string;
  arn: string;
  roleArn?: string;
  sessionName?: string;
}

export interface LiveSetup {
  sources: AccountSource[];
  /** AWS Config of the same accounts, with the same credentials, limiter and retry settings. */
  configSources: AwsConfigSource[];
  /** The caller's identity (sts:GetCallerIdentity with the base credentials), for RunInfo. */
  identity: NonNullable<RunInfo['identity']>;
  accountIdentities: AccountIdentity[];
  /** Accounts that cannot be read; hand to collectTenant as `missingAccounts`. */
  problems: Array<{ account: string; message: string }>;
  /** For treeFor(location, s3): the first reachable account's credentials, redirects followed. */
  treeS3: S3Client;
  options: ResolvedLiveOptions;
  /** CloudTrail LookupEvents (KMS events) in every readable account and its configured regions. */
  kmsEventLookup: KmsEventLookup;
  /**
   * An Athena client with an account's credentials (engine: athena), in `region`; default the first
   * account that could be read. Undefined when that account cannot be read.
   */
  athenaFor(account: string | undefined, region: string | undefined): AthenaClient | undefined;
  /** Closes every client's sockets. */
  close(): void;
}

function runIdNow(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function failureText(err: unknown): string {
  const { error, requestId } = describeAwsError(err);
  return `${error.code}${error.httpStatus ? ` (HTTP ${error.httpStatus})` : ''}: ${error.message}${requestId ? ` [request id ${requestId}]` : ''}`;
}

async function callerIdentity(sts: STSClient): Promise<{ arn: string; account: string }> {
  const out = checkedAnswer('sts:GetCallerIdentity', await sts.send(new GetCallerIdentityCommand({})));
  return { arn: out.Arn!, account: out.Account! };
}

/**
 * Credentials and an AccountSource for every account of the tenant: the caller's identity from the
 * default chain (or `--profile`), then per account the configured role (with its external ID).
 * An account whose role cannot be assumed is a problem, not a stop.
 */
export async function liveSources(tenant: TenantConfig, options: LiveOptions): Promise<LiveSetup> {
  const opts = resolveLiveOptions(options);
  const runId = options.runId ?? runIdNow();
  const base = baseCredentials(options);
  const limiter = new CallLimiter(opts.limits, options.callSlots, {
    timeoutMs: opts.timeoutMs,
    ...(options.loopStalls ? { stalls: options.loopStalls } : {}),
  });
  const baseSts = stsClientFor(opts, opts.defaultRegion, base);
  const toClose: Array<{ destroy(): void }> = [baseSts];
  const problems: LiveSetup['problems'] = [];
  const sources: AccountSource[] = [];
  const configSources: AwsConfigSource[] = [];
  const accountIdentities: AccountIdentity[] = [];
  const lookupAccounts: LookupAccount[] = [];
  let treeCredentials: AwsCredentialIdentityProvider = base;

  const close = () => toClose.forEach((c) => c.destroy());
  const caller = await attempt(async () =>
    checkedAnswer(
      'sts:GetCallerIdentity',
      await limiter.run('sts', 'caller', opts.defaultRegion, () => baseSts.send(new GetCallerIdentityCommand({}))),
    ),
  );
  if (!caller.ok) {
    const message = `the caller's credentials do not work (sts:GetCallerIdentity failed: ${failureText(caller.cause)})`;
    const treeS3 = giveUpWithLimiter(
      s3ClientFor(opts, opts.defaultRegion, base, { followRegionRedirects: true }),
      limiter,
      's3',
    );
    toClose.push(treeS3);
    return {
      sources,
      configSources,
      identity: { note: message },
      accountIdentities,
      problems: tenant.accounts.map((a) => ({ account: a.id, message })),
      treeS3,
      options: opts,
      kmsEventLookup: new KmsEventLookup(opts, [], limiter),
      athenaFor: () => undefined,
      close,
    };
  }
  const identity = { arn: caller.output.Arn!, account: caller.output.Account! };

  for (const acct of tenant.accounts) {
    let credentials: AwsCredentialIdentityProvider;
    let sessionName: string | undefined;
    if (acct.roleArn) {
      sessionName = roleSessionName(tenant.id, runId);
      const assumed = assumedRoleCredentials({
        sts: baseSts,
        roleArn: acct.roleArn,
        ...(acct.externalId ? { externalId: acct.externalId } : {}),
        sessionName,
      });
      try {
        await limiter.run('sts', 'caller', opts.defaultRegion, () => assumed.first());
      } catch (err) {
        problems.push({ account: acct.id, message: `cannot assume ${acct.roleArn}: ${failureText(err)}` });
        continue;
      }
      credentials = assumed.provider;
    } else if (acct.id === identity.account) {
      credentials = base;
    } else {
      problems.push({
        account: acct.id,
        message: `no roleArn configured, and the caller (${identity.arn}) is in account ${identity.account}, not ${acct.id}`,
      });
      continue;
    }
    const sts = stsClientFor(opts, opts.defaultRegion, credentials);
    toClose.push(sts);
    let used: { arn: string; account: string };
    try {
      used = await limiter.run('sts', acct.id, opts.defaultRegion, () => callerIdentity(sts));
    } catch (err) {
      problems.push({
        account: acct.id,
        message: `credentials for ${acct.id} do not work (sts:GetCallerIdentity: ${failureText(err)})`,
      });
      continue;
    }
    if (used.account !== acct.id) {
      problems.push({
        account: acct.id,
        message: `credentials for ${acct.id} belong to account ${used.account} (${used.arn})`,
      });
      continue;
    }
    accountIdentities.push({
      account: acct.id,
      arn: used.arn,
      ...(acct.roleArn ? { roleArn: acct.roleArn } : {}),
      ...(sessionName ? { sessionName } : {}),
    });
    if (sources.length === 0) treeCredentials = credentials;
    const clients = new RegionalClients(opts, credentials);
    toClose.push(clients);
    sources.push(liveAccountSource({ account: acct.id, clients, limiter, opts }));
    configSources.push(liveConfigSource({ account: acct.id, clients, limiter }));
    lookupAccounts.push({ account: acct.id, regions: acct.regions, credentials });
  }
  const kmsEventLookup = new KmsEventLookup(opts, lookupAccounts, limiter);
  toClose.push(kmsEventLookup);

  // Inventory and log trees are read in whatever region their bucket is: a region given up is given up there too.
  const treeS3 = giveUpWithLimiter(
    s3ClientFor(opts, opts.defaultRegion, treeCredentials, { followRegionRedirects: true }),
    limiter,
    's3',
  );
  toClose.push(treeS3);
  const note = accountIdentities.length
    ? `accounts read as: ${accountIdentities.map((a) => a.arn).join(', ')}`
    : 'no account could be read';
  return {
    sources,
    configSources,
    identity: { ...identity, note },
    accountIdentities,
    problems,
    treeS3,
    options: opts,
    kmsEventLookup,
    athenaFor: (account, region) => {
      const chosen = account === undefined ? lookupAccounts[0] : lookupAccounts.find((a) => a.account === account);
      if (!chosen) return undefined;
      const client = athenaClientFor(opts, region ?? chosen.regions[0] ?? opts.defaultRegion, chosen.credentials);
      toClose.push(client);
      return client;
    },
    close,
  };
}

/**
 * An S3 client for reading inventory / log trees with `treeFor(location, s3)`: follows region
 * redirects itself, since a destination bucket's region is not known in advance.
 */
export function treeS3Client(options: LiveOptions, credentials?: AwsCredentialIdentityProvider): S3Client {
  const opts = resolveLiveOptions(options);
  return s3ClientFor(opts, opts.defaultRegion, credentials ?? baseCredentials(options), {
    followRegionRedirects: true,
  });
}
