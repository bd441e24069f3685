/** The declarations of `baseline approve` and `baseline list` (actions/baseline.ts does them). */
import type { Command } from 'commander';
import type { ApproveOptions, BaselineCommandDeps, FolderOptions } from './actions/baseline.js';
import { DEFAULT_BASELINE_DIR, DEFAULT_CONFIG_FILE } from './defaults.js';

/** The options that say where a tenant's baselines are: a configuration's baselineDir, or the folder itself. */
function withBaselineFolder(command: Command): Command {
  return command
    .option(
      '-c, --config <file>',
      `tenants configuration whose baselineDir to use (default: ${DEFAULT_CONFIG_FILE} if it exists)`,
    )
    .option(
      '--baseline-dir <dir>',
      `folder of per-tenant baseline folders (default: the configuration's baselineDir, else ${DEFAULT_BASELINE_DIR})`,
    );
}

/** Adds `baseline approve` and `baseline list` to the program. */
export function registerBaselineCommands(program: Command, deps: BaselineCommandDeps = {}): Command {
  const baseline = program
    .command('baseline')
    .description("approve and list a tenant's baseline: the approved state drift is measured against");
  const approveCommand = baseline
    .command('approve')
    .description("approve the governed state in a packet folder's evidence as the tenant's next baseline version")
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--period <YYYY-MM>', 'period whose evidence to approve (default: the latest with evidence)')
    .requiredOption('--by <name>', 'who approves')
    .requiredOption('--reason <text>', 'why this state is approved')
    .option('-o, --out <dir>', 'output folder holding <period>/<tenant>/evidence', 'output');
  withBaselineFolder(approveCommand)
    .option('--json', 'print the approval as JSON')
    .action(async (opts: Omit<ApproveOptions, 'baselineDir'> & FolderOptions) => {
      const { approve, baselineDirFor } = await import('./actions/baseline.js');
      await approve({ ...opts, baselineDir: await baselineDirFor(opts, opts.tenant) }, deps);
    });
  const listCommand = baseline
    .command('list')
    .description("list a tenant's approved baseline versions, oldest first")
    .requiredOption('--tenant <id>', 'tenant id');
  withBaselineFolder(listCommand)
    .option('--json', 'print the versions as JSON')
    .action(async (opts: { tenant: string; json?: boolean } & FolderOptions) => {
      const { list, baselineDirFor } = await import('./actions/baseline.js');
      await list({ ...opts, baselineDir: await baselineDirFor(opts, opts.tenant) }, deps);
    });
  return baseline;
}
