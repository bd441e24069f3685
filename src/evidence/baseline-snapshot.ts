/**
 * The governed state of a tenant at one moment: per bucket its default encryption, bucket policy
 * and public access block; per key its policy and rotation. Taken from evidence as AWS returned
 * it. What could not be read is recorded as unreadable, never as absent.
 */
import type { BucketEvidence, KeyEvidence, TenantEvidence } from './bundle.js';
import type { GetBucketEncryptionOutput, GetPublicAccessBlockOutput } from './aws-shapes.js';
import type { FiledRecord } from './record.js';
import { readJson } from '../format/json-keys.js';

export const SNAPSHOT_VERSION = 1;

interface Unreadable {
  state: 'unreadable';
  errorCode: string;
  message: string;
}

export type EncryptionSnapshot =
  | { state: 'configured'; configuration: NonNullable<GetBucketEncryptionOutput['ServerSideEncryptionConfiguration']> }
  | { state: 'not_configured' }
  | Unreadable;

/**
 * A policy document: parsed JSON as stored, or its text when it is not JSON or has no single reading
 * (`repeatedKey`: it names a key twice in one object, which JSON readers resolve differently).
 */
export type PolicySnapshot =
  | { state: 'present'; document: unknown }
  | { state: 'unparsable'; text: string; error: string; repeatedKey?: true }
  | { state: 'none' }
  | Unreadable;

export type PublicAccessBlockSnapshot =
  | { state: 'configured'; configuration: NonNullable<GetPublicAccessBlockOutput['PublicAccessBlockConfiguration']> }
  | { state: 'not_configured' }
  | Unreadable;

export type RotationSnapshot =
  | { state: 'enabled'; periodDays?: number }
  | { state: 'disabled' }
  /** AWS-managed key: AWS rotates it; the rotation status is not asked. */
  | { state: 'aws_managed' }
  | { state: 'not_collected' }
  | Unreadable;

export interface BucketSnapshot {
  name: string;
  account: string;
  region?: string;
  encryption: EncryptionSnapshot;
  policy: PolicySnapshot;
  publicAccessBlock: PublicAccessBlockSnapshot;
}

export interface KeySnapshot {
  /** Identity across months: the key ARN when DescribeKey answered, else the reference. */
  id: string;
  /** Every way buckets or the config referred to it (ARN, key id, alias). */
  references: string[];
  arn?: string;
  account: string;
  region: string;
  manager: 'AWS' | 'CUSTOMER' | 'unknown';
  describe: { state: 'ok' } | Unreadable;
  policy: PolicySnapshot | { state: 'not_collected' };
  rotation: RotationSnapshot;
}

/** A directory bucket's governed state: default encryption and policy (its public access is always blocked). */
export interface DirectoryBucketSnapshot {
  name: string;
  account: string;
  region: string;
  encryption: EncryptionSnapshot;
  policy: PolicySnapshot;
}

export interface BaselineSnapshot {
  snapshotVersion: typeof SNAPSHOT_VERSION;
  tenant: string;
  /** The period whose evidence this was taken from. */
  period: string;
  /** When the evidence was collected (run.startedAt). */
  collectedAt: string;
  /** Sorted by name. */
  buckets: BucketSnapshot[];
  /** Sorted by id. */
  keys: KeySnapshot[];
  /** Sorted by name; absent in snapshots of evidence collected before directory buckets were read. */
  directoryBuckets?: DirectoryBucketSnapshot[];
}

function unreadable(record: FiledRecord): Unreadable | undefined {
  if (record.outcome === 'ok' || record.outcome === 'not_configured') return undefined;
  return { state: 'unreadable', errorCode: record.error.code, message: record.error.message };
}

/** A policy string from GetBucketPolicy / GetKeyPolicy, parsed if it is JSON. */
function policySnapshotOf(record: FiledRecord<{ Policy?: string }>): PolicySnapshot {
  if (record.outcome === 'not_configured') return { state: 'none' };
  const failed = unreadable(record);
  if (failed || record.outcome !== 'ok') return failed!;
  const text = record.response.Policy;
  if (text === undefined || text.trim() === '') return { state: 'none' };
  const read = readJson(text.replace(/^\uFEFF/, ''));
  if ('invalid' in read) return { state: 'unparsable', text, error: read.invalid };
  if ('twice' in read) return { state: 'unparsable', text, error: `it ${read.twice}`, repeatedKey: true };
  return { state: 'present', document: read.value };
}

function encryptionOf(record: BucketEvidence['encryption']): EncryptionSnapshot {
  if (record.outcome === 'not_configured') return { state: 'not_configured' };
  if (record.outcome !== 'ok') return unreadable(record)!;
  const configuration = record.response.ServerSideEncryptionConfiguration;
  return configuration ? { state: 'configured', configuration } : { state: 'not_configured' };
}

function publicAccessBlockOf(record: BucketEvidence['publicAccessBlock']): PublicAccessBlockSnapshot {
  if (record.outcome === 'not_configured') return { state: 'not_configured' };
  if (record.outcome !== 'ok') return unreadable(record)!;
  const configuration = record.response.PublicAccessBlockConfiguration;
  return configuration ? { state: 'configured', configuration } : { state: 'not_configured' };
}

function bucketSnapshot(b: BucketEvidence): BucketSnapshot {
  return {
    name: b.name,
    account: b.account,
    ...(b.region ? { region: b.region } : {}),
    encryption: encryptionOf(b.encryption),
    policy: policySnapshotOf(b.policy),
    publicAccessBlock: publicAccessBlockOf(b.publicAccessBlock),
  };
}

function rotationOf(k: KeyEvidence, manager: KeySnapshot['manager']): RotationSnapshot {
  if (manager === 'AWS') return { state: 'aws_managed' };
  if (!k.rotation) return { state: 'not_collected' };
  if (k.rotation.outcome !== 'ok')
    return (
      unreadable(k.rotation) ?? {
        state: 'unreadable',
        errorCode: k.rotation.error.code,
        message: k.rotation.error.message,
      }
    );
  const r = k.rotation.response;
  if (r.KeyRotationEnabled !== true) return { state: 'disabled' };
  return { state: 'enabled', ...(r.RotationPeriodInDays !== undefined ? { periodDays: r.RotationPeriodInDays } : {}) };
}

function keySnapshot(k: KeyEvidence): KeySnapshot {
  const base = { references: [k.reference], account: k.account, region: k.region };
  if (k.describe.outcome !== 'ok') {
    const failed: Unreadable = {
      state: 'unreadable',
      errorCode: k.describe.error.code,
      message: k.describe.error.message,
    };
    return {
      id: k.reference,
      ...base,
      manager: 'unknown',
      describe: failed,
      policy: k.policy ? policySnapshotOf(k.policy) : { state: 'not_collected' },
      rotation: failed,
    };
  }
  const meta = k.describe.response.KeyMetadata ?? {};
  const manager = meta.KeyManager === 'AWS' ? 'AWS' : meta.KeyManager === 'CUSTOMER' ? 'CUSTOMER' : 'unknown';
  return {
    id: meta.Arn ?? k.reference,
    ...base,
    ...(meta.Arn ? { arn: meta.Arn } : {}),
    manager,
    describe: { state: 'ok' },
    policy: k.policy ? policySnapshotOf(k.policy) : { state: 'not_collected' },
    rotation: rotationOf(k, manager),
  };
}

/** Two references (alias and ARN) to the same key become one entry; the first read wins. */
function mergeKeys(keys: KeySnapshot[]): KeySnapshot[] {
  const byId = new Map<string, KeySnapshot>();
  for (const k of keys) {
    const seen = byId.get(k.id);
    if (!seen) byId.set(k.id, k);
    else seen.references = [...new Set([...seen.references, ...k.references])].sort();
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function snapshotFromEvidence(ev: TenantEvidence): BaselineSnapshot {
  return {
    snapshotVersion: SNAPSHOT_VERSION,
    tenant: ev.tenant.id,
    period: ev.period.label,
    collectedAt: ev.run.startedAt,
    buckets: ev.buckets.map(bucketSnapshot).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    keys: mergeKeys(ev.keys.map(keySnapshot)),
    ...(ev.directoryBuckets
      ? {
          directoryBuckets: ev.directoryBuckets
            .flatMap((r) => r.buckets)
            .map((b) => ({
              name: b.name,
              account: b.account,
              region: b.region,
              encryption: encryptionOf(b.encryption),
              policy: policySnapshotOf(b.policy),
            }))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        }
      : {}),
  };
}

export const BASELINE_FORMAT_VERSION = 1;

export interface StoredBaseline {
  formatVersion: typeof BASELINE_FORMAT_VERSION;
  version: number;
  tenant: string;
  /** The period whose evidence was approved. */
  period: string;
  approvedBy: string;
  /** ISO-8601 UTC. */
  approvedAt: string;
  reason: string;
  /** sha256 of the approved evidence (the packet's manifest.json, or its evidence file list). */
  evidenceSha256: string;
  /** What evidenceSha256 is the hash of. */
  evidenceBasis?: string;
  /** sha256 of the snapshot as stored (compact JSON), so a later edit of the file shows. */
  snapshotSha256: string;
  snapshot: BaselineSnapshot;
}
