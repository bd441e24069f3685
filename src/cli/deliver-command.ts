/** The declaration of `s3-evidence deliver` (actions/deliver.ts does it). */
import { Command, Option } from 'commander';
import type { DeliverOptions } from './actions/deliver.js';
import { DEFAULT_CONFIG_FILE } from './defaults.js';

export function registerDeliverCommand(program: Command): void {
  program
    .command('deliver')
    .description(
      "send packets' summaries to the configured destinations (webhooks, e-mail with the PDF) again: a packet folder, or a period folder (every packet in it and its portfolio). Each packet is verified first (as `verify` does): one that does not verify is named and not sent (exit 1), and so is a portfolio that is not what the period's packets give now. A destination that already has the same packet is skipped unless --force",
    )
    .argument('<folders...>', 'packet folders (output/<period>/<tenant>) or period folders (output/<period>)')
    .option('-c, --config <file>', 'tenants configuration (YAML) holding `deliveries`', DEFAULT_CONFIG_FILE)
    .addOption(
      new Option('-t, --tenant <id>', 'only this tenant (repeatable; skips the portfolio)').argParser(
        (v: string, prev?: string[]) => [...(prev ?? []), v],
      ),
    )
    .option('--force', 'send again to destinations that already received the same packet')
    .option('--json', 'print the outcomes as JSON')
    .action(async (folders: string[], opts: DeliverOptions) => {
      const { deliverCommand } = await import('./actions/deliver.js');
      process.exitCode = await deliverCommand(folders, opts);
    });
}
