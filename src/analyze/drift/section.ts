import type { BaselineSnapshot } from '../../evidence/baseline-snapshot.js';
import type { StoredBaseline } from '../../evidence/baseline-snapshot.js';
import type { DriftItem, DriftSection } from '../../model/governance-sections.js';
import { bySeverity, severityCounts, worstSeverity, type Severity } from '../../model/severity.js';
import { diffSnapshots } from './diff.js';

/** The command that approves a tenant's period, as the packet prints it when there is no baseline yet. */
function approveCommand(tenantId: string, period: string): string {
  return `s3-evidence baseline approve --tenant ${tenantId} --period ${period} --by "<your name>" --reason "<why this state is approved>"`;
}

/** Most severe first; within a severity, the diff's order (buckets, then keys, by name). */
function sortDriftItems(items: DriftItem[]): DriftItem[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => bySeverity(a.item.severity, b.item.severity) || a.i - b.i)
    .map((x) => x.item);
}

/**
 * An item that weakens guardrails judged by controls takes the worst of those controls' severities,
 * so the drift list and the findings grade the same change alike.
 */
function regrade(item: DriftItem, controlSeverity: ReadonlyMap<string, Severity>): DriftItem {
  const graded = (item.weakens ?? []).map((id) => controlSeverity.get(id)).filter((s) => s !== undefined);
  if (graded.length === 0) return item;
  return { ...item, severity: graded.reduce(worstSeverity) };
}

export function buildDriftSection(
  current: BaselineSnapshot,
  baseline: StoredBaseline | undefined,
  tenantId: string,
  period: string,
  controlSeverity: ReadonlyMap<string, Severity> = new Map(),
): DriftSection {
  if (!baseline) return { state: 'no_baseline', command: approveCommand(tenantId, period) };
  if (baseline.tenant !== tenantId || baseline.snapshot.tenant !== tenantId) {
    throw new Error(`baseline v${baseline.version} is of tenant "${baseline.tenant}", not "${tenantId}"`);
  }
  const items = sortDriftItems(diffSnapshots(baseline.snapshot, current).map((i) => regrade(i, controlSeverity)));
  const counts = severityCounts();
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
