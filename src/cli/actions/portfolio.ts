/**
 * `s3-evidence portfolio <period-folder>`: the period's portfolio rebuilt from the packets on disk,
 * e.g. after the shards of a run are all done. Every packet is checked first (hashes, header, packet.json
 * re-derived from evidence; `--rerender` also re-renders): one that does not check out (edited, a file
 * missing) or cannot be read is named and never counted as green.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { isPeriodLabel } from '../../config/period.js';
import { writePortfolio } from '../../operate/portfolio.js';
import { TOOL } from '../../tool.js';
import { UsageError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { evidenceState } from '../../format/evidence-state.js';

export interface PortfolioCommandOptions {
  config?: string;
  json?: boolean;
  rerender?: boolean;
}

export async function portfolioCommand(periodFolder: string, opts: PortfolioCommandOptions): Promise<number> {
  const periodDir = path.resolve(periodFolder);
  const period = path.basename(periodDir);
  if (!isPeriodLabel(period))
    throw new UsageError(`portfolio: ${periodFolder} is not a period folder (expected output/<YYYY-MM>)`);
  const isDir = await stat(periodDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new UsageError(`portfolio: ${periodFolder} is not a folder`);
  const expected = opts.config ? (await loadConfig(opts.config)).config.tenants.map((t) => t.id) : undefined;
  const written = await writePortfolio(path.dirname(periodDir), period, {
    ...(expected ? { expectedTenants: expected } : {}),
    rerender: opts.rerender ?? false,
  });
  const rows = written.portfolio.tenants;
  const unusable = rows.filter((r) => r.status === 'unreadable' || r.status === 'unverified');
  const incomplete = rows.filter((r) => !r.complete);
  // Not green: a packet that cannot be used is a failure (as in verify); an incomplete one exits as run does.
  const code = unusable.length > 0 ? EXIT.unexpected : incomplete.length > 0 ? EXIT.incomplete : EXIT.complete;
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ tool: TOOL, exitCode: code, period, json: written.json, xlsx: written.xlsx, tenants: rows }, null, 2)}\n`,
    );
    return code;
  }
  for (const r of rows) {
    const state =
      r.status === 'unreadable' || r.status === 'unverified'
        ? `${r.status.toUpperCase()}, not counted: ${r.problem ?? ''}`
        : `${r.status.toUpperCase()}, evidence ${evidenceState(r.complete, r.missingEvidence)}`;
    process.stdout.write(`${r.tenant} ${period}: ${state}\n`);
  }
  process.stdout.write(
    `portfolio of ${rows.length} tenant(s): ${rows.length - unusable.length} verified packet(s), ${unusable.length} not usable; wrote ${written.json} and ${written.xlsx}\n`,
  );
  return code;
}
