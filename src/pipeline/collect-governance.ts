import { baselineStore, defaultBaselineDir, folderBackend } from '../baseline/index.js';
import { exceptionsFileFor, loadExceptions, readExceptionsText } from './read-exceptions.js';
import path from 'node:path';
import { pointOfFile, TREND_GAP } from '../analyze/trend/index.js';
import { readPacketOfMonth } from '../evidence/earlier-packets.js';
import type { TrendPoint } from '../model/governance-sections.js';
import { verifyProblem } from './verify-folder.js';
import { CONTROLS } from '../analyze/controls/index.js';
import { monthsEndingWith, type Period } from '../config/period.js';
import type { Config, TenantConfig } from '../config/schema.js';
import type { GovernanceEvidence } from '../evidence/governance-evidence.js';

/**
 * One earlier month's point. Its packet counts only if it verifies (every hash, the manifest header,
 * packet.json re-derived from its evidence): one that does not is a gap labelled "unverified" with
 * verify's first message, so an edited packet is never frozen into new evidence. Its PDF and workbook
 * are proven by their hashes, not re-rendered: the trend takes packet.json's figures only, as the
 * portfolio does, and re-rendering a 10,000-bucket month took 53 s and 550 MB. Months are read one at
 * a time, and a packet is dropped once it is a point: at 10,000 buckets one parsed packet.json is
 * some 150 MB.
 */
async function earlierMonth(outDir: string, tenant: string, month: string): Promise<TrendPoint> {
  // The point as its packet.json says, not yet verified (the parsed packet ends here).
  const point = pointOfFile(month, tenant, await readPacketOfMonth(outDir, tenant, month));
  if (point.state !== 'present') return point;
  const problem = await verifyProblem(path.join(outDir, month, tenant), { rerender: false });
  return problem === undefined
    ? point
    : { period: month, state: 'unverified', ...TREND_GAP, problem: `the ${month} packet did not verify: ${problem}` };
}

/** Reads the baseline in force, the exceptions register and the earlier months' packets. */
export async function collectGovernance(args: {
  config: Config;
  tenant: TenantConfig;
  period: Period;
  outDir: string;
}): Promise<{ evidence: GovernanceEvidence; registerText?: string }> {
  const { config, tenant, period } = args;
  const baselineLocation = defaultBaselineDir(config.baselineDir, tenant.id);
  const baseline = (await baselineStore(folderBackend(baselineLocation)).latest()) ?? null;
  const file = exceptionsFileFor(tenant.id, config.exceptionsDir);
  const exceptions = await loadExceptions(file, { tenant: tenant.id, controlIds: CONTROLS.map((c) => c.id) });
  const registerText = exceptions.exists ? await readExceptionsText(file) : undefined;
  // The months before this one only: a packet already in this period's folder (an earlier run's) is
  // about to be replaced, and reading and verifying it cost a 10,000-bucket rerun 63 s and 1 GB.
  const previousMonths: TrendPoint[] = [];
  for (const month of monthsEndingWith(period.label).slice(0, -1))
    previousMonths.push(await earlierMonth(args.outDir, tenant.id, month));
  return {
    evidence: { baseline, baselineLocation, exceptions, previousMonths },
    ...(registerText !== undefined ? { registerText } : {}),
  };
}
