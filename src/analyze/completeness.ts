import type { BucketEvidence, TenantEvidence } from '../evidence/bundle.js';
import { listedBucketRegions } from '../evidence/listed-region.js';
import type { EvidenceRecord, FailedRecord } from '../evidence/record.js';
import type { MissingEvidence } from '../model/packet.js';

/**
 * A read the tool made and could not complete: refused, failed, unreadable (wrong shape) or not
 * attempted. `not_configured` (NoSuchBucketPolicy, ObjectLockConfigurationNotFoundError, …) is an
 * answer about the resource's state, not missing evidence.
 */
function failed(rec: EvidenceRecord | undefined): rec is FailedRecord {
  return rec !== undefined && (rec.outcome === 'access_denied' || rec.outcome === 'error');
}

function item(scope: string, rec: FailedRecord): MissingEvidence {
  return { scope, source: rec.operation, reason: `${rec.error.code}: ${rec.error.message}` };
}

/**
 * Why a bucket's region, read from no GetBucketLocation, is not evidenced by its account's ListBuckets
 * answer (no usable BucketRegion there, or another region than the one recorded); undefined when it is.
 */
function unevidencedRegion(
  b: BucketEvidence,
  listed: { file: string; regions: ReadonlyMap<string, string> } | undefined,
): string | undefined {
  if (!listed)
    return `no s3:ListBuckets answer of account ${b.account} lists the bucket, and s3:GetBucketLocation was not read: its region is unknown`;
  const region = listed.regions.get(b.name);
  if (region === undefined)
    return `${listed.file} gives no usable BucketRegion for the bucket, and s3:GetBucketLocation was not read: its region is unknown`;
  if (region !== b.region)
    return `${listed.file} gives the bucket's region as ${region}, but the evidence index records ${b.region ?? 'none'}`;
  return undefined;
}

/**
 * Everything the tool read and could not read. Every failed read of collected evidence is listed,
 * whether or not a verdict needs it: the packet claims to hold that evidence, so without it the
 * packet is incomplete (exit code 3), whatever the verdicts say. Which verdicts turn NOT EVALUATED
 * is each section's business (buckets, keys, drift).
 *
 * `unparsablePolicies`: bucket name → why its policy could not be analysed.
 */
export function missingEvidence(
  ev: TenantEvidence,
  unparsablePolicies: ReadonlyMap<string, string>,
): MissingEvidence[] {
  const missing: MissingEvidence[] = ev.collectionProblems.map((p) => ({
    scope: p.scope,
    source: 'collection',
    reason: p.message,
  }));
  for (const b of ev.undeterminedBuckets)
    missing.push({ scope: `bucket ${b.name}`, source: 'bucket selection', reason: b.reason });
  for (const a of ev.accounts) {
    if (failed(a.listBuckets)) missing.push(item(`account ${a.id}`, a.listBuckets));
    for (const r of ev.directoryBuckets ?? [])
      if (r.account === a.id && failed(r.list)) missing.push(item(`account ${a.id} ${r.region}`, r.list));
    for (const rec of a.aliases) if (failed(rec)) missing.push(item(`account ${a.id} ${rec.region}`, rec));
  }
  const listedRegions = new Map(
    ev.accounts.map((a) => [a.id, { file: a.listBuckets.file, regions: listedBucketRegions(a.listBuckets) }]),
  );
  for (const b of ev.buckets) {
    const scope = `bucket ${b.name}`;
    if (!b.location) {
      const problem = unevidencedRegion(b, listedRegions.get(b.account));
      if (problem) missing.push({ scope, source: 's3:ListBuckets', reason: problem });
    }
    const records = [
      b.location,
      b.tagging,
      b.encryption,
      b.policy,
      b.publicAccessBlock,
      ...Object.values(b.extra ?? {}),
    ];
    for (const rec of records) if (failed(rec)) missing.push(item(scope, rec));
    const unparsable = unparsablePolicies.get(b.name);
    if (unparsable !== undefined) missing.push({ scope, source: 's3:GetBucketPolicy', reason: unparsable });
    const inv = b.inventory;
    if (inv.status === 'missing') missing.push({ scope, source: 'S3 Inventory', reason: inv.reason });
    if (inv.status === 'unverified') {
      const first = inv.problems[0];
      const detail = first
        ? `: ${first.file}${first.line !== undefined ? ` line ${first.line}` : ''}: ${first.message}${inv.problems.length > 1 ? ` (and ${inv.problems.length - 1} more)` : ''}`
        : '';
      missing.push({ scope, source: 'S3 Inventory', reason: `${inv.reason}${detail}` });
    }
  }
  for (const k of ev.keys) {
    const scope = `key ${k.reference}`;
    for (const rec of [k.describe, k.rotation, k.policy, ...Object.values(k.extra ?? {})])
      if (failed(rec)) missing.push(item(scope, rec));
  }
  return missing;
}
