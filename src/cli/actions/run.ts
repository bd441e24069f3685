/** `s3-evidence run`: each selected tenant's packet for one closed period, under the output folder's lock. */
import path from 'node:path';
import pLimit from 'p-limit';
import { loadConfig } from '../../config/load.js';
import { periodFor, periodRefusal, periodTiming, previousMonthLabel, isPeriodLabel } from '../../config/period.js';
import type { Config, TenantConfig } from '../../config/schema.js';
import { UsageError } from '../../errors.js';
import { removeStaleWorkFolders } from '../../operate/stale-work.js';
import { parseShard, shardLabel, tenantsOfShard } from '../../operate/shard.js';
import { TenantCheckpoints } from '../../pipeline/checkpoints.js';
import { runTenant, type LiveCollection, type TenantRunResult } from '../../pipeline/run-tenant.js';
import { packetFigures, type PacketFigures } from '../../model/packet-figures.js';
import type { LiveSetup } from '../../collect/live/index.js';
import {
  liveOptionsFromConfig,
  resolveLiveOptions,
  type CallSlots,
  type LiveOptions,
} from '../../collect/live/options.js';
import { DEFAULT_TENANTS_AT_ONCE } from '../defaults.js';
import { EXIT } from '../exit-codes.js';
import { progressOutput, type ProgressMode, type ProgressOutput } from '../progress-output.js';
import { deliverAfterRun } from './deliver.js';
import { preparePacketOperations, withOutputLock, type RunOperationOptions } from './packet-operations.js';
import { report, tenantFailure, type TenantFailure } from './run-report.js';
import { selectTenants } from './select-tenants.js';

interface CommonOptions {
  config: string;
  period?: string;
  tenant?: string[];
  out: string;
  json?: boolean;
}

function periodLabel(opt: string | undefined, config: Config, now: Date): string {
  if (opt === undefined) return previousMonthLabel(now, config.timeZone);
  if (!isPeriodLabel(opt)) throw new UsageError(`--period "${opt}" is not of the form YYYY-MM`);
  return opt;
}

export interface RunOptions extends CommonOptions, RunOperationOptions {
  provisional?: boolean;
  progress?: ProgressMode;
  /** Nothing for packets that need no attention; no progress. */
  quiet?: boolean;
  /** The demo's own progress output, already open (it reports its preparation too). */
  progressOutput?: ProgressOutput;
  /** The run's clock; the demo passes its own so that it runs the same in any year. */
  now?: Date;
  /** Maps the run's exit code to the command's (the demo's incompleteness is its point); --json reports the result. */
  exitPolicy?: (code: number) => number;
  profile?: string;
  endpointUrl?: string;
  /** `i/n` or `auto/n`: only the tenants of that shard (see operate/shard.ts). */
  shard?: string;
  tenantsAtOnce?: number;
  /** false (--no-resume): ignore what an interrupted run left and collect every source afresh. */
  resume?: boolean;
}

/** Live collection for the tenants whose accounts have no offline export. */
function liveOptionsFor(config: Config, opts: RunOptions): LiveOptions {
  return liveOptionsFromConfig(config.collection, {
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
  });
}

type LiveModule = typeof import('../../collect/live/index.js');

/**
 * Whether a tenant asks anything of AWS: an account without an offline export, or a source read from
 * s3:// (Athena reads s3:// only). A run of offline tenants never loads the AWS SDK (~2 s of start-up).
 */
function asksAws(tenant: TenantConfig): boolean {
  const { inventory, accessLogs, cloudTrail } = tenant.sources;
  return (
    tenant.accounts.some((a) => !a.offlineExport) ||
    [...inventory, ...accessLogs, ...cloudTrail].some((l) => l.startsWith('s3://'))
  );
}

function liveCollection(live: LiveModule, config: Config, opts: RunOptions, callSlots: CallSlots): LiveCollection {
  const { liveSources, treeS3Client } = live;
  const liveOptions = { ...liveOptionsFor(config, opts), callSlots };
  let setup: LiveSetup | undefined;
  return {
    async sources(tenant) {
      setup = await liveSources(tenant, liveOptions);
      return {
        sources: setup.sources,
        configSources: setup.configSources,
        identity: setup.identity,
        problems: setup.problems,
      };
    },
    s3ForTrees: () => setup?.treeS3 ?? treeS3Client(liveOptions),
    lookupKmsEvents: async (period) => (setup ? setup.kmsEventLookup.lookup(period) : []),
    athena: (account, region) => setup?.athenaFor(account, region),
    close: () => setup?.close(),
  };
}

export async function runCommand(opts: RunOptions): Promise<number> {
  // A bad --shard is refused before the configuration is read.
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
  const loaded = await loadConfig(opts.config);
  const now = opts.now ?? new Date();
  const label = periodLabel(opts.period, loaded.config, now);
  const selected = selectTenants(loaded.config, opts.tenant);
  const tenants = shard ? tenantsOfShard(selected, shard) : selected;
  // Closed periods only: an unfinished month needs --provisional; one not begun or too old never runs.
  const periods = new Map(tenants.map((t) => [t.id, periodFor(label, t.timeZone)]));
  const refusals = tenants
    .map((t) =>
      periodRefusal(periods.get(t.id)!, now, {
        provisional: opts.provisional,
        ...(tenants.length > 1 ? { tenant: t.id } : {}),
      }),
    )
    .filter((r): r is string => r !== undefined);
  if (refusals.length > 0) throw new UsageError([...new Set(refusals)].join('\n'));
  const operations = await preparePacketOperations(loaded.config, opts);
  const live = tenants.some(asksAws) ? await import('../../collect/live/index.js') : undefined;
  const tenantsAtOnce = opts.tenantsAtOnce ?? loaded.config.collection?.concurrency?.tenants ?? DEFAULT_TENANTS_AT_ONCE;
  const outDir = path.resolve(opts.out);
  return withOutputLock(
    outDir,
    async (lock) => {
      const notes: string[] = [];
      if (shard)
        notes.push(
          `shard ${shardLabel(shard)}: ${tenants.length} of ${selected.length} tenant(s); the period's portfolio is not written by a shard (run \`s3-evidence portfolio ${path.join(opts.out, label)}\` once every shard is done)`,
        );
      if (lock.replaced)
        notes.push(
          `took over the stale lock of pid ${lock.replaced.pid} on ${lock.replaced.host} (started ${lock.replaced.startedAt})`,
        );
      const own = shard ? new Set(tenants.map((t) => t.id)) : undefined;
      for (const stale of await removeStaleWorkFolders(outDir, undefined, own))
        notes.push(`removed ${stale.folder}, left by pid ${stale.pid}, which no longer runs`);
      const outcomes = new Map<string, { result: TenantRunResult } | { failure: TenantFailure }>();
      const progress = opts.progressOutput ?? progressOutput(opts.quiet ? 'none' : (opts.progress ?? 'auto'));
      // The tenants of one process share the call slots per account and region (see CallLimiter).
      const callSlots: CallSlots = new Map();
      const limit = pLimit(tenantsAtOnce);
      const checkpointsOf = (tenant: string) =>
        TenantCheckpoints.at(outDir, { tenant, period: label, configSha256: loaded.sha256 });
      await Promise.all(
        tenants.map((tenant) =>
          limit(async () => {
            let result: TenantRunResult;
            let figures: PacketFigures | undefined;
            try {
              result = await runTenant({
                config: loaded.config,
                configSha256: loaded.sha256,
                tenant,
                period: periods.get(tenant.id)!,
                outDir,
                now,
                ...(periodTiming(periods.get(tenant.id)!, now) === 'open' ? { provisional: true } : {}),
                ...(live && asksAws(tenant) ? { live: liveCollection(live, loaded.config, opts, callSlots) } : {}),
                work: resolveLiveOptions(liveOptionsFor(loaded.config, opts)).work,
                ...(progress ? { onProgress: progress.sink } : {}),
                ...(opts.resume === false ? {} : { checkpoints: checkpointsOf(tenant.id) }),
                onPacket: (packet) => (figures = packetFigures(packet)),
              });
            } catch (err) {
              // One tenant's failure is that tenant's: the others' packets are still made.
              const failure = tenantFailure(tenant.id, label, err);
              outcomes.set(tenant.id, { failure });
              if (failure.kind === 'unexpected')
                process.stderr.write(
                  `s3-evidence: ${tenant.id}: unexpected failure: ${(err as Error).stack ?? String(err)}\n`,
                );
              return;
            }
            outcomes.set(tenant.id, { result });
            await operations.afterPacket(result, figures);
          }),
        ),
      );
      // Reported in the configuration's order, whichever tenant finished first.
      const results: TenantRunResult[] = [];
      const failures: TenantFailure[] = [];
      for (const t of tenants) {
        const o = outcomes.get(t.id);
        if (o && 'result' in o) results.push(o.result);
        else if (o) failures.push(o.failure);
      }
      // The run is over (not killed): its checkpoints are not taken up again; the next run collects afresh.
      for (const t of tenants) await checkpointsOf(t.id).clear();
      for (const r of results) notes.push(...(r.resumed?.notices ?? []));
      const after = await operations.finish(outDir, label, shard === undefined);
      progress?.close();
      // Deliveries come after every packet is sealed; their failures are reported, never part of the exit code.
      const delivered = await deliverAfterRun(
        loaded.config,
        results.map((r) => r.folder),
        path.join(outDir, label),
        shard === undefined,
      );
      const code = report(
        results,
        opts,
        {
          period: label,
          ...(shard ? { shard: { index: shard.index, count: shard.count, tenants: tenants.map((t) => t.id) } } : {}),
          ...after.summary,
          ...(delivered ? { deliveries: delivered.outcomes } : {}),
          ...(delivered?.problems.length ? { deliveryProblems: delivered.problems } : {}),
          ...(notes.length > 0 ? { notes } : {}),
        },
        failures,
        (c) => (after.failed ? EXIT.unexpected : (opts.exitPolicy ?? ((x: number) => x))(c)),
      );
      // Lock take-overs, signing/publishing and delivery outcomes; --quiet keeps them only when something failed.
      if (!opts.json) {
        if (!opts.quiet || after.failed)
          for (const line of [...notes, ...after.lines]) process.stdout.write(`${line}\n`);
        if (!opts.quiet || delivered?.failed)
          for (const line of delivered?.lines ?? []) process.stdout.write(`${line}\n`);
      }
      return code;
    },
    shard,
  );
}
