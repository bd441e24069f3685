/** Baseline snapshot vs current snapshot: every drift item, buckets then keys, each in name order. */
import type {
  BaselineSnapshot,
  BucketSnapshot,
  DirectoryBucketSnapshot,
  KeySnapshot,
} from '../../evidence/baseline-snapshot.js';
import type { DriftItem } from '../../model/governance-sections.js';
import { bucketDrift } from './bucket-drift.js';
import { keyDrift } from './key-drift.js';

function bucketState(b: BucketSnapshot): unknown {
  const { name: _name, ...state } = b;
  return state;
}

/** A key is the same key when its id matches, or failing that when the two share a reference (ARN vs alias after a failed DescribeKey). */
function pairKeys(
  before: KeySnapshot[],
  after: KeySnapshot[],
): { pairs: Array<[KeySnapshot, KeySnapshot]>; removed: KeySnapshot[]; added: KeySnapshot[] } {
  const left = new Set(after);
  const pairs: Array<[KeySnapshot, KeySnapshot]> = [];
  const removed: KeySnapshot[] = [];
  const byId = (b: KeySnapshot) => [...left].find((a) => a.id === b.id);
  const byReference = (b: KeySnapshot) =>
    [...left].find(
      (a) => a.references.some((r) => b.references.includes(r) || r === b.id) || b.references.includes(a.id),
    );
  for (const b of before) {
    const a = byId(b) ?? byReference(b);
    if (a) {
      left.delete(a);
      pairs.push([b, a]);
    } else removed.push(b);
  }
  return { pairs, removed, added: [...left] };
}

function firstByName(buckets: readonly BucketSnapshot[]): Map<string, BucketSnapshot> {
  const out = new Map<string, BucketSnapshot>();
  for (const b of buckets) if (!out.has(b.name)) out.set(b.name, b);
  return out;
}

/**
 * Directory buckets against the baseline: encryption and policy as for any bucket (their public access
 * block cannot change). A baseline approved before directory buckets were read has nothing to compare.
 */
function directoryDrift(
  baseline: BaselineSnapshot,
  current: BaselineSnapshot,
  keys: { before: KeySnapshot[]; after: KeySnapshot[] },
): DriftItem[] {
  if (!baseline.directoryBuckets || !current.directoryBuckets) return [];
  const asBucket = (d: DirectoryBucketSnapshot): BucketSnapshot => ({
    ...d,
    publicAccessBlock: { state: 'not_configured' },
  });
  const items: DriftItem[] = [];
  const names = [
    ...new Set([...baseline.directoryBuckets.map((b) => b.name), ...current.directoryBuckets.map((b) => b.name)]),
  ].sort();
  for (const name of names) {
    const b = baseline.directoryBuckets.find((x) => x.name === name);
    const a = current.directoryBuckets.find((x) => x.name === name);
    if (b && a) items.push(...bucketDrift(asBucket(b), asBucket(a), keys));
    else
      items.push({
        resource: name,
        resourceType: 'bucket',
        kind: a ? 'bucket_added' : 'bucket_removed',
        severity: 'medium',
        summary: a
          ? `Directory bucket ${name} is in scope now but not in the baseline.`
          : `Directory bucket ${name} is in the baseline but no longer in scope.`,
        before: b ?? null,
        after: a ?? null,
      });
  }
  return items;
}

export function diffSnapshots(baseline: BaselineSnapshot, current: BaselineSnapshot): DriftItem[] {
  const items: DriftItem[] = [];
  const keys = { before: baseline.keys, after: current.keys };
  const names = [...new Set([...baseline.buckets.map((b) => b.name), ...current.buckets.map((b) => b.name)])].sort();
  // By name, the first of each (a scan of both lists per name was quadratic: 10,000 buckets, 200 M comparisons).
  const before = firstByName(baseline.buckets);
  const after = firstByName(current.buckets);
  for (const name of names) {
    const b = before.get(name);
    const a = after.get(name);
    if (b && a) items.push(...bucketDrift(b, a, keys));
    else if (a) {
      items.push({
        resource: name,
        resourceType: 'bucket',
        kind: 'bucket_added',
        severity: 'medium',
        summary: `Bucket ${name} is in scope now but not in the baseline.`,
        before: null,
        after: bucketState(a),
      });
    } else if (b) {
      items.push({
        resource: name,
        resourceType: 'bucket',
        kind: 'bucket_removed',
        severity: 'medium',
        summary: `Bucket ${name} is in the baseline but no longer in scope.`,
        before: bucketState(b),
        after: null,
      });
    }
  }
  items.push(...directoryDrift(baseline, current, keys));
  const { pairs, removed, added } = pairKeys(baseline.keys, current.keys);
  const keyItems: DriftItem[] = [];
  for (const [b, a] of pairs) keyItems.push(...keyDrift(b, a));
  for (const k of added) {
    keyItems.push({
      resource: k.id,
      resourceType: 'key',
      kind: 'key_added',
      severity: 'medium',
      summary: `Key ${k.id} is in use now but not in the baseline.`,
      before: null,
      after: k,
    });
  }
  for (const k of removed) {
    keyItems.push({
      resource: k.id,
      resourceType: 'key',
      kind: 'key_removed',
      severity: 'medium',
      summary: `Key ${k.id} is in the baseline but no longer in use.`,
      before: k,
      after: null,
    });
  }
  keyItems.sort((x, y) => (x.resource < y.resource ? -1 : x.resource > y.resource ? 1 : 0));
  return [...items, ...keyItems];
}
