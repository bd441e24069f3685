/**
 * The one severity scale of the packet: findings, drift items, the exceptions register's findings,
 * the page and the workbook all speak it, so an item is never CRITICAL in one place and HIGH in another.
 */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** 0 is the most severe. */
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Most severe first: a comparator for Array.prototype.sort. */
export function bySeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}

/** The more severe of the two. */
export function worstSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

/** A zero count for every severity, in scale order (counts, tallies, workbook columns). */
export function severityCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}
