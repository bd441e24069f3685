import type { ControlResult, Finding } from '../model/packet.js';
import type { Verdict } from '../model/shared.js';
import { bySeverity } from '../model/severity.js';
import type { Wording } from '../wording/wording.js';
import { formatBytes } from '../format/bytes.js';
import type { Control, ControlFacts, Judgement } from './controls/control.js';
import type { ControlMetadata } from './controls/metadata.js';
import { referencesFor, type Framework } from './controls/frameworks.js';

export interface ControlCatalog {
  controls: readonly Control[];
  readonly metadata: ReadonlyMap<string, ControlMetadata>;
  readonly frameworks: readonly Framework[];
}

/**
 * Any fail fails; otherwise anything unreadable leaves the control not evaluated; never a false pass.
 * Nothing to judge is `whenEmpty`: no bucket in scope is suspicious (not evaluated), while no
 * customer-managed key is normal for a tenant on SSE-S3 (not applicable).
 */
export function aggregateVerdict(
  counts: Record<Verdict, number>,
  resources: number,
  whenEmpty: Verdict = 'not_evaluated',
): Verdict {
  if (resources === 0) return whenEmpty;
  if (counts.fail > 0) return 'fail';
  if (counts.not_evaluated > 0) return 'not_evaluated';
  if (counts.exception > 0) return 'exception';
  if (counts.pass > 0) return 'pass';
  return 'not_applicable';
}

function runControl(control: Control, facts: ControlFacts): Judgement[] {
  try {
    return control.evaluate(facts);
  } catch (err) {
    // A control that throws is a visible finding, not a crash (and never a pass).
    return [
      {
        resource: '(control)',
        verdict: 'not_evaluated',
        reason: `control failed to run: ${(err as Error).message}`,
        evidence: [],
      },
    ];
  }
}

/** "40 of 42 buckets pass · 2 fail"; used again after exceptions change the counts. */
export function controlSummary(
  wording: Wording,
  scope: string,
  counts: Record<Verdict, number>,
  resources: number,
): string {
  if (resources === 0) return wording.t('packet.control.summaryNone', { scope });
  const applicable = counts.pass + counts.fail + counts.not_evaluated + counts.exception;
  return wording.t('packet.control.summary', {
    pass: counts.pass,
    applicable,
    scope,
    fail: counts.fail,
    notEvaluated: counts.not_evaluated,
    exception: counts.exception,
  });
}

export function evaluateControls(
  facts: ControlFacts,
  catalog: ControlCatalog,
  wording: Wording,
): { controls: ControlResult[]; findings: Omit<Finding, 'id'>[] } {
  const controls: ControlResult[] = [];
  const findings: Array<Omit<Finding, 'id'> & { order: number }> = [];
  catalog.controls.forEach((control, order) => {
    const meta = catalog.metadata.get(control.id);
    if (!meta) throw new Error(`control ${control.id} has no metadata`);
    const judgements = runControl(control, facts);
    const counts: Record<Verdict, number> = { pass: 0, fail: 0, not_evaluated: 0, not_applicable: 0, exception: 0 };
    for (const j of judgements) counts[j.verdict]++;
    const summary = controlSummary(wording, control.scope, counts, judgements.length);
    controls.push({
      id: control.id,
      title: meta.title,
      passes: meta.passes,
      verdict: aggregateVerdict(
        counts,
        judgements.length,
        // No customer key, table or directory bucket is normal; no general purpose bucket in scope is not.
        control.scope === 'buckets' ? 'not_evaluated' : 'not_applicable',
      ),
      summary,
      counts,
      resources: judgements.map(({ resource, verdict, reason, evidence }) => ({ resource, verdict, reason, evidence })),
      references: referencesFor(control.id, catalog.frameworks),
      remediation: meta.remediation,
    });
    for (const j of judgements) {
      if (j.verdict !== 'fail' && j.verdict !== 'not_evaluated') continue;
      const facts = j.facts ?? {};
      const bytes = typeof facts.bytes === 'number' ? facts.bytes : 0;
      findings.push({
        order,
        // What could not be read is reported one step below a failure of the same control.
        severity: j.verdict === 'fail' ? meta.severity : meta.severity === 'critical' ? 'high' : 'medium',
        controlId: control.id,
        resource: j.resource,
        text: wording.t(`findings.${control.id}.${j.verdict}`, {
          ...facts,
          resource: j.resource,
          reason: j.reason,
          bytesText: formatBytes(bytes),
        }),
        evidence: j.evidence,
      });
    }
  });
  findings.sort(
    (a, b) =>
      bySeverity(a.severity, b.severity) ||
      a.order - b.order ||
      a.resource.localeCompare(b.resource) ||
      a.text.localeCompare(b.text),
  );
  return { controls, findings: findings.map(({ order: _order, ...f }) => f) };
}
