import { engineFor, type AthenaClientFn } from './sql-engines.js';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Period } from '../config/period.js';
import { DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD, type Config, type TenantConfig } from '../config/schema.js';
import { collectTenant, type CollectProgress, type InventoryReader } from '../collect/collect-tenant.js';
import { collectInventory } from '../collect/inventory/collect-inventory.js';
import { stopIdleScanWorkers } from '../collect/workers/pool.js';
import { stopIdleFileThread } from '../util/background-files.js';
import { reportWindow } from '../collect/inventory/report-window.js';
import { offlineAccountSource, readExportInfo } from '../collect/offline/offline-source.js';
import type { AccountSource } from '../collect/source.js';
import { treeFor } from '../collect/tree/index.js';
import type { RunInfo } from '../evidence/bundle.js';
import type { Packet } from '../model/packet.js';
import type { WrittenEvidence } from '../evidence/written-evidence.js';
import { configuredRoots, locationRecorder } from '../evidence/recorded-locations.js';
import { TOOL } from '../tool.js';
import { analyzeFolder } from './analyze-folder.js';
import { collectLogs, type KmsEventLookupFn } from './collect-logs.js';
import { collectGovernance } from './collect-governance.js';
import { collectAwsConfigEvidence, historyWindow } from './collect-aws-config.js';
import { prefetchingConfigSource, type PrefetchingConfigSource } from '../collect/aws-config/prefetching-source.js';
import { configKeyId, type AwsConfigSource } from '../collect/aws-config/index.js';
import { writeAwsConfigEvidence } from '../evidence/aws-config-evidence.js';
import { writeGovernanceEvidence } from '../evidence/governance-evidence.js';
import { writeLogEvidence } from '../evidence/log-evidence.js';
import { settleRevision } from './revisions.js';
import { DEFAULT_WORK, type WorkLimits } from '../collect/live/options.js';
import { PhaseClock, type PhaseTimings } from './phase-times.js';
import { countingTree, type ProgressEvent, type ProgressPhase, type ProgressSink } from './progress.js';
import { CHECKPOINT_SOURCES, type CheckpointSource, type TenantCheckpoints } from './checkpoints.js';
import { EvidenceWriter, loadEvidence } from '../evidence/evidence-store.js';
import { verifyProblem } from './verify-folder.js';
import { readOwnFile } from '../workspace/own-file.js';
import { MANIFEST_FILE } from '../workspace/manifest.js';
import { readPacket } from './packet-file.js';
import { sha256, sha256File, type HashedFile } from '../util/hash.js';

/** The events of one tenant's run: `emit` fills in tenant and period. */
function progressOf(args: RunTenantArgs): (...events: Array<Omit<ProgressEvent, 'tenant' | 'period'>>) => void {
  const sink = args.onProgress;
  return sink
    ? (...events) => {
        for (const e of events) sink({ tenant: args.tenant.id, period: args.period.label, ...e });
      }
    : () => undefined;
}

/** Runs `fn` as `phase`: its start and end reported, its wall time added to the clock. */
async function inPhase<T>(
  emit: ReturnType<typeof progressOf>,
  phase: ProgressPhase,
  fn: () => Promise<T>,
  end: () => Omit<ProgressEvent, 'tenant' | 'period' | 'phase' | 'state'> = () => ({}),
): Promise<T> {
  emit({ phase, state: 'start' });
  const result = await fn();
  emit({ phase, state: 'end', ...end() });
  return result;
}

export interface TenantRunResult {
  tenant: string;
  period: string;
  folder: string;
  status: Packet['status'];
  complete: boolean;
  missing: number;
  failingControls: number;
  /** Made before the period ended (`--provisional`). */
  provisional?: true;
  /** Where the packet this run replaced was kept, relative to the period folder. */
  earlierRevision?: string;
  /** Wall time per phase (ms) of the run that made this packet; not part of the packet. */
  timings?: PhaseTimings;
  /**
   * Taken up from an interrupted run: `packet` its finished packet (verified), `sources` the
   * checkpointed sources it copied back instead of collecting them; `notices` checkpoints not used.
   */
  resumed?: { packet?: true; sources?: CheckpointSource[]; notices?: string[] };
}

/** Live collection is supplied by the caller (CLI) so this module needs no AWS credentials. */
export interface LiveCollection {
  sources(tenant: TenantConfig): Promise<{
    sources: AccountSource[];
    /** AWS Config of the same accounts; without it, live accounts' Config section reads "not collected". */
    configSources?: AwsConfigSource[];
    identity?: RunInfo['identity'];
    problems: Array<{ account: string; message: string }>;
  }>;
  s3ForTrees(): S3Client;
  /** CloudTrail LookupEvents for KMS events of the accounts `sources` opened (tenants with `sources.cloudTrailLookup`). */
  lookupKmsEvents?: KmsEventLookupFn;
  /** An Athena client for `engine: athena` (sql-engines.ts), with the credentials `sources` opened. */
  athena?: AthenaClientFn;
  /** Releases clients opened for the tenant. */
  close?(): void;
}

export interface RunTenantArgs {
  config: Config;
  configSha256: string;
  tenant: TenantConfig;
  period: Period;
  outDir: string;
  /** Wall clock of the run, used only when no offline export states when it was made. */
  now: Date;
  /** The period has not ended: the packet is stamped PROVISIONAL (the caller decided it may be made). */
  provisional?: boolean;
  live?: LiveCollection;
  /** Work side by side (buckets, keys, AWS Config history, inventory reports, log files); defaults otherwise. */
  work?: Partial<WorkLimits>;
  /** Told of every phase's start, counts and end (see progress.ts); nothing of it enters the packet. */
  onProgress?: ProgressSink;
  /**
   * Checkpoint each source collected under `<out>/<period>/.resume/<tenant>/` and take up what an
   * interrupted run of the same period left there (see checkpoints.ts). The caller clears them when
   * its run is over.
   */
  checkpoints?: TenantCheckpoints;
  /**
   * Told the tenant's packet once it is written (or, taken up from an interrupted run, read back and
   * verified), before it is let go: what the caller keeps of it for later (the run's portfolio).
   */
  onPacket?: (packet: Packet) => void;
}

/** What collection may skip (restored from checkpoints) and where each source collected is checkpointed. */
interface CollectResume {
  restored: ReadonlySet<CheckpointSource>;
  save(source: CheckpointSource, known: ReadonlyMap<string, HashedFile>): Promise<void>;
}

function packetFolder(outDir: string, period: string, tenant: string): string {
  return path.join(outDir, period, tenant);
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * collect → analyze → render → manifest for one tenant, built in a staging folder and moved into
 * place only when every step succeeded: a failure leaves no half-written packet.
 */
export async function runTenant(args: RunTenantArgs): Promise<TenantRunResult> {
  const { tenant, period, config } = args;
  const finalDir = packetFolder(args.outDir, period.label, tenant.id);
  const checkpoints = args.checkpoints;
  const notices: string[] = [];
  if (checkpoints) {
    const finished = await reuseFinishedPacket(checkpoints, finalDir);
    if ('result' in finished) {
      args.live?.close?.();
      args.onPacket?.(finished.packet);
      return finished.result;
    }
    notices.push(...finished.notices);
  }
  const staging = path.join(args.outDir, period.label, `.${tenant.id}.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const clock = new PhaseClock();
  const emit = progressOf(args);
  try {
    const restored = checkpoints ? await clock.time('checkpoint', () => checkpoints.restore(staging)) : undefined;
    notices.push(...(restored?.notices ?? []));
    // The rest is collected as of the interrupted run's clock, so the packet is the one it would have made.
    const runArgs = restored?.runClock ? { ...args, now: new Date(restored.runClock) } : args;
    const resume: CollectResume | undefined = checkpoints
      ? {
          restored: new Set(restored?.sources ?? []),
          // Each source's checkpoint is a phase of its own: at 10,000 buckets the first packs some
          // 100,000 files, seconds the operator would otherwise find in no phase.
          save: (source, known) =>
            clock.time('checkpoint', () =>
              inPhase(emit, 'checkpoint', () => checkpoints.save(source, staging, runArgs.now, known)),
            ),
        }
      : undefined;
    const written = await collectTenantEvidence(runArgs, staging, clock, resume);
    // The scans are over for this tenant: their idle workers go now, not beside the workbook thread,
    // and so does the thread that wrote the evidence files (the rest is written from this thread).
    await stopIdleScanWorkers();
    await stopIdleFileThread();
    emit({ phase: 'analyze', state: 'start' });
    let rendered = false;
    const packet = await analyzeFolder(staging, {
      pageSize: config.pageSize,
      topFindings: config.topFindings,
      written,
      onPhaseTime: (phase, ms) => {
        clock.add(phase, ms);
        // analyze, then render, then the files and manifest are written (packet.json's own write is not a phase of its own here).
        if (phase === 'analyze') emit({ phase: 'analyze', state: 'end' }, { phase: 'render', state: 'start' });
        else if (phase === 'render') {
          rendered = true;
          emit({ phase: 'render', state: 'end' }, { phase: 'write', state: 'start' });
        } else if (rendered) emit({ phase: 'write', state: 'end' });
      },
    });
    // A different earlier packet of the period is kept as a revision (named in the new one's manifest); an identical one stays.
    const revision = await clock.time('write', async () => {
      const settled = await settleRevision({ staging, finalDir, now: args.now });
      if (settled.state === 'unchanged') await rm(staging, { recursive: true, force: true });
      else await rename(staging, finalDir);
      return settled;
    });
    args.onPacket?.(packet);
    // Hashed as it is read: at 10,000 buckets the manifest is some 17 MB, and the packet is still held here.
    if (checkpoints)
      await clock.time('checkpoint', async () =>
        checkpoints.markFinished((await sha256File(path.join(finalDir, MANIFEST_FILE))).sha256),
      );
    const resumed =
      (restored?.sources.length ?? 0) > 0 || notices.length > 0
        ? {
            ...(restored?.sources.length ? { sources: restored.sources } : {}),
            ...(notices.length > 0 ? { notices } : {}),
          }
        : undefined;
    return {
      ...summarise(packet, finalDir),
      ...(revision.state === 'revised' ? { earlierRevision: revision.movedTo } : {}),
      timings: clock.timings(),
      ...(resumed ? { resumed } : {}),
    };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  } finally {
    args.live?.close?.();
  }
}

/**
 * The packet an interrupted run finished for this tenant, if its folder still holds exactly that
 * packet (the manifest recorded) and it verifies; otherwise why it is made again.
 */
async function reuseFinishedPacket(
  checkpoints: TenantCheckpoints,
  finalDir: string,
): Promise<{ result: TenantRunResult; packet: Packet } | { notices: string[] }> {
  const manifestSha256 = await checkpoints.finishedManifest();
  if (manifestSha256 === undefined) return { notices: [] };
  const tenant = path.basename(finalDir);
  // Read as verify reads it: a link is not followed, and a file past the limit is not read whole.
  const manifest = await readOwnFile(finalDir, MANIFEST_FILE).catch(() => undefined);
  if (manifest === undefined || sha256(manifest) !== manifestSha256)
    return { notices: [`${tenant}: the packet the interrupted run finished is no longer in place; it is made again`] };
  const problem = await verifyProblem(finalDir);
  if (problem !== undefined)
    return {
      notices: [`${tenant}: the packet the interrupted run finished does not verify (${problem}); it is made again`],
    };
  const packet = await readPacket(finalDir);
  return { result: { ...summarise(packet, finalDir), resumed: { packet: true } }, packet };
}

/**
 * The collect stage of a run: every source of the tenant (live or offline S3 and KMS, inventory,
 * logs, AWS Config, governance) written into `packetDir`'s evidence/, nothing analysed or rendered.
 * The caller owns the folder and closes `args.live`. Returns what was written, for the analysis.
 */
export async function collectTenantEvidence(
  args: RunTenantArgs,
  packetDir: string,
  clock: PhaseClock = new PhaseClock(),
  resume?: CollectResume,
): Promise<WrittenEvidence> {
  const restored = resume?.restored ?? new Set<CheckpointSource>();
  const { tenant, period, config } = args;
  const work = { ...DEFAULT_WORK, ...args.work };
  const emit = progressOf(args);
  // The baseline, the exceptions register and the earlier months are read before anything is
  // collected, and written with the rest at the end. Verifying the month before re-derives its packet
  // from its evidence and hashes every file: at 10,000 buckets that holds as much memory as the
  // collection itself, and done after the collection, on top of what it holds, it made every monthly
  // run after the first peak at 633 MB where the first peaked at 455 MB.
  const governance = await clock.time('collectGovernance', () =>
    inPhase(emit, 'governance', () => collectGovernance({ config, tenant, period, outDir: args.outDir })),
  );
  const sources: AccountSource[] = [];
  const missingAccounts: Array<{ account: string; message: string }> = [];
  let liveConfig: PrefetchingConfigSource[] | undefined;
  const exportTimes: string[] = [];
  const offlineAccounts = tenant.accounts.filter((a) => a.offlineExport);
  const otherExports = new Map(offlineAccounts.map((a) => [a.id, a.offlineExport!]));
  for (const a of offlineAccounts) {
    const info = await readExportInfo(a.offlineExport!);
    if (info.exportedAt) exportTimes.push(info.exportedAt);
  }
  const exportedAt = exportTimes.sort().at(-1);
  const collectedAt = exportedAt ?? isoSeconds(args.now);
  for (const a of offlineAccounts) {
    sources.push(offlineAccountSource({ account: a.id, folder: a.offlineExport!, collectedAt, otherExports }));
  }
  let identity: RunInfo['identity'] =
    offlineAccounts.length > 0 ? { note: `offline export of ${offlineAccounts.length} account(s)` } : undefined;
  const liveAccounts = tenant.accounts.filter((a) => !a.offlineExport);
  // Every source restored from a checkpoint: nothing is asked of AWS (run.json, with the identity, is restored too).
  const allRestored = CHECKPOINT_SOURCES.every((source) => restored.has(source));
  if (liveAccounts.length > 0 && !allRestored) {
    if (!args.live) {
      for (const a of liveAccounts)
        missingAccounts.push({
          account: a.id,
          message: 'no offline export configured and live collection is not available',
        });
    } else {
      const live = await clock.time('connect', () =>
        inPhase(emit, 'connect', () => args.live!.sources({ ...tenant, accounts: liveAccounts })),
      );
      sources.push(...live.sources);
      // Each selected bucket's AWS Config history is read while the buckets still are (see onBucketSelected).
      liveConfig = live.configSources?.map((c) => prefetchingConfigSource(c, historyWindow(period)));
      missingAccounts.push(...live.problems);
      identity = live.identity ?? identity;
    }
  }
  const run: RunInfo = {
    tool: TOOL,
    startedAt: liveAccounts.length > 0 ? isoSeconds(args.now) : collectedAt,
    mode: liveAccounts.length > 0 ? 'live' : 'offline',
    configSha256: args.configSha256,
    operator: config.operator,
    ...(identity ? { identity } : {}),
    ...(args.provisional ? { provisional: true as const } : {}),
  };
  const writer = new EvidenceWriter(
    packetDir,
    config.configDir ? locationRecorder(config.configDir, configuredRoots(config, args.outDir)) : undefined,
  );
  const needsS3 = tenant.sources.inventory.some((l) => l.startsWith('s3://'));
  const inventoryRead = { files: 0, bytes: 0 };
  const trees = tenant.sources.inventory.map((loc) =>
    countingTree(treeFor(loc, needsS3 ? args.live?.s3ForTrees() : undefined), (bytes, opened) => {
      inventoryRead.bytes += bytes;
      if (opened) inventoryRead.files++;
      emit({ phase: 'inventory', state: 'update', bytes: inventoryRead.bytes });
    }),
  );
  const inventoryWindow = reportWindow(period, {
    maxDaysAfterPeriod: tenant.sources.inventoryMaxDaysAfterPeriod ?? DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD,
    provisional: args.provisional === true,
  });
  const inventoryEngine = engineFor(tenant, 'inventory', args.live?.athena);
  const readInventory: InventoryReader = async ({ bucket, unencryptedCsvPath, unencryptedCsvRelative }) => {
    if (trees.length === 0)
      return {
        bucket,
        status: 'missing',
        cause: 'not_configured',
        reason: 'no S3 Inventory location is configured for this tenant',
      };
    if (inventoryEngine.problem)
      return {
        bucket,
        status: 'unverified',
        reason: inventoryEngine.problem,
        problems: [{ file: tenant.sources.inventory.join(', '), message: inventoryEngine.problem }],
      };
    return collectInventory({
      trees,
      bucket,
      window: inventoryWindow,
      unencryptedCsvPath,
      unencryptedCsvRelative,
      ...(inventoryEngine.engine ? { sql: inventoryEngine.engine } : {}),
    });
  };
  const evidence = restored.has('accounts') ? await loadEvidence(packetDir) : await collectAccounts();
  async function collectAccounts() {
    const collected = await collectTenant({
      tenant,
      period,
      run,
      sources,
      readInventory,
      writer,
      missingAccounts,
      work,
      onProgress: (p: CollectProgress) =>
        emit({ phase: p.phase, state: p.done === 1 ? 'start' : 'update', done: p.done, total: p.total }),
      onBucketSelected: (b) => {
        // Only where the AWS Config phase reads: the account's configured regions.
        const regions = tenant.accounts.find((a) => a.id === b.account)?.regions ?? [];
        if (b.region && regions.includes(b.region))
          liveConfig?.find((c) => c.account === b.account)?.prefetchBucket(b.region, b.name);
      },
      onKeyRead: (k) => {
        // Likewise each key's, by the id the AWS Config phase reads it by, in its account's configured regions.
        const regions = tenant.accounts.find((a) => a.id === k.account)?.regions ?? [];
        const keyId = configKeyId(k);
        if (keyId && regions.includes(k.region))
          liveConfig?.find((c) => c.account === k.account)?.prefetchKey(k.region, keyId);
      },
      onPhaseTime: (phase, ms) => {
        clock.add(phase === 'buckets' ? 'collectBuckets' : phase === 'keys' ? 'collectKeys' : 'collectInventory', ms);
        emit({ phase, state: 'end', ...(phase === 'inventory' ? { bytes: inventoryRead.bytes } : {}) });
      },
    });
    await resume?.save('accounts', writer.written.fileHashes());
    return collected;
  }
  const logsRead = { files: 0, bytes: 0 };
  if (!restored.has('logs')) {
    await clock.time('collectLogs', async () =>
      inPhase(
        emit,
        'logs',
        async () => {
          const logs = await collectLogs({
            tenant,
            period,
            buckets: evidence.buckets.map((b) => b.name),
            prefetch: work.logFiles,
            ...(args.live ? { s3: () => args.live!.s3ForTrees() } : {}),
            ...(args.live?.athena ? { athena: args.live.athena } : {}),
            ...(args.live?.lookupKmsEvents && liveAccounts.length > 0
              ? { lookupKmsEvents: args.live.lookupKmsEvents }
              : {}),
            countTree: (tree) =>
              countingTree(tree, (bytes, opened) => {
                logsRead.bytes += bytes;
                if (opened) logsRead.files++;
                emit({ phase: 'logs', state: 'update', done: logsRead.files, bytes: logsRead.bytes });
              }),
          });
          // The logs are the last source scanned on the workers: they go before the scans' evidence is
          // written (its text and the parse of it read back), not beside it.
          await stopIdleScanWorkers();
          return writeLogEvidence(writer, logs);
        },
        () => ({ done: logsRead.files, bytes: logsRead.bytes }),
      ),
    );
    await resume?.save('logs', writer.written.fileHashes());
  }
  if (!restored.has('awsConfig')) {
    await clock.time('collectConfig', async () =>
      inPhase(emit, 'awsConfig', async () =>
        writeAwsConfigEvidence(
          writer,
          await collectAwsConfigEvidence({
            tenant,
            period,
            evidence,
            writer,
            collectedAt,
            historyConcurrency: work.configHistory,
            ...(liveConfig ? { live: liveConfig } : {}),
            liveProblems: missingAccounts,
            onRegion: (done, total) => emit({ phase: 'awsConfig', state: 'update', done, total }),
          }),
        ),
      ),
    );
    await resume?.save('awsConfig', writer.written.fileHashes());
  }
  await writeGovernanceEvidence(writer, governance.evidence, governance.registerText);
  return writer.written;
}

export function summarise(packet: Packet, folder: string): TenantRunResult {
  return {
    tenant: packet.tenant.id,
    period: packet.period.label,
    folder,
    status: packet.status,
    complete: packet.completeness.complete,
    missing: packet.completeness.missing.length,
    failingControls: packet.controls.filter((c) => c.verdict === 'fail').length,
    ...(packet.provisional ? { provisional: true as const } : {}),
  };
}
