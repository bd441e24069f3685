import type { TenantEvidence } from '../evidence/bundle.js';
import type { DriftSection, ExceptionsSection, TrendSection } from '../model/governance-sections.js';
import type { ControlResult, Finding, KeyResult, Packet } from '../model/packet.js';
import type { Wording } from '../wording/wording.js';
import type { Severity } from '../model/severity.js';
import type { GovernanceEvidence } from '../evidence/governance-evidence.js';
import { snapshotFromEvidence } from '../evidence/baseline-snapshot.js';
import { buildDriftSection } from './drift/index.js';
import { applyExceptions } from './exceptions/index.js';
import { trendPoint } from './trend/index.js';
import { aggregateVerdict, controlSummary } from './evaluate-controls.js';
import { CONTROLS } from './controls/index.js';

export interface GovernanceResult {
  controls: ControlResult[];
  drift: DriftSection;
  exceptions: ExceptionsSection;
  findings: Array<Omit<Finding, 'id'>>;
}

/** Drift against the frozen baseline; the exceptions register applied to the control verdicts. */
export function governanceSections(
  ev: TenantEvidence,
  gov: GovernanceEvidence | null,
  controls: ControlResult[],
  keys: KeyResult[],
  wording: Wording,
  controlSeverity: ReadonlyMap<string, Severity> = new Map(),
): GovernanceResult {
  if (!gov) {
    const none = { state: 'not_collected' as const, reason: wording.t('packet.governance.notFrozen') };
    return { controls, drift: none, exceptions: none, findings: [] };
  }
  const drift = buildDriftSection(
    snapshotFromEvidence(ev),
    gov.baseline ?? undefined,
    ev.tenant.id,
    ev.period.label,
    controlSeverity,
  );
  const applied = applyExceptions(controls, gov.exceptions, {
    asOf: ev.run.startedAt,
    timeZone: ev.tenant.timeZone,
    keys,
    summarise: (c) => controlSummary(wording, SCOPE.get(c.id) ?? 'resources', c.counts, c.resources.length),
  });
  const recounted = applied.controls.map((c) =>
    c.resources.length === 0 ? c : { ...c, verdict: aggregateVerdict(c.counts, c.resources.length) },
  );
  // Every weakening is a finding at the item's own severity: one grade for one change, wherever it is read.
  const driftFindings: Array<Omit<Finding, 'id'>> =
    drift.state === 'compared'
      ? drift.items
          .filter((i) => i.severity === 'critical' || (i.weakens?.length ?? 0) > 0)
          .map((i) => ({
            severity: i.severity,
            controlId: 'baseline-drift',
            resource: i.resource,
            text: wording.t('findings.drift.critical', { summary: i.summary }),
            evidence: [],
          }))
      : [];
  return { controls: recounted, drift, exceptions: applied.section, findings: [...applied.findings, ...driftFindings] };
}

const SCOPE: ReadonlyMap<string, string> = new Map(CONTROLS.map((c) => [c.id, c.scope]));

/** Twelve months ending with this packet's; a month without a packet stays a gap. */
export function trendSection(gov: GovernanceEvidence | null, packet: Packet): TrendSection {
  if (!gov)
    return { state: 'not_collected', reason: "no earlier-month figures were frozen into this packet's evidence" };
  return {
    state: 'collected',
    points: [...gov.previousMonths, trendPoint(packet.period.label, packet.tenant.id, packet)],
  };
}
