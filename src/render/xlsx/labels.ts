import type { Wording } from '../../wording/wording.js';
import type { BucketCoverage, CoverageSummary, EnforcementLevel, OverallStatus } from '../../model/packet.js';
import type { Severity, Verdict } from '../../model/shared.js';
import { insidePacket, type Link } from './book.js';
import type { CellInput, Tone } from './cells.js';

/** Status words and their tones; the words come from templates/wording.yaml (xlsx.verdict.*, xlsx.status.*). */

const VERDICT_TONE: Record<Verdict, Tone> = {
  pass: 'good',
  fail: 'bad',
  not_evaluated: 'warn',
  not_applicable: 'neutral',
  exception: 'accepted',
};

const STATUS_TONE: Record<OverallStatus, Tone> = {
  compliant: 'good',
  attention: 'bad',
  incomplete: 'warn',
};

export function verdictCell(w: Wording, verdict: Verdict): CellInput {
  return { text: w.t(`xlsx.verdict.${verdict}`), tone: VERDICT_TONE[verdict] };
}

export function statusCell(w: Wording, status: OverallStatus): CellInput {
  return { text: w.t(`xlsx.status.${status}`), tone: STATUS_TONE[status] };
}

export function completenessCell(w: Wording, complete: boolean): CellInput {
  return complete
    ? { text: w.t('xlsx.completeness.complete'), tone: 'good' }
    : { text: w.t('xlsx.completeness.incomplete'), tone: 'warn' };
}

/**
 * A bucket's coverage in words: measured, or why not, so that a report that exists but could not be read
 * ("report unreadable") is never called "no inventory", and "not configured" and "not delivered" differ.
 */
export function coverageStateLabel(w: Wording, c: BucketCoverage): string {
  if (c.state === 'no_inventory' && c.cause) return w.t(`xlsx.buckets.coverageCause.${c.cause}`);
  return w.t(`xlsx.buckets.coverageState.${c.state}`);
}

/** Which object versions a count includes; blank where the packet does not say (older packets, nothing measured). */
export function objectVersionsLabel(w: Wording, versions: CoverageSummary['objectVersions']): string | undefined {
  return versions ? w.t(`xlsx.coverage.versions.${versions}`) : undefined;
}

export function enforcementLabel(w: Wording, level: EnforcementLevel): string {
  return w.t(`xlsx.enforcement.${level}`);
}

export function severityLabel(w: Wording, severity: Severity): string {
  return w.t(`xlsx.severity.${severity}`);
}

export function yesNo(w: Wording, value: boolean): string {
  return w.t(value ? 'xlsx.values.yes' : 'xlsx.values.no');
}

/**
 * The link of a cell that cites evidence: the first file it names, relative to the packet folder
 * (where the workbook sits). A path that does not stay inside the packet gets no link.
 */
export function evidenceLink(paths: readonly string[]): Link | undefined {
  const inside = paths.find((p) => insidePacket(p));
  return inside === undefined ? undefined : { file: inside };
}

/** Evidence paths, one per line. */
export function lines(items: readonly string[]): string {
  return items.join('\n');
}
