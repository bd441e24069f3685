import type { TenantConfig } from '../config/schema.js';
import type { GetBucketEncryptionOutput, GetBucketPolicyOutput } from '../evidence/aws-shapes.js';
import type { DirectoryBucketRegionEvidence } from '../evidence/directory-buckets.js';
import type { FiledRecord } from '../evidence/record.js';
import type {
  DirectoryBucketResult,
  DirectoryBucketsSection,
  DirectoryEncryption,
  DirectoryPolicy,
} from '../model/directory-buckets.js';
import type { KeyResult, MissingEvidence } from '../model/packet.js';
import { readJson } from '../format/json-keys.js';
import { expectationFor } from './expectations.js';
import { regionalListingResults } from './regional-listings.js';

function encryptionOf(r: FiledRecord<GetBucketEncryptionOutput>): DirectoryEncryption {
  if (r.outcome !== 'ok') return { state: 'unreadable', errorCode: r.error.code, message: r.error.message };
  // Read through the documented shape: at least one rule, AES256 or aws:kms (directory buckets have no other).
  const rule = r.response.ServerSideEncryptionConfiguration!.Rules![0]!;
  const byDefault = rule.ApplyServerSideEncryptionByDefault!;
  const bucketKeyEnabled = rule.BucketKeyEnabled === true;
  if (byDefault.SSEAlgorithm !== 'aws:kms') return { state: 'read', mode: 'SSE-S3', bucketKeyEnabled };
  return {
    state: 'read',
    mode: 'SSE-KMS',
    ...(byDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.KMSMasterKeyID } : {}),
    bucketKeyEnabled,
  };
}

function policyOf(r: FiledRecord<GetBucketPolicyOutput>): DirectoryPolicy {
  if (r.outcome === 'not_configured') return { state: 'none' };
  if (r.outcome !== 'ok') return { state: 'unreadable', errorCode: r.error.code, message: r.error.message };
  // Not JSON, or a key named twice (two Statement lists): its statements cannot be counted.
  const read = readJson(r.response.Policy ?? '');
  if (!('value' in read) || read.value === null) return { state: 'unparsable' };
  const s = (read.value as { Statement?: unknown }).Statement;
  return { state: 'present', statements: Array.isArray(s) ? s.length : s && typeof s === 'object' ? 1 : 0 };
}

/** Directory bucket names end in --<zone id>--x-s3 (AWS's naming rule). */
const zoneIdOf = (name: string) => /--([a-z0-9-]+?)--x-s3$/.exec(name)?.[1];

/** The directory buckets section: pure, from the directory-bucket evidence and the keys read for them. */
export function directoryBucketsSection(
  regions: DirectoryBucketRegionEvidence[],
  tenant: TenantConfig,
  keys: KeyResult[],
): DirectoryBucketsSection {
  const buckets: DirectoryBucketResult[] = [];
  for (const r of regions) {
    for (const b of r.buckets) {
      const encryption = encryptionOf(b.encryption);
      const keyRef = encryption.state === 'read' ? encryption.kmsKeyId : undefined;
      const key = keyRef ? keys.find((k) => k.reference === keyRef || k.arn === keyRef) : undefined;
      const zoneId = zoneIdOf(b.name);
      buckets.push({
        name: b.name,
        account: b.account,
        region: b.region,
        ...(zoneId ? { zoneId } : {}),
        encryption,
        ...(key?.arn ? { kmsKeyArn: key.arn } : {}),
        ...(key?.alias ? { keyAlias: key.alias } : {}),
        policy: policyOf(b.policy),
        expectation: expectationFor(tenant, b.name),
        evidence: [b.encryption.file, b.policy.file],
      });
    }
  }
  return {
    regions: regionalListingResults(regions),
    buckets,
  };
}

/** What could not be read about a directory bucket in scope: its encryption or its policy. (Unlisted regions: completeness.) */
export function directoryBucketsMissing(section: DirectoryBucketsSection): MissingEvidence[] {
  const out: MissingEvidence[] = [];
  for (const b of section.buckets) {
    const scope = `directory bucket ${b.name}`;
    if (b.encryption.state === 'unreadable')
      out.push({
        scope,
        source: 's3express:GetBucketEncryption',
        reason: `${b.encryption.errorCode}: ${b.encryption.message}`,
      });
    if (b.policy.state === 'unreadable')
      out.push({ scope, source: 's3express:GetBucketPolicy', reason: `${b.policy.errorCode}: ${b.policy.message}` });
  }
  return out;
}
