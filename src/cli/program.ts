import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig } from '../config/load.js';
import { isPeriodLabel, periodFor, periodRefusal, periodTiming, previousMonthLabel } from '../config/period.js';
import type { Config } from '../config/schema.js';
import { DEMO_PERIOD, DEMO_PREVIOUS_PERIOD, demoExportedAt } from '../demo/generate-demo.js';
import { prepareDemoHistory } from '../demo/demo-history.js';
import { analyzeFolder, renderFolder } from '../pipeline/analyze-folder.js';
import { sha256 } from '../util/hash.js';
import { PACKET_FILE } from '../packet-folder.js';
import { runTenant, summarise, type TenantRunResult } from '../pipeline/run-tenant.js';
import { verifyFolder, verifyMessages } from '../pipeline/verify-folder.js';
import { projectRoot } from '../project-root.js';
import { TOOL } from '../tool.js';
import { readFile } from 'node:fs/promises';
import type { Packet } from '../model/packet.js';
import { readManifest, type RenderSettings } from '../workspace/manifest.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from '../errors.js';
import { ExceptionsFileError } from '../analyze/exceptions/register.js';
import { BaselineFileError } from '../baseline/store.js';
import { removeStaleWorkFolders } from '../operate/stale-work.js';
import { registerBaselineCommands } from './baseline-command.js';
import { requirePacketFolder } from './packet-folders.js';
import { registerSealCommands } from './seal-commands.js';
import { registerPortfolioCommand } from './portfolio-command.js';
import { describeSeal, reviseSealedPacket, SealedPacketError, sealOf, type Seal } from '../operate/sealed-packet.js';
import { EvidenceReadError } from '../evidence/evidence-store.js';
import { deliverAfterRun, registerDeliverCommand } from './deliver-command.js';
import { runtimeNotice } from './runtime.js';
import { parseProgressMode, progressOutput, type ProgressMode, type ProgressOutput } from './progress-output.js';
import {
  liveOptionsFromConfig,
  liveSources,
  resolveLiveOptions,
  treeS3Client,
  type CallSlots,
  type LiveOptions,
  type LiveSetup,
} from '../collect/live/index.js';
import pLimit from 'p-limit';
import { parseShard, shardLabel, tenantsOfShard } from '../operate/shard.js';
import { TenantCheckpoints } from '../pipeline/checkpoints.js';
import type { LiveCollection } from '../pipeline/run-tenant.js';
import {
  addRunOperationOptions,
  addVerifySignatureOptions,
  preparePacketOperations,
  registerOperateCommands,
  signatureCheck,
  withOutputLock,
  type RunOperationOptions,
  type VerifySignatureOptions,
} from './operate-commands.js';

interface CommonOptions {
  config: string;
  period?: string;
  tenant?: string[];
  out: string;
  json?: boolean;
}

function selectTenants(config: Config, wanted: string[] | undefined): Config['tenants'] {
  if (!wanted || wanted.length === 0) return config.tenants;
  const unknown = wanted.filter((t) => !config.tenants.some((c) => c.id === t));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown tenant ${unknown.map((u) => `"${u}"`).join(', ')}; the configuration has ${config.tenants.map((t) => t.id).join(', ')}`,
    );
  }
  return config.tenants.filter((t) => wanted.includes(t.id));
}

function periodLabel(opt: string | undefined, config: Config, now: Date): string {
  if (opt === undefined) return previousMonthLabel(now, config.timeZone);
  if (!isPeriodLabel(opt)) throw new UsageError(`--period "${opt}" is not of the form YYYY-MM`);
  return opt;
}

/** A tenant whose packet could not be made; the others' packets are made all the same. */
interface TenantFailure {
  tenant: string;
  period: string;
  /** expected: a file the operator keeps is wrong (register, baseline store, configuration): exit 2. */
  kind: 'expected' | 'unexpected';
  reason: string;
}

/** Errors that name a file and field the operator can fix; anything else is a bug or a broken machine. */
function isExpectedError(err: unknown): err is Error {
  return (
    err instanceof ConfigError ||
    err instanceof UsageError ||
    err instanceof ExceptionsFileError ||
    err instanceof BaselineFileError
  );
}

function tenantFailure(tenant: string, period: string, err: unknown): TenantFailure {
  if (isExpectedError(err)) return { tenant, period, kind: 'expected', reason: err.message };
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { tenant, period, kind: 'unexpected', reason };
}

function exitCodeFor(results: Array<{ complete: boolean }>, failures: TenantFailure[] = []): number {
  if (failures.some((f) => f.kind === 'unexpected')) return EXIT.unexpected;
  if (failures.length > 0) return EXIT.usage;
  return results.every((r) => r.complete) ? EXIT.complete : EXIT.incomplete;
}

/** The one line a tenant's packet gets in the text summary. */
function summaryLine(r: TenantRunResult): string {
  const state = r.complete ? 'complete' : `INCOMPLETE (${r.missing} missing)`;
  const total = r.timings ? Object.values(r.timings).reduce((n, ms) => n + ms, 0) : undefined;
  return (
    `${r.tenant} ${r.period}: ${r.provisional ? 'PROVISIONAL ' : ''}${r.status.toUpperCase()}, ` +
    `${r.failingControls} failing control(s), evidence ${state}, ${r.folder}` +
    (r.earlierRevision ? `, earlier packet kept as ${r.earlierRevision}` : '') +
    (r.resumed?.packet ? ', finished by the interrupted run (verified)' : '') +
    (r.resumed?.sources ? `, resumed: ${r.resumed.sources.join(', ')} from checkpoints` : '') +
    (total !== undefined ? ` (${(total / 1000).toFixed(1)} s)` : '')
  );
}

function failureLine(f: TenantFailure): string {
  return `${f.tenant} ${f.period}: FAILED, no packet (${f.kind === 'expected' ? 'fix the file named' : 'unexpected error'}): ${f.reason}`;
}

/** A packet that needs no one's attention: --quiet prints nothing for it. */
function needsNoAttention(r: TenantRunResult): boolean {
  return r.complete && r.status === 'compliant' && !r.provisional;
}

function report(
  results: TenantRunResult[],
  opts: { json?: boolean; quiet?: boolean },
  extra: Record<string, unknown> = {},
  failures: TenantFailure[] = [],
  exitPolicy: (code: number) => number = (code) => code,
): number {
  const code = exitPolicy(exitCodeFor(results, failures));
  const notice = runtimeNotice();
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ tool: TOOL, exitCode: code, ...(notice ? { runtime: { node: process.version, notice } } : {}), ...extra, packets: results, ...(failures.length > 0 ? { failures } : {}) }, null, 2)}\n`,
    );
  } else {
    // On a terminal only: a scheduled run's output stays its summary lines.
    if (notice && process.stderr.isTTY && !opts.quiet) process.stderr.write(`s3-evidence: note: ${notice}\n`);
    for (const r of results) if (!opts.quiet || !needsNoAttention(r)) process.stdout.write(`${summaryLine(r)}\n`);
    for (const f of failures) process.stdout.write(`${failureLine(f)}\n`);
  }
  return code;
}

interface RunOptions extends CommonOptions, RunOperationOptions {
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

function liveCollection(config: Config, opts: RunOptions, callSlots: CallSlots): LiveCollection {
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

/** Tenants side by side in one run when neither --tenants-at-once nor collection.concurrency.tenants says. */
const DEFAULT_TENANTS_AT_ONCE = 4;

function parseTenantsAtOnce(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 256)
    throw new UsageError(`--tenants-at-once "${value}" is not a whole number between 1 and 256`);
  return n;
}

async function runCommand(opts: RunOptions): Promise<number> {
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
            try {
              result = await runTenant({
                config: loaded.config,
                configSha256: loaded.sha256,
                tenant,
                period: periods.get(tenant.id)!,
                outDir,
                now,
                ...(periodTiming(periods.get(tenant.id)!, now) === 'open' ? { provisional: true } : {}),
                live: liveCollection(loaded.config, opts, callSlots),
                work: resolveLiveOptions(liveOptionsFor(loaded.config, opts)).work,
                ...(progress ? { onProgress: progress.sink } : {}),
                ...(opts.resume === false ? {} : { checkpoints: checkpointsOf(tenant.id) }),
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
            await operations.afterPacket(result);
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

interface FoldersOptions {
  json?: boolean;
  config?: string;
  revise?: boolean;
}

async function foldersCommand(folders: string[], opts: FoldersOptions, action: 'analyze' | 'render'): Promise<number> {
  if (folders.length === 0)
    throw new UsageError(`${action} needs at least one packet folder (output/<period>/<tenant>)`);
  for (const folder of folders) await requirePacketFolder(folder, action);
  // A signed or published packet is never changed in place; refused before any folder is touched.
  const seals = new Map<string, Seal>();
  for (const folder of folders) {
    const seal = await sealOf(folder);
    if (seal && !opts.revise) throw new SealedPacketError(folder, action, seal);
    if (seal) seals.set(folder, seal);
  }
  const config = opts.config ? (await loadConfig(opts.config)).config : undefined;
  const results: TenantRunResult[] = [];
  const lines: string[] = [];
  for (const folder of folders) {
    // Without --config, keep the settings the packet was rendered with (its manifest), else the defaults.
    const previous = await readManifest(folder).then(
      (m) => m.render as Partial<RenderSettings> | undefined,
      () => undefined,
    );
    const renderOpts: RenderSettings = {
      pageSize: config?.pageSize ?? (previous?.pageSize === 'LETTER' ? 'LETTER' : 'A4'),
      topFindings: config?.topFindings ?? (Number.isInteger(previous?.topFindings) ? previous!.topFindings! : 6),
    };
    const remake = (dir: string) => remakePacket(dir, action, renderOpts);
    const seal = seals.get(folder);
    if (!seal) {
      results.push(summarise(await remake(folder), folder));
      continue;
    }
    const { result: packet, revision } = await reviseSealedPacket(folder, new Date(), remake);
    const revisedAt = revision.state === 'revised' ? path.join(path.dirname(folder), revision.movedTo) : undefined;
    results.push({
      ...summarise(packet, folder),
      ...(revision.state === 'revised' ? { earlierRevision: revision.movedTo } : {}),
    });
    lines.push(
      revisedAt
        ? `${folder}: the ${describeSeal(seal)} packet was kept as ${revisedAt}; the new one is neither signed nor published`
        : `${folder}: ${action} gave the same packet; the ${describeSeal(seal)} packet stays as it was`,
    );
  }
  const code = report(results, opts);
  if (!opts.json) for (const line of lines) process.stdout.write(`${line}\n`);
  return code;
}

/** analyze: evidence/ → packet.json → rendered files; render: packet.json → rendered files; both in `folder`. */
async function remakePacket(folder: string, action: 'analyze' | 'render', renderOpts: RenderSettings): Promise<Packet> {
  if (action === 'analyze') {
    try {
      return await analyzeFolder(folder, renderOpts);
    } catch (err) {
      // A folder without its run/tenant/index files is not a packet's evidence: say which file.
      if (err instanceof EvidenceReadError) throw new UsageError(`analyze: ${err.message}`);
      throw err;
    }
  }
  const text = await readFile(path.join(folder, PACKET_FILE), 'utf8');
  let packet: Packet;
  try {
    packet = JSON.parse(text) as Packet;
  } catch (err) {
    throw new UsageError(`render: ${path.join(folder, PACKET_FILE)} is not valid JSON (${(err as Error).message})`);
  }
  await renderFolder(folder, packet, sha256(text), renderOpts);
  return packet;
}

async function verifyCommand(folders: string[], opts: { json?: boolean } & VerifySignatureOptions): Promise<number> {
  if (folders.length === 0) throw new UsageError('verify needs at least one packet folder');
  for (const f of folders) await requirePacketFolder(f, 'verify');
  const reports = [];
  const signatures = new Map<string, Awaited<ReturnType<typeof signatureCheck>>>();
  for (const f of folders) {
    const signature = await signatureCheck(f, opts);
    signatures.set(f, signature);
    const r = await verifyFolder(f);
    reports.push({ ...r, ok: r.ok && signature.check.state !== 'failed', signature: signature.check });
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ tool: TOOL, reports }, null, 2)}\n`);
  else {
    for (const r of reports) {
      process.stdout.write(`${r.folder}: ${r.ok ? 'VERIFIED' : 'NOT VERIFIED'}\n`);
      const bad = r.files.filter((f) => f.state !== 'ok');
      process.stdout.write(`  files: ${r.files.length - bad.length} of ${r.files.length} match the manifest\n`);
      process.stdout.write(
        `  packet.json ${r.packetReproduced ? 're-derived identically from evidence/' : 'differs from what evidence/ gives'}\n`,
      );
      const sameRendered = r.rendered.filter((c) => c.state === 'identical').length;
      process.stdout.write(
        `  rendered files: ${sameRendered} of ${r.rendered.length} identical to a re-render of packet.json\n`,
      );
      process.stdout.write(
        `  manifest header: ${r.header.length === 0 ? 'every field agrees with packet.json and evidence/' : `${r.header.length} field(s) disagree`}\n`,
      );
      for (const line of verifyMessages(r)) process.stdout.write(`  ${line}\n`);
      for (const n of r.notes) process.stdout.write(`  note: ${n}\n`);
      for (const line of signatures.get(r.folder)?.lines ?? []) process.stdout.write(`${line}\n`);
    }
  }
  return reports.every((r) => r.ok) ? EXIT.complete : EXIT.unexpected;
}

interface DemoOptions {
  out: string;
  json?: boolean;
  strict?: boolean;
  progress?: ProgressMode;
  quiet?: boolean;
}

async function demoCommand(opts: DemoOptions): Promise<number> {
  const root = projectRoot();
  const exportsDir = path.join(root, 'output', 'demo-export');
  const configFile = path.join(root, 'config', 'demo.yaml');
  const loaded = await loadConfig(configFile);
  // One progress display for the preparation (September's packets) and October's run.
  const progress = progressOutput(opts.quiet ? 'none' : (opts.progress ?? 'auto'));
  await prepareDemoHistory({
    config: loaded.config,
    configSha256: loaded.sha256,
    exportsDir,
    outDir: path.resolve(opts.out),
    ...(progress ? { onProgress: progress.sink } : {}),
  });
  const code = await runCommand({
    config: configFile,
    period: DEMO_PERIOD,
    out: opts.out,
    now: new Date(demoExportedAt(DEMO_PERIOD)),
    ...(opts.json ? { json: true } : {}),
    ...(opts.quiet ? { quiet: true } : {}),
    ...(progress ? { progressOutput: progress } : { progress: 'none' }),
    // The demo's incompleteness is its point; only a real failure (or --strict) makes it exit non-zero.
    exitPolicy: (c) => (opts.strict || c !== EXIT.incomplete ? c : EXIT.complete),
  });
  if (!opts.json && !opts.quiet) {
    process.stdout.write(
      `\nDemo packets written under ${path.resolve(opts.out, DEMO_PERIOD)} (offline evidence generated in ${exportsDir};\n`,
    );
    process.stdout.write(
      `September's packets in ${path.resolve(opts.out, DEMO_PREVIOUS_PERIOD)} were approved as each tenant's baseline).\n`,
    );
    process.stdout.write(
      'globex is incomplete on purpose: `run` would exit 3 for it; the demo exits 0 once every packet is rendered (--strict: exit as `run`).\n',
    );
  }
  return code;
}

function buildProgram(): Command {
  const program = new Command()
    .name('s3-evidence')
    .description(
      'Monthly S3 encryption evidence packets per tenant: one-page PDF, auditor workbook, raw evidence, sha256 manifest.',
    )
    .version(TOOL.version)
    .addHelpText(
      'after',
      '\nExit codes: 0 every packet complete · 3 at least one packet incomplete (evidence missing or unreadable) · 2 usage or configuration error · 1 unexpected failure (verify, portfolio: a packet did not verify).',
    )
    .showHelpAfterError()
    .exitOverride();

  const common = (cmd: Command) =>
    cmd
      .option('-c, --config <file>', 'tenants configuration (YAML)', 'config/tenants.yaml')
      .option(
        '-p, --period <YYYY-MM>',
        'reporting month (default: the previous full month in the configured time zone)',
      )
      .addOption(
        new Option('-t, --tenant <id>', 'only this tenant (repeatable)').argParser((v: string, prev?: string[]) => [
          ...(prev ?? []),
          v,
        ]),
      )
      .option('-o, --out <dir>', 'output folder', 'output')
      .option('--json', 'print a machine-readable run summary on stdout');

  /** What a run prints while it works, and how much it says at the end. */
  const outputPolicy = (cmd: Command) =>
    cmd
      .addOption(
        new Option(
          '--progress <mode>',
          'progress on stderr: auto (bars on a terminal, nothing otherwise), tty (bars), json (one timestamped JSON line per change), none',
        )
          .default('auto')
          .argParser(parseProgressMode),
      )
      .option(
        '-q, --quiet',
        'no progress, and summary lines only for packets that need attention (not compliant, incomplete, provisional, failed)',
      );

  addRunOperationOptions(
    outputPolicy(
      common(program.command('run').description("collect evidence, analyze it and render each tenant's packet")),
    ),
  )
    .option(
      '--provisional',
      'allow a period that has not ended yet; every page, sheet and packet.json says PROVISIONAL',
    )
    .option('--profile <name>', "AWS shared-config profile for live collection (default: the SDK's credential chain)")
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (path-style S3), e.g. a local test endpoint')
    .option(
      '--shard <i/n>',
      "only shard i of n (1 ≤ i ≤ n; a tenant's shard is sha256 of its id modulo n, so it never moves when other tenants come or go); auto/n takes i from AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX (0-based) + 1. A shard writes its tenants' folders only, not the portfolio: run `s3-evidence portfolio` after the last shard",
    )
    .option(
      '--no-resume',
      "collect every source afresh, ignoring what an interrupted run of the period left (by default a run killed part-way is taken up: each tenant's finished, verified packet and its checkpointed sources are reused)",
    )
    .addOption(
      new Option(
        '--tenants-at-once <n>',
        `tenants collected side by side (default: collection.concurrency.tenants, else ${DEFAULT_TENANTS_AT_ONCE}); the per-account and region call limits hold across them`,
      ).argParser(parseTenantsAtOnce),
    )
    .action(async (opts: RunOptions) => {
      process.exitCode = await runCommand(opts);
    });

  program
    .command('analyze')
    .description("re-derive packet.json from a packet folder's evidence/ and render it again")
    .argument('<folders...>', 'packet folders, e.g. output/2026-10/acme')
    .option(
      '-c, --config <file>',
      'take page size and finding count from this configuration (default: as the packet was rendered)',
    )
    .option('--json', 'print a machine-readable summary on stdout')
    .option(
      '--revise',
      'also a signed or published packet: keep it under <period>/.revisions/ and write a new (unsigned, unpublished) one',
    )
    .action(async (folders: string[], opts: FoldersOptions) => {
      process.exitCode = await foldersCommand(folders, opts, 'analyze');
    });

  program
    .command('render')
    .description("render PDF, XLSX and CSV exports again from a packet folder's packet.json")
    .argument('<folders...>', 'packet folders')
    .option(
      '-c, --config <file>',
      'take page size and finding count from this configuration (default: as the packet was rendered)',
    )
    .option('--json', 'print a machine-readable summary on stdout')
    .option(
      '--revise',
      'also a signed or published packet: keep it under <period>/.revisions/ and write a new (unsigned, unpublished) one',
    )
    .action(async (folders: string[], opts: FoldersOptions) => {
      process.exitCode = await foldersCommand(folders, opts, 'render');
    });

  addVerifySignatureOptions(
    program
      .command('verify')
      .description(
        'recompute every hash in manifest.json, check its header against packet.json and evidence/, re-derive packet.json from evidence/, re-render PDF, XLSX and CSV from packet.json and compare bytes, flag extra and missing files, and check the manifest signature if present; exit 0 only if nothing differs',
      )
      .argument('<folders...>', 'packet folders')
      .option('--json', 'print the verification report as JSON'),
  ).action(async (folders: string[], opts: { json?: boolean } & VerifySignatureOptions) => {
    process.exitCode = await verifyCommand(folders, opts);
  });

  outputPolicy(program.command('demo'))
    .description(
      `generate the bundled demo evidence (three tenants, ${DEMO_PERIOD}) and render their packets; no AWS account needed`,
    )
    .option('-o, --out <dir>', 'output folder', 'output')
    .option('--json', 'print a machine-readable run summary on stdout')
    .option('--strict', 'exit as `run` does: 3, since one demo tenant is incomplete on purpose')
    .action(async (opts: DemoOptions) => {
      process.exitCode = await demoCommand(opts);
    });

  registerBaselineCommands(program);

  registerOperateCommands(program);
  registerSealCommands(program);
  registerDeliverCommand(program);
  registerPortfolioCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.complete;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage mistakes with 2.
      return err.exitCode === 0 ? EXIT.complete : EXIT.usage;
    }
    if (isExpectedError(err)) {
      process.stderr.write(`s3-evidence: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`s3-evidence: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.unexpected;
  }
}
