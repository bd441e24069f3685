import {
  ENCRYPTION_STATUSES,
  emptyTally,
  type InventoryEvidence,
  type ObjectTally,
  type TallyByStatus,
} from '../evidence/inventory.js';
import type { BucketCoverage, CoverageSummary } from '../model/packet.js';

/** SSE-C objects are encrypted (with the customer's key); only NOT-SSE is unencrypted. */
const ENCRYPTED = ENCRYPTION_STATUSES.filter((s) => s !== 'NOT-SSE');

function add(a: ObjectTally, b: ObjectTally): ObjectTally {
  return { objects: a.objects + b.objects, bytes: a.bytes + b.bytes };
}

const ZERO: ObjectTally = { objects: 0, bytes: 0 };

/** Percentage with no rounding: renderers decide how to show it, and never round 99.999 up to 100. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (part / whole) * 100;
}

function totals(tally: TallyByStatus): { total: ObjectTally; encrypted: ObjectTally; unencrypted: ObjectTally } {
  const encrypted = ENCRYPTED.reduce((acc, s) => add(acc, tally[s]), ZERO);
  const unencrypted = tally['NOT-SSE'];
  return { total: add(encrypted, unencrypted), encrypted, unencrypted };
}

export function bucketCoverage(inv: InventoryEvidence): BucketCoverage {
  if (inv.status === 'missing') {
    // Evidence collected before the cause was recorded: stale reports are named, the rest is unknown.
    const cause = inv.cause ?? (inv.staleReports?.length ? 'stale' : undefined);
    return { state: 'no_inventory', reason: inv.reason, ...(cause ? { cause } : {}) };
  }
  if (inv.status === 'unverified') {
    return {
      state: 'unverified',
      reason: inv.reason,
      problems: inv.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`),
    };
  }
  const { total, encrypted, unencrypted } = totals(inv.tally);
  return {
    state: 'measured',
    reportDate: inv.reportDate,
    tally: inv.tally,
    total,
    encrypted,
    unencrypted,
    objectsPct: percent(encrypted.objects, total.objects),
    bytesPct: percent(encrypted.bytes, total.bytes),
    unknownStatus: inv.unknownStatus,
    deleteMarkers: inv.deleteMarkers,
    objectVersions: inv.includesVersions ? 'all' : 'current',
    largestUnencrypted: inv.largestUnencrypted,
    ...(inv.oldestUnencryptedLastModified ? { oldestUnencryptedLastModified: inv.oldestUnencryptedLastModified } : {}),
    unencryptedExport: inv.unencryptedExport,
  };
}

/** Tenant coverage over measured buckets only; the basis says how many buckets that is. */
export function summariseCoverage(coverages: BucketCoverage[]): CoverageSummary {
  const tally = emptyTally();
  let measured = 0;
  let deleteMarkers = 0;
  const versions = new Set<'current' | 'all'>();
  for (const c of coverages) {
    if (c.state !== 'measured') continue;
    measured++;
    deleteMarkers += c.deleteMarkers;
    if (c.objectVersions) versions.add(c.objectVersions);
    for (const s of ENCRYPTION_STATUSES) tally[s] = add(tally[s], c.tally[s]);
  }
  const { total, encrypted, unencrypted } = totals(tally);
  return {
    measuredBuckets: measured,
    totalBuckets: coverages.length,
    tally,
    total,
    encrypted,
    unencrypted,
    objectsPct: measured === 0 ? null : percent(encrypted.objects, total.objects),
    bytesPct: measured === 0 ? null : percent(encrypted.bytes, total.bytes),
    deleteMarkers,
    ...(versions.size > 0
      ? { objectVersions: versions.size > 1 ? 'mixed' : versions.has('all') ? 'all' : 'current' }
      : {}),
  };
}
