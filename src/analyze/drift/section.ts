import type { BaselineSnapshot } from '../../evidence/baseline-snapshot.js';
import type { StoredBaseline } from '../../evidence/baseline-snapshot.js';
import type { DriftItem, DriftSection, DriftSeverity } from '../../model/governance-sections.js';
import { diffSnapshots } from './diff.js';

const RANK: Record<DriftSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** The command that approves a tenant's period, as the packet prints it when there is no baseline yet. */
function approveCommand(tenantId: string, period: string): string {
  return `s3-evidence baseline approve --tenant ${tenantId} --period ${period} --by "<your name>" --reason "<why this state is approved>"`;
}

/** Most severe first; within a severity, the diff's order (buckets, then keys, by name). */
function sortDriftItems(items: DriftItem[]): DriftItem[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => RANK[a.item.severity] - RANK[b.item.severity] || a.i - b.i)
    .map((x) => x.item);
}

export function buildDriftSection(
  current: BaselineSnapshot,
  baseline: StoredBaseline | undefined,
  tenantId: string,
  period: string,
): DriftSection {
  if (!baseline) return { state: 'no_baseline', command: approveCommand(tenantId, period) };
  if (baseline.tenant !== tenantId || baseline.snapshot.tenant !== tenantId) {
    throw new Error(`baseline v${baseline.version} is of tenant "${baseline.tenant}", not "${tenantId}"`);
  }
  const items = sortDriftItems(diffSnapshots(baseline.snapshot, current));
  const counts: Record<DriftSeverity, number> = { critical: 0, warning: 0, info: 0 };
  for (const item of items) counts[item.severity]++;
  return {
    state: 'compared',
    baseline: {
      version: baseline.version,
      approvedBy: baseline.approvedBy,
      approvedAt: baseline.approvedAt,
      reason: baseline.reason,
      period: baseline.period,
    },
    counts,
    items,
  };
}
