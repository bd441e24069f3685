import { baselineStore, defaultBaselineDir, folderBackend } from '../baseline/index.js';
import { exceptionsFileFor, loadExceptions, readExceptionsText } from './read-exceptions.js';
import path from 'node:path';
import { trendPoint } from '../analyze/trend/index.js';
import { readPreviousPackets } from '../evidence/earlier-packets.js';
import type { PacketFile } from '../evidence/earlier-packets.js';
import { verifyProblem } from './verify-folder.js';
import { CONTROLS } from '../analyze/controls/index.js';
import type { Period } from '../config/period.js';
import type { Config, TenantConfig } from '../config/schema.js';
import type { GovernanceEvidence } from '../evidence/governance-evidence.js';

/**
 * An earlier month's packet counts only if it verifies (hashes, manifest header, packet.json
 * re-derived from its evidence, rendered files re-rendered): one that does not is a gap labelled
 * "unverified" with verify's first message, so an edited packet is never frozen into new evidence.
 */
async function verifiedPackets(outDir: string, tenant: string, files: PacketFile[]): Promise<PacketFile[]> {
  const out: PacketFile[] = [];
  for (const f of files) {
    if (f.state !== 'present') {
      out.push(f);
      continue;
    }
    const problem = await verifyProblem(path.join(outDir, f.period, tenant));
    if (problem === undefined) out.push(f);
    else
      out.push({ period: f.period, state: 'unverified', problem: `the ${f.period} packet did not verify: ${problem}` });
  }
  return out;
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
  const previous = await verifiedPackets(
    args.outDir,
    tenant.id,
    await readPreviousPackets(args.outDir, tenant.id, period.label),
  );
  const previousMonths = previous
    .filter((p) => p.period !== period.label)
    .map((p) =>
      p.state === 'present'
        ? trendPoint(p.period, tenant.id, p.packet)
        : {
            period: p.period,
            state: p.state,
            objectsPct: null,
            bytesPct: null,
            deniedUploads: null,
            failingControls: null,
            criticalDrifts: null,
            ...(p.state !== 'missing' ? { problem: p.problem } : {}),
          },
    );
  return {
    evidence: { baseline, baselineLocation, exceptions, previousMonths },
    ...(registerText !== undefined ? { registerText } : {}),
  };
}
