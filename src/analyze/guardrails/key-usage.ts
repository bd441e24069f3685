import type { KeyManagementEvent, KeyPrincipalUsage, KeyUsage, KeyUsageSection, PrincipalKind } from '../../model/log-sections.js';
import type { CloudTrailScan, KmsCallTally, KmsManagementRecord } from '../../collect/cloudtrail/scan-cloudtrail.js';
import { expectationFor, type ExpectedPrincipals } from './expected-principals.js';
import { locatedIn, mergeSkipped } from './log-problems.js';
import { cloudTrailSummary } from './merge-denied-uploads.js';
import { Tally } from './tally.js';

/** A row of the key-usage export: calls per key, principal, operation, day and bucket. */
export interface KeyUsageRow extends KmsCallTally {
  /** null: no expectation configured for the key. */
  expected: boolean | null;
}

export interface SummarizeKeyUsageInput {
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** null: no CloudTrail location configured for the tenant. */
  cloudTrail: CloudTrailScan[] | null;
  expectedPrincipals?: ExpectedPrincipals;
  /** The tenant's key ARNs: each is reported (with zero calls if unused), others are left out. Empty: every key seen. */
  keys: readonly string[];
  /** Length of each key's principal list in the section (the export has all). Default 20. */
  topN?: number;
}

/** Per key: calls by operation, principal and bucket, failures, unexpected principals, management events. Pure. */
export function summarizeKeyUsage(input: SummarizeKeyUsageInput): { section: KeyUsageSection; rows: KeyUsageRow[]; managementEvents: KmsManagementRecord[] } {
  if (input.cloudTrail === null) {
    return { section: { state: 'not_collected', reason: 'no CloudTrail location is configured for this tenant' }, rows: [], managementEvents: [] };
  }
  const topN = input.topN ?? 20;
  const listed = input.keys.length > 0 ? new Set(input.keys) : null;
  const tallies = input.cloudTrail.flatMap((s) => s.kmsTallies).filter((t) => !listed || listed.has(t.keyArn));
  const management = input.cloudTrail.flatMap((s) => s.kmsManagementEvents).filter((e) => !listed || listed.has(e.keyArn));
  const keyArns = [...new Set([...(listed ?? []), ...tallies.map((t) => t.keyArn), ...management.map((e) => e.keyArn)])].sort();

  const rows: KeyUsageRow[] = [];
  const keys: KeyUsage[] = [];
  for (const keyArn of keyArns) {
    const expectation = expectationFor(input.expectedPrincipals, keyArn);
    const isExpected = (p: string): boolean | null => (expectation.configured ? expectation.matches(p) : null);
    const operations = new Tally();
    const buckets = new Tally();
    const errorCodes = new Tally();
    const principals = new Map<string, { kind: PrincipalKind; calls: number; failures: number; via: Set<string>; ops: Set<string>; first: string; last: string }>();
    let calls = 0;
    let failures = 0;
    for (const t of tallies) {
      if (t.keyArn !== keyArn) continue;
      rows.push({ ...t, expected: isExpected(t.principal) });
      calls += t.calls;
      failures += t.failures;
      operations.add(t.operation, t.calls);
      if (t.bucket) buckets.add(t.bucket, t.calls);
      for (const [code, n] of Object.entries(t.errorCodes)) errorCodes.add(code, n);
      let p = principals.get(t.principal);
      if (!p) principals.set(t.principal, (p = { kind: t.kind, calls: 0, failures: 0, via: new Set(), ops: new Set(), first: t.firstSeen, last: t.lastSeen }));
      p.calls += t.calls;
      p.failures += t.failures;
      t.via.forEach((v) => p.via.add(v));
      p.ops.add(t.operation);
      if (t.firstSeen < p.first) p.first = t.firstSeen;
      if (t.lastSeen > p.last) p.last = t.lastSeen;
    }
    const byPrincipal: KeyPrincipalUsage[] = [...principals.entries()]
      .map(([principal, p]) => ({ principal, kind: p.kind, calls: p.calls, failures: p.failures, via: [...p.via].sort(), expected: isExpected(principal) }))
      .sort((a, b) => b.calls - a.calls || (a.principal < b.principal ? -1 : 1));
    const unexpected = [...principals.entries()]
      .filter(([principal]) => isExpected(principal) === false)
      .map(([principal, p]) => ({ principal, kind: p.kind, calls: p.calls, operations: [...p.ops].sort(), firstSeen: p.first, lastSeen: p.last }))
      .sort((a, b) => b.calls - a.calls || (a.principal < b.principal ? -1 : 1));
    const events: KeyManagementEvent[] = management
      .filter((e) => e.keyArn === keyArn)
      .map(({ keyArn: _k, ...e }) => e);
    keys.push({
      keyArn,
      calls,
      byOperation: operations.sorted(),
      byPrincipal: byPrincipal.slice(0, topN),
      byBucket: buckets.sorted(),
      failures: { total: failures, byErrorCode: errorCodes.sorted() },
      unexpectedPrincipals: unexpected,
      expectationConfigured: expectation.configured,
      managementEvents: events,
    });
  }

  return {
    section: {
      state: 'collected',
      period: { startUtc: input.period.startUtc, endUtc: input.period.endUtc, timeZone: input.period.timeZone },
      source: cloudTrailSummary(input.cloudTrail),
      keys,
      totals: {
        calls: keys.reduce((s, k) => s + k.calls, 0),
        failures: keys.reduce((s, k) => s + k.failures.total, 0),
        unexpectedPrincipals: keys.reduce((s, k) => s + k.unexpectedPrincipals.length, 0),
        managementEvents: keys.reduce((s, k) => s + k.managementEvents.length, 0),
      },
      skipped: mergeSkipped(input.cloudTrail),
      problems: input.cloudTrail.flatMap((s) => s.problems.map((p) => locatedIn(s.location, p))),
    },
    rows,
    managementEvents: management,
  };
}
