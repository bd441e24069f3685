import type { Packet } from './packet.js';

/**
 * The month before, as the tenant's own packet recorded it (its trend section holds the earlier
 * months' figures, each from a packet that verified when this one was made).
 */
export interface PreviousMonth {
  period: string;
  /** present: figures compared; missing: no packet; unreadable/unverified: one exists but is not used; not_collected: no trend. */
  state: 'present' | 'missing' | 'unreadable' | 'unverified' | 'not_collected';
  objectsPct: number | null;
  bytesPct: number | null;
  failingControls: number | null;
  criticalDrifts: number | null;
  deniedUploads: number | null;
  problem?: string;
}

/**
 * A packet's figures as a period's portfolio lists them. Small enough to keep for every packet a run
 * makes, so the run's portfolio does not read its packets (some 100 MB each at 10,000 buckets) back.
 */
export interface PacketFigures {
  tenant: string;
  displayName: string;
  /** The packet's period label: with the tenant id, the base name of its PDF and workbook. */
  period: string;
  status: Packet['status'];
  /** % of objects / bytes encrypted; null when nothing was measured. */
  objectsPct: number | null;
  bytesPct: number | null;
  measuredBuckets: number;
  totalBuckets: number;
  failingControls: number;
  /** null when the section was not collected for this tenant. */
  deniedUploads: number | null;
  /** Refused uploads counted past sources.maxDeniedUploads: `deniedUploads` leaves them out. Absent when none. */
  deniedUploadsNotItemised?: number;
  criticalDrifts: number | null;
  openExceptions: number | null;
  expiredExceptions: number | null;
  complete: boolean;
  missingEvidence: number;
  generatedAt: string;
  previous: PreviousMonth;
}

/** Sections the packet types may still describe as "not collected"; read by their state alone. */
type LooseSection =
  { state?: string; total?: number; notItemised?: number; counts?: Record<string, number> } | undefined;

type LooseTrend =
  { state?: string; points?: Array<Omit<PreviousMonth, 'state'> & { state: PreviousMonth['state'] }> } | undefined;

const count = (c: Record<string, number> | undefined, ...keys: string[]) => keys.reduce((n, k) => n + (c?.[k] ?? 0), 0);

/** "2026-10" → "2026-09". */
function monthBefore(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The trend point of the month before the packet's own, as the packet recorded it. */
function previousMonth(packet: Packet): PreviousMonth {
  const label = monthBefore(packet.period.label);
  const trend = (packet.sections as unknown as Record<string, LooseTrend>).trend;
  const blank = { objectsPct: null, bytesPct: null, failingControls: null, criticalDrifts: null, deniedUploads: null };
  if (trend?.state !== 'collected' || !Array.isArray(trend.points))
    return { period: label, state: 'not_collected', ...blank };
  const point = trend.points.find((p) => p.period === label);
  if (!point) return { period: label, state: 'missing', ...blank };
  if (point.state !== 'present')
    return { period: label, state: point.state, ...blank, ...(point.problem ? { problem: point.problem } : {}) };
  return {
    period: label,
    state: 'present',
    objectsPct: point.objectsPct,
    bytesPct: point.bytesPct,
    failingControls: point.failingControls,
    criticalDrifts: point.criticalDrifts,
    deniedUploads: point.deniedUploads,
  };
}

/**
 * The packet's figures, exactly as they read from its packet.json: taken through JSON, so a packet
 * still in memory gives what the file it was written to gives.
 */
export function packetFigures(packet: Packet): PacketFigures {
  const sections = packet.sections as unknown as Record<string, LooseSection>;
  const denied = sections.deniedUploads;
  const drift = sections.drift;
  const exceptions = sections.exceptions;
  const figures: PacketFigures = {
    tenant: packet.tenant.id,
    displayName: packet.tenant.displayName,
    period: packet.period.label,
    status: packet.status,
    objectsPct: packet.kpis.objectsPct,
    bytesPct: packet.kpis.bytesPct,
    measuredBuckets: packet.coverage.measuredBuckets,
    totalBuckets: packet.coverage.totalBuckets,
    failingControls: packet.controls.filter((c) => c.verdict === 'fail').length,
    deniedUploads: denied?.state === 'collected' ? (denied.total ?? 0) : null,
    ...(denied?.state === 'collected' && denied.notItemised ? { deniedUploadsNotItemised: denied.notItemised } : {}),
    criticalDrifts: drift?.state === 'compared' ? count(drift.counts, 'critical') : null,
    // Open: entries that still cover something or could (active, expiring soon, unused); expired are listed apart.
    openExceptions:
      exceptions?.state === 'evaluated' ? count(exceptions.counts, 'active', 'expiring_soon', 'unused') : null,
    expiredExceptions: exceptions?.state === 'evaluated' ? count(exceptions.counts, 'expired') : null,
    complete: packet.completeness.complete,
    missingEvidence: packet.completeness.missing.length,
    generatedAt: packet.generatedAt,
    previous: previousMonth(packet),
  };
  return JSON.parse(JSON.stringify(figures)) as PacketFigures;
}
