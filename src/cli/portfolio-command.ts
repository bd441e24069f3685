/** The declaration of `s3-evidence portfolio` (actions/portfolio.ts does it). */
import type { Command } from 'commander';
import type { PortfolioCommandOptions } from './actions/portfolio.js';

export function registerPortfolioCommand(program: Command): void {
  program
    .command('portfolio')
    .description(
      "rebuild a period's portfolio (portfolio.json, portfolio.xlsx) from the packets in its folder, each checked first: every file against its manifest hash and packet.json re-derived from the evidence (add --rerender to also re-render each PDF and workbook, as `verify` does); one that does not check out or cannot be read is named and not counted. Run it after the last shard of `run --shard`",
    )
    .argument('<period-folder>', 'a period folder, e.g. output/2026-10')
    .option(
      '-c, --config <file>',
      'also name the tenants of this configuration that have no packet folder in the period',
    )
    .option('--json', 'print the portfolio rows as JSON')
    .option(
      '--rerender',
      "also re-render every packet's PDF, workbook and CSV exports and compare them byte for byte (slower)",
    )
    .action(async (folder: string, opts: PortfolioCommandOptions) => {
      const { portfolioCommand } = await import('./actions/portfolio.js');
      process.exitCode = await portfolioCommand(folder, opts);
    });
}
