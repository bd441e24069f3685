/**
 * The page's findings, one row per rule: findings of one control (or one finding source such as
 * drift or key usage) and one severity make one group, so five failures of one rule take one row
 * that counts them instead of five rows that repeat it. Groups run from the worst severity down,
 * then by how many findings they hold, then in packet order.
 */
import type { Finding } from '../../model/packet.js';
import { bySeverity } from '../../model/severity.js';
import type { Severity } from '../../model/shared.js';

export interface FindingGroup {
  /** The controlId the findings share. */
  rule: string;
  severity: Severity;
  findings: Finding[];
  /** Resources named by the findings, each once, in packet order. */
  resources: string[];
}

export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  // Each group's resources seen so far, as a set: looking them up in the list made a group of 10,000
  // findings (one rule failing on every bucket) cost 50 million comparisons, 1.6 s of a 10,000-bucket render.
  const groups = new Map<string, FindingGroup & { first: number; seen: Set<string> }>();
  findings.forEach((f, i) => {
    const key = `${f.severity}\u0000${f.controlId}`;
    let g = groups.get(key);
    if (!g) {
      g = { rule: f.controlId, severity: f.severity, findings: [], resources: [], first: i, seen: new Set() };
      groups.set(key, g);
    }
    g.findings.push(f);
    if (!g.seen.has(f.resource)) {
      g.seen.add(f.resource);
      g.resources.push(f.resource);
    }
  });
  return [...groups.values()]
    .sort((a, b) => bySeverity(a.severity, b.severity) || b.findings.length - a.findings.length || a.first - b.first)
    .map(({ first: _first, seen: _seen, ...g }) => g);
}
