/**
 * The command line: every command's declaration (options, help text). Each action loads its module
 * (actions/) only when it runs, so `--help`, `--version` and a usage error load no AWS SDK, no
 * renderer and no configuration schema.
 */
import { Command, CommanderError, Option } from 'commander';
import { DEMO_PERIOD } from '../demo/generate-demo.js';
import { UsageError } from '../errors.js';
import { TOOL } from '../tool.js';
import type { DemoOptions } from './actions/demo.js';
import type { FoldersOptions } from './actions/remake.js';
import type { RunOptions } from './actions/run.js';
import type { VerifySignatureOptions } from './actions/packet-operations.js';
import { registerBaselineCommands } from './baseline-command.js';
import { DEFAULT_CONFIG_FILE, DEFAULT_TENANTS_AT_ONCE } from './defaults.js';
import { registerDeliverCommand } from './deliver-command.js';
import { EXIT } from './exit-codes.js';
import { addRunOperationOptions, addVerifySignatureOptions, registerOperateCommands } from './operate-commands.js';
import { registerPortfolioCommand } from './portfolio-command.js';
import { parseProgressMode } from './progress-output.js';
import { registerSealCommands } from './seal-commands.js';

function parseTenantsAtOnce(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 256)
    throw new UsageError(`--tenants-at-once "${value}" is not a whole number between 1 and 256`);
  return n;
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
      .option('-c, --config <file>', 'tenants configuration (YAML)', DEFAULT_CONFIG_FILE)
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
    .option(
      '--endpoint-url <url>',
      'send every AWS call to this endpoint (path-style S3), e.g. a local test endpoint; AWS_ENDPOINT_URL also works',
    )
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
      const { runCommand } = await import('./actions/run.js');
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
      const { foldersCommand } = await import('./actions/remake.js');
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
      const { foldersCommand } = await import('./actions/remake.js');
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
    const { verifyCommand } = await import('./actions/verify.js');
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
      const { demoCommand } = await import('./actions/demo.js');
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
    // Loaded only on a failure: the error classes come with their modules (configuration schema, registers).
    const { isExpectedError } = await import('./actions/run-report.js');
    if (isExpectedError(err)) {
      process.stderr.write(`s3-evidence: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`s3-evidence: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.unexpected;
  }
}
