import type { KeyPrincipalUsage, KeyUsage, KeyUsageSection } from '../../model/log-sections.js';
import type { KeyManagementEvent, PrincipalKind } from '../../evidence/log-scans.js';
import type { CloudTrailScan, KmsCallTally } from '../../evidence/log-scans.js';
import type { KmsManagementRecord } from '../../evidence/log-scans.js';
import { compareKmsTallies } from '../../evidence/log-scans.js';
import type { AccountEvidence } from '../../evidence/bundle.js';
import { expectationFor, type ExpectedPrincipals } from './expected-principals.js';
import { locatedIn, mergeSkipped } from './log-problems.js';
import { cloudTrailSummary } from './merge-denied-uploads.js';
import { Tally } from './tally.js';
import type { KeyUsageRow } from '../../model/export-rows.js';

export interface SummarizeKeyUsageInput {
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** null: no CloudTrail location configured for the tenant. */
  cloudTrail: CloudTrailScan[] | null;
  expectedPrincipals?: ExpectedPrincipals;
  /** The tenant's key ARNs: each is reported (with zero calls if unused), others are left out. Empty: every key seen. */
  keys: readonly string[];
  /** Length of each key's principal list in the section (the export has all). Default 20. */
  topN?: number;
  /** Alias ARN → key ARN (aliasTargets): calls that named a key by alias count for the key. */
  aliases?: ReadonlyMap<string, string>;
}

/** Alias ARN → the ARN of the key it targets, from every account's ListAliases answers in the evidence. */
export function aliasTargets(accounts: readonly AccountEvidence[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of accounts) {
    for (const rec of a.aliases) {
      if (rec.outcome !== 'ok') continue;
      for (const alias of rec.response.Aliases ?? []) {
        if (!alias.TargetKeyId || !alias.AliasName) continue;
        const aliasArn = alias.AliasArn ?? `arn:aws:kms:${rec.region}:${a.id}:${alias.AliasName}`;
        const keyArn = alias.TargetKeyId.startsWith('arn:')
          ? alias.TargetKeyId
          : aliasArn.replace(/:alias\/.*$/, `:key/${alias.TargetKeyId}`);
        out.set(aliasArn, keyArn);
      }
    }
  }
  return out;
}

/** Tallies with aliases resolved to their keys; two tallies that then name the same key, principal, operation, day and bucket become one. */
function resolveTallies(tallies: KmsCallTally[], aliases: ReadonlyMap<string, string>): KmsCallTally[] {
  if (aliases.size === 0) return tallies;
  const merged = new Map<string, KmsCallTally>();
  for (const t of tallies) {
    const keyArn = aliases.get(t.keyArn) ?? t.keyArn;
    const id = `${keyArn}\t${t.principal}\t${t.operation}\t${t.day}\t${t.bucket}`;
    const m = merged.get(id);
    if (!m) {
      merged.set(id, { ...t, keyArn, errorCodes: { ...t.errorCodes }, via: [...t.via] });
      continue;
    }
    m.calls += t.calls;
    m.failures += t.failures;
    for (const [code, n] of Object.entries(t.errorCodes)) m.errorCodes[code] = (m.errorCodes[code] ?? 0) + n;
    m.via = [...new Set([...m.via, ...t.via])].sort();
    if (t.firstSeen < m.firstSeen) m.firstSeen = t.firstSeen;
    if (t.lastSeen > m.lastSeen) m.lastSeen = t.lastSeen;
  }
  return [...merged.values()].sort(compareKmsTallies);
}

/** Per key: calls by operation, principal and bucket, failures, unexpected principals, management events. Pure. */
export function summariseKeyUsage(input: SummarizeKeyUsageInput): {
  section: KeyUsageSection;
  rows: KeyUsageRow[];
  managementEvents: KmsManagementRecord[];
} {
  if (input.cloudTrail === null) {
    return {
      section: { state: 'not_collected', reason: 'no CloudTrail location is configured for this tenant' },
      rows: [],
      managementEvents: [],
    };
  }
  const topN = input.topN ?? 20;
  const listed = input.keys.length > 0 ? new Set(input.keys) : null;
  const aliases = input.aliases ?? new Map<string, string>();
  const tallies = resolveTallies(
    input.cloudTrail.flatMap((s) => s.kmsTallies),
    aliases,
  ).filter((t) => !listed || listed.has(t.keyArn));
  const management = input.cloudTrail
    .flatMap((s) => s.kmsManagementEvents)
    .map((e) => (aliases.has(e.keyArn) ? { ...e, keyArn: aliases.get(e.keyArn)! } : e))
    .filter((e) => !listed || listed.has(e.keyArn));
  const keyArns = [
    ...new Set([...(listed ?? []), ...tallies.map((t) => t.keyArn), ...management.map((e) => e.keyArn)]),
  ].sort();

  const rows: KeyUsageRow[] = [];
  const keys: KeyUsage[] = [];
  for (const keyArn of keyArns) {
    const expectation = expectationFor(input.expectedPrincipals, keyArn);
    const isExpected = (p: string): boolean | null => (expectation.configured ? expectation.matches(p) : null);
    const operations = new Tally();
    const buckets = new Tally();
    const errorCodes = new Tally();
    const principals = new Map<
      string,
      {
        kind: PrincipalKind;
        calls: number;
        failures: number;
        via: Set<string>;
        ops: Set<string>;
        first: string;
        last: string;
      }
    >();
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
      if (!p)
        principals.set(
          t.principal,
          (p = {
            kind: t.kind,
            calls: 0,
            failures: 0,
            via: new Set(),
            ops: new Set(),
            first: t.firstSeen,
            last: t.lastSeen,
          }),
        );
      p.calls += t.calls;
      p.failures += t.failures;
      t.via.forEach((v) => p.via.add(v));
      p.ops.add(t.operation);
      if (t.firstSeen < p.first) p.first = t.firstSeen;
      if (t.lastSeen > p.last) p.last = t.lastSeen;
    }
    const byPrincipal: KeyPrincipalUsage[] = [...principals.entries()]
      .map(([principal, p]) => ({
        principal,
        kind: p.kind,
        calls: p.calls,
        failures: p.failures,
        via: [...p.via].sort(),
        expected: isExpected(principal),
      }))
      .sort((a, b) => b.calls - a.calls || (a.principal < b.principal ? -1 : 1));
    const unexpected = [...principals.entries()]
      .filter(([principal]) => isExpected(principal) === false)
      .map(([principal, p]) => ({
        principal,
        kind: p.kind,
        calls: p.calls,
        operations: [...p.ops].sort(),
        firstSeen: p.first,
        lastSeen: p.last,
      }))
      .sort((a, b) => b.calls - a.calls || (a.principal < b.principal ? -1 : 1));
    const events: KeyManagementEvent[] = management.filter((e) => e.keyArn === keyArn).map(({ keyArn: _k, ...e }) => e);
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
