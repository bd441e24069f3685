import type { TenantEvidence } from '../evidence/bundle.js';
import type { MissingEvidence } from '../model/packet.js';
import type { FiledRecord } from '../evidence/record.js';
import { UNREADABLE } from '../evidence/answers.js';

/**
 * Everything the controls needed and could not read. A non-empty list makes the packet incomplete
 * (exit code 3), whatever the verdicts say.
 */
/** `unparsablePolicies`: bucket name → why its policy could not be analysed. */
export function missingEvidence(ev: TenantEvidence, unparsablePolicies: ReadonlyMap<string, string>): MissingEvidence[] {
  const missing: MissingEvidence[] = ev.collectionProblems.map((p) => ({ scope: p.scope, source: 'collection', reason: p.message }));
  for (const b of ev.undeterminedBuckets) missing.push({ scope: `bucket ${b.name}`, source: 'bucket selection', reason: b.reason });
  for (const b of ev.buckets) {
    const scope = `bucket ${b.name}`;
    // The location only matters when ListBuckets did not name the region; tags only when they select.
    const needed = [b.encryption, b.policy, b.publicAccessBlock, ...(b.region === undefined ? [b.location] : [])];
    for (const rec of needed) {
      if (rec.outcome === 'access_denied' || rec.outcome === 'error') {
        missing.push({ scope, source: rec.operation, reason: `${rec.error.code}: ${rec.error.message}` });
      }
    }
    const unparsable = unparsablePolicies.get(b.name);
    if (unparsable !== undefined) missing.push({ scope, source: 's3:GetBucketPolicy', reason: unparsable });
    const inv = b.inventory;
    if (inv.status === 'missing') missing.push({ scope, source: 'S3 Inventory', reason: inv.reason });
    if (inv.status === 'unverified') {
      const first = inv.problems[0];
      const detail = first ? `: ${first.file}${first.line !== undefined ? ` line ${first.line}` : ''}: ${first.message}${inv.problems.length > 1 ? ` (and ${inv.problems.length - 1} more)` : ''}` : '';
      missing.push({ scope, source: 'S3 Inventory', reason: `${inv.reason}${detail}` });
    }
  }
  for (const k of ev.keys) {
    const scope = `key ${k.reference}`;
    if (k.describe.outcome !== 'ok') missing.push({ scope, source: 'kms:DescribeKey', reason: `${k.describe.error.code}: ${k.describe.error.message}` });
    else {
      if (k.rotation && k.rotation.outcome !== 'ok') {
        missing.push({ scope, source: 'kms:GetKeyRotationStatus', reason: `${k.rotation.error.code}: ${k.rotation.error.message}` });
      }
      if (k.policy && (k.policy.outcome === 'error' || k.policy.outcome === 'access_denied')) {
        missing.push({ scope, source: 'kms:GetKeyPolicy', reason: `${k.policy.error.code}: ${k.policy.error.message}` });
      }
    }
  }
  // Answers no verdict needs are still evidence: one that does not fit its shape is named.
  const named = new Set(missing.map((m) => m.reason));
  for (const { scope, rec } of otherRecords(ev)) {
    if (rec.outcome !== 'error' || rec.error.code !== UNREADABLE) continue;
    const reason = `${rec.error.code}: ${rec.error.message}`;
    if (!named.has(reason)) missing.push({ scope, source: rec.operation, reason });
  }
  return missing;
}

function otherRecords(ev: TenantEvidence): Array<{ scope: string; rec: FiledRecord }> {
  return [
    ...ev.accounts.flatMap((a) => [a.listBuckets, ...a.aliases].map((rec) => ({ scope: `account ${a.id}`, rec: rec as FiledRecord }))),
    ...ev.buckets.flatMap((b) => [b.location, b.tagging, ...Object.values(b.extra ?? {})].map((rec) => ({ scope: `bucket ${b.name}`, rec: rec as FiledRecord }))),
    ...ev.keys.flatMap((k) => [k.policy, ...Object.values(k.extra ?? {})].filter((r) => r !== undefined).map((rec) => ({ scope: `key ${k.reference}`, rec: rec as FiledRecord }))),
  ];
}
