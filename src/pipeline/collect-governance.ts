import { baselineStore, defaultBaselineDir, folderBackend } from '../baseline/index.js';
import { exceptionsFileFor, loadExceptions, readExceptionsText } from '../analyze/exceptions/index.js';
import { readPreviousPackets, trendPoint } from '../analyze/trend/index.js';
import { CONTROLS } from '../analyze/controls/index.js';
import type { Period } from '../config/period.js';
import type { Config, TenantConfig } from '../config/schema.js';
import type { GovernanceEvidence } from '../workspace/governance-evidence.js';

/** Reads the baseline in force, the exceptions register and the earlier months' packets. */
export async function collectGovernance(args: { config: Config; tenant: TenantConfig; period: Period; outDir: string }): Promise<{ evidence: GovernanceEvidence; registerText?: string }> {
  const { config, tenant, period } = args;
  const baselineLocation = defaultBaselineDir(config.baselineDir, tenant.id);
  const baseline = (await baselineStore(folderBackend(baselineLocation)).latest()) ?? null;
  const file = exceptionsFileFor(tenant.id, config.exceptionsDir);
  const exceptions = await loadExceptions(file, { tenant: tenant.id, controlIds: CONTROLS.map((c) => c.id) });
  const registerText = exceptions.exists ? await readExceptionsText(file) : undefined;
  const previous = await readPreviousPackets(args.outDir, tenant.id, period.label);
  const previousMonths = previous
    .filter((p) => p.period !== period.label)
    .map((p) =>
      p.state === 'present'
        ? trendPoint(p.period, tenant.id, p.packet)
        : { period: p.period, state: p.state, objectsPct: null, bytesPct: null, deniedUploads: null, failingControls: null, criticalDrifts: null, ...(p.state === 'unreadable' ? { problem: p.problem } : {}) },
    );
  return { evidence: { baseline, baselineLocation, exceptions, previousMonths }, ...(registerText !== undefined ? { registerText } : {}) };
}
