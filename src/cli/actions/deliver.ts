/** Deliveries: after `run`, and `s3-evidence deliver` sending existing packets' summaries again. */
import { stat } from 'node:fs/promises';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { deliverAll, deliveryTargets, type DeliveryRun } from '../../operate/deliver/index.js';
import { TOOL } from '../../tool.js';
import { UsageError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';

/**
 * Deliveries after `run`: every packet made and the period's portfolio (not after a shard, which
 * writes no portfolio). Never throws, never sets the exit code.
 */
export async function deliverAfterRun(
  config: Config,
  folders: string[],
  periodDir: string,
  portfolio = true,
): Promise<DeliveryRun | undefined> {
  if (!config.deliveries) return undefined;
  return deliverAll(
    config.deliveries,
    { packets: folders, portfolios: portfolio && folders.length > 0 ? [periodDir] : [] },
    { madeThisRun: [...folders, periodDir] },
  );
}

export interface DeliverOptions {
  config: string;
  tenant?: string[];
  force?: boolean;
  json?: boolean;
}

export async function deliverCommand(folders: string[], opts: DeliverOptions): Promise<number> {
  const { config } = await loadConfig(opts.config);
  if (!config.deliveries) throw new UsageError(`${opts.config}: no \`deliveries\` configured; nothing to send`);
  for (const f of folders)
    if (
      !(await stat(f).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      throw new UsageError(`${f}: not a folder (expected output/<period> or output/<period>/<tenant>)`);
  const targets = await deliveryTargets(folders, opts.tenant);
  if (targets.packets.length === 0 && targets.portfolios.length === 0)
    throw new UsageError(`no packet folder (holding packet.json) found in ${folders.join(', ')}`);
  const run = await deliverAll(config.deliveries, targets, opts.force ? { force: true } : {});
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ tool: TOOL, deliveries: run.outcomes, ...(run.problems.length > 0 ? { problems: run.problems } : {}) }, null, 2)}\n`,
    );
  else for (const line of run.lines) process.stdout.write(`${line}\n`);
  // For this command a failed delivery is the outcome: exit 1 (run's exit code never depends on deliveries).
  return run.failed ? EXIT.unexpected : EXIT.complete;
}
