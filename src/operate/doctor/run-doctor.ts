/** `s3-evidence doctor`: per tenant and account, can the tool collect a complete packet? Read-only. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AccountConfig, Config, TenantConfig } from '../../config/schema.js';
import { periodFor, previousMonthLabel } from '../../config/period.js';
import { attempt, checkedAnswer, describeAwsError } from '../../collect/live/aws-call.js';
import { RegionalClients, s3ClientFor, stsClientFor } from '../../collect/live/clients.js';
import { assumedRoleCredentials, baseCredentials, roleSessionName } from '../../collect/live/credentials.js';
import { CallLimiter } from '../../collect/live/limiter.js';
import { liveAccountSource } from '../../collect/live/live-source.js';
import { resolveLiveOptions, type LiveOptions, type ResolvedLiveOptions } from '../../collect/live/options.js';
import { TOOL } from '../../tool.js';
import { checkAccount } from './check-account.js';
import { checkOfflineAccounts } from './check-offline.js';
import { configuredLocation } from './check-buckets.js';
import { callerCredentialsFix, deployReaderRole } from './fixes.js';
import { isReady, type AccountReadiness, type Check, type DoctorReport, type TenantReadiness } from './readiness.js';

export interface DoctorArgs {
  tenants: TenantConfig[];
  live: LiveOptions;
  now?: Date;
  /** For offline-export accounts: the config and period (YYYY-MM; default: each tenant's last full month) to check. */
  offline?: { config: Config; period?: string };
}

function failureText(err: unknown): string {
  const { error, requestId } = describeAwsError(err);
  return `${error.code}${error.httpStatus ? ` (HTTP ${error.httpStatus})` : ''}: ${error.message}${requestId ? ` [request id ${requestId}]` : ''}`;
}

function deliveryBuckets(tenant: TenantConfig): string[] {
  const all = [...tenant.sources.inventory, ...tenant.sources.accessLogs, ...tenant.sources.cloudTrail];
  return [...new Set(all.map((l) => configuredLocation([l])?.bucket).filter((b): b is string => Boolean(b)))];
}

function notReadable(account: AccountConfig, check: Check): AccountReadiness {
  return {
    account: account.id,
    ...(account.roleArn ? { roleArn: account.roleArn } : {}),
    ready: false,
    checks: [check],
    calls: [],
  };
}

async function doctorAccount(args: {
  tenant: TenantConfig;
  account: AccountConfig;
  opts: ResolvedLiveOptions;
  base: AwsCredentialIdentityProvider;
  caller: { arn: string; account: string };
  limiter: CallLimiter;
  runId: string;
  now: Date;
}): Promise<AccountReadiness> {
  const { tenant, account, opts, caller } = args;
  const toClose: Array<{ destroy(): void }> = [];
  try {
    let credentials: AwsCredentialIdentityProvider = args.base;
    const roleScope = `account ${account.id}`;
    if (account.roleArn) {
      const sts = stsClientFor(opts, opts.defaultRegion, args.base);
      toClose.push(sts);
      const assumed = assumedRoleCredentials({
        sts,
        roleArn: account.roleArn,
        ...(account.externalId ? { externalId: account.externalId } : {}),
        sessionName: roleSessionName(tenant.id, args.runId),
      });
      try {
        await assumed.first();
      } catch (err) {
        return notReadable(account, {
          area: 'role',
          scope: roleScope,
          status: 'gap',
          detail: `cannot assume ${account.roleArn} as ${caller.arn}: ${failureText(err)}. The role must trust account ${caller.account} with the tenant's external ID, and the caller needs sts:AssumeRole on it. Deploy it in account ${account.id}:`,
          fix: deployReaderRole({
            operatorAccount: caller.account,
            ...(account.externalId ? { externalId: account.externalId } : {}),
            deliveryBuckets: deliveryBuckets(tenant),
            region: account.regions[0] ?? opts.defaultRegion,
          }),
        });
      }
      credentials = assumed.provider;
    } else if (account.id !== caller.account) {
      return notReadable(account, {
        area: 'role',
        scope: roleScope,
        status: 'gap',
        detail: `no roleArn configured, and the caller (${caller.arn}) is in account ${caller.account}, not ${account.id}: add roleArn and externalId to the account in the config, after deploying the role:`,
        fix: deployReaderRole({
          operatorAccount: caller.account,
          deliveryBuckets: deliveryBuckets(tenant),
          region: account.regions[0] ?? opts.defaultRegion,
        }),
      });
    }
    const sts = stsClientFor(opts, opts.defaultRegion, credentials);
    toClose.push(sts);
    const who = await attempt(async () =>
      checkedAnswer('sts:GetCallerIdentity', await sts.send(new GetCallerIdentityCommand({}))),
    );
    if (!who.ok)
      return notReadable(account, {
        area: 'role',
        scope: roleScope,
        status: 'gap',
        detail: `credentials for ${account.id} do not work: ${failureText(who.cause)}`,
      });
    if (who.output.Account !== account.id) {
      return notReadable(account, {
        area: 'role',
        scope: roleScope,
        status: 'gap',
        detail: `credentials for ${account.id} belong to account ${who.output.Account} (${who.output.Arn})`,
      });
    }
    const clients = new RegionalClients(opts, credentials);
    const treeS3 = s3ClientFor(opts, opts.defaultRegion, credentials, { followRegionRedirects: true });
    toClose.push(clients, treeS3);
    const source = liveAccountSource({
      account: account.id,
      clients,
      limiter: args.limiter,
      opts,
      now: () => args.now,
    });
    const roleCheck: Check = {
      area: 'role',
      scope: roleScope,
      status: 'ok',
      detail: account.roleArn ? `assumed ${account.roleArn} as ${who.output.Arn}` : `read as ${who.output.Arn}`,
    };
    const { checks, calls } = await checkAccount({
      tenant,
      account,
      source,
      treeS3,
      governance: clients,
      now: args.now,
    });
    const all = [roleCheck, ...checks];
    return {
      account: account.id,
      ...(account.roleArn ? { roleArn: account.roleArn } : {}),
      identity: who.output.Arn ?? '',
      ready: isReady(all),
      checks: all,
      calls,
    };
  } finally {
    toClose.forEach((c) => c.destroy());
  }
}

export async function runDoctor(args: DoctorArgs): Promise<DoctorReport> {
  const now = args.now ?? new Date();
  const opts = resolveLiveOptions(args.live);
  const base = baseCredentials(args.live);
  const runId =
    args.live.runId ??
    `doctor-${now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`;
  const limiter = new CallLimiter(opts.limits, undefined, { timeoutMs: opts.timeoutMs });
  // Only live accounts need the caller: an offline-only config is checked without credentials.
  const anyLive = args.tenants.some((t) => t.accounts.some((a) => !a.offlineExport));
  const sts = anyLive ? stsClientFor(opts, opts.defaultRegion, base) : undefined;
  const callerCall = sts
    ? await attempt(async () =>
        checkedAnswer('sts:GetCallerIdentity', await sts.send(new GetCallerIdentityCommand({}))),
      )
    : ({ ok: false, cause: undefined } as const);
  sts?.destroy();
  const tenants: TenantReadiness[] = [];
  const caller = callerCall.ok
    ? { arn: callerCall.output.Arn ?? '', account: callerCall.output.Account ?? '' }
    : undefined;
  for (const tenant of args.tenants) {
    const accounts: AccountReadiness[] = [];
    const offline =
      args.offline && tenant.accounts.some((a) => a.offlineExport)
        ? await checkOfflineAccounts({
            config: args.offline.config,
            tenant,
            period: periodFor(args.offline.period ?? previousMonthLabel(now, tenant.timeZone), tenant.timeZone),
            now,
          })
        : [];
    for (const account of tenant.accounts) {
      const checked = offline.find((a) => a.account === account.id);
      if (checked) accounts.push(checked);
      else if (account.offlineExport) {
        accounts.push({
          account: account.id,
          ready: false,
          checks: [
            {
              area: 'read',
              scope: `account ${account.id}`,
              status: 'skipped',
              detail: `offline export ${account.offlineExport}: not checked (no configuration given to doctor)`,
            },
          ],
          calls: [],
        });
      } else if (!caller) {
        accounts.push(
          notReadable(account, {
            area: 'role',
            scope: `account ${account.id}`,
            status: 'gap',
            detail: `the caller's credentials do not work (sts:GetCallerIdentity: ${failureText((callerCall as { cause: unknown }).cause)}). Give the tool the operator identity that may assume the tenants' reader roles:`,
            fix: callerCredentialsFix(),
          }),
        );
      } else {
        accounts.push(await doctorAccount({ tenant, account, opts, base, caller, limiter, runId, now }));
      }
    }
    tenants.push({ tenant: tenant.id, ready: accounts.every((a) => a.ready), accounts });
  }
  return {
    tool: TOOL,
    checkedAt: now.toISOString(),
    ...(caller ? { caller } : {}),
    ready: tenants.every((t) => t.ready),
    tenants,
  };
}
