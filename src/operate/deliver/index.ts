/**
 * Deliveries after a run or from `s3-evidence deliver`: each packet's summary and the period's portfolio
 * to the configured destinations. Nothing here throws for a delivery that failed: every outcome is
 * returned (and recorded beside the packet), so a failure never changes a packet or a run's exit code.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DeliveriesConfig } from '../../config/schema.js';
import { PACKET_FILE } from '../../packet-folder.js';
import { TOOL } from '../../tool.js';
import { deliverPacket, deliverPortfolio, deliveryLine, type DeliveryOutcome } from './deliver.js';

export interface DeliveryRun {
  outcomes: DeliveryOutcome[];
  /** Packets or portfolios that could not be read at all (nothing was sent for them). */
  problems: string[];
  lines: string[];
  failed: boolean;
}

interface Options {
  force?: boolean;
  /** Packet folders the run has just written: delivered without being verified again (any other is verified first). */
  madeThisRun?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Delivers packet folders and period folders' portfolios; collects every outcome. */
export async function deliverAll(
  deliveries: DeliveriesConfig,
  targets: { packets: string[]; portfolios: string[] },
  opts: Options = {},
): Promise<DeliveryRun> {
  const ctx = {
    deliveries,
    tool: TOOL,
    env: opts.env ?? process.env,
    ...(opts.force ? { force: true } : {}),
    ...(opts.madeThisRun ? { madeThisRun: new Set(opts.madeThisRun) } : {}),
  };
  const outcomes: DeliveryOutcome[] = [];
  const problems: string[] = [];
  for (const folder of targets.packets) {
    try {
      outcomes.push(...(await deliverPacket(folder, ctx)));
    } catch (err) {
      problems.push(`${folder}: not delivered: ${(err as Error).message}`);
    }
  }
  for (const periodDir of targets.portfolios) {
    try {
      outcomes.push(...(await deliverPortfolio(periodDir, ctx)));
    } catch (err) {
      problems.push(`${periodDir}: portfolio not delivered: ${(err as Error).message}`);
    }
  }
  return {
    outcomes,
    problems,
    lines: [...outcomes.map(deliveryLine), ...problems],
    failed: problems.length > 0 || outcomes.some((o) => o.state === 'failed'),
  };
}

/**
 * What `deliver <folder>` means: a packet folder (it holds packet.json) is that packet; any other folder
 * is a period folder: every tenant packet in it and its portfolio (when portfolio.json is there).
 */
export async function deliveryTargets(
  folders: string[],
  tenants?: string[],
): Promise<{ packets: string[]; portfolios: string[] }> {
  const packets: string[] = [];
  const portfolios: string[] = [];
  for (const folder of folders) {
    if (await exists(path.join(folder, PACKET_FILE))) {
      if (!tenants || tenants.includes(path.basename(folder))) packets.push(folder);
      continue;
    }
    const entries = await readdir(folder, { withFileTypes: true });
    for (const e of entries
      .filter((x) => x.isDirectory() && !x.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const sub = path.join(folder, e.name);
      if ((!tenants || tenants.includes(e.name)) && (await exists(path.join(sub, PACKET_FILE)))) packets.push(sub);
    }
    if (!tenants && (await exists(path.join(folder, 'portfolio.json')))) portfolios.push(folder);
  }
  return { packets, portfolios };
}
