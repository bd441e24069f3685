import type { TenantConfig } from '../config/schema.js';
import type { BucketEvidence } from '../evidence/bundle.js';
import type { BucketResult, DefaultEncryption, Enforcement, KeyResult } from '../model/packet.js';
import { bucketCoverage } from './coverage.js';
import { defaultEncryptionOf } from './default-encryption.js';
import { expectationFor } from './expectations.js';
import { analyzeBucketPolicy } from './policy/index.js';
import { bucketEvidenceFiles } from './bucket-evidence.js';
import { firstByKey, joinKey } from './lookup.js';
import { sseCBlockingOf } from './sse-c-blocking.js';

type PolicyView = Pick<BucketResult, 'sseEnforcement' | 'tlsEnforcement' | 'policyState'>;

function policyView(b: BucketEvidence): PolicyView {
  const rec = b.policy;
  if (rec.outcome === 'not_configured') {
    const none: Enforcement = { level: 'no', reason: 'the bucket has no bucket policy', statements: [] };
    return { policyState: 'none', sseEnforcement: none, tlsEnforcement: none };
  }
  if (rec.outcome !== 'ok') {
    const unknown: Enforcement = {
      level: 'unknown',
      reason: `bucket policy unreadable (${rec.error.code})`,
      statements: [],
    };
    return { policyState: 'unreadable', sseEnforcement: unknown, tlsEnforcement: unknown };
  }
  const analysis = analyzeBucketPolicy(rec.response.Policy ?? '', b.name);
  if (analysis.state === 'unparsable') {
    const unknown: Enforcement = {
      level: 'unknown',
      reason: `bucket policy unparsable: ${analysis.error}`,
      statements: [],
    };
    return { policyState: 'unparsable', sseEnforcement: unknown, tlsEnforcement: unknown };
  }
  const { level, reason, statements } = analysis.sse;
  return {
    policyState: 'present',
    sseEnforcement: { level, reason, statements },
    tlsEnforcement: {
      level: analysis.tls.level,
      reason: analysis.tls.reason,
      statements: analysis.tls.statements,
      ...(analysis.tls.minimumTlsVersion ? { minimumTlsVersion: analysis.tls.minimumTlsVersion } : {}),
    },
  };
}

function publicAccessBlockOf(b: BucketEvidence): BucketResult['publicAccessBlock'] {
  const rec = b.publicAccessBlock;
  if (rec.outcome === 'not_configured') return { state: 'not_configured' };
  if (rec.outcome !== 'ok') return { state: 'unreadable', errorCode: rec.error.code };
  const cfg = rec.response.PublicAccessBlockConfiguration ?? {};
  const settings = {
    BlockPublicAcls: cfg.BlockPublicAcls === true,
    IgnorePublicAcls: cfg.IgnorePublicAcls === true,
    BlockPublicPolicy: cfg.BlockPublicPolicy === true,
    RestrictPublicBuckets: cfg.RestrictPublicBuckets === true,
  };
  return { state: 'configured', allFour: Object.values(settings).every(Boolean), settings };
}

/** Adds what DescribeKey told about the bucket's default key. */
function withKey(enc: DefaultEncryption, bucket: string, keys: KeyResult[]): DefaultEncryption {
  if (enc.state !== 'enabled' || enc.mode === 'SSE-S3') return enc;
  const byUse = firstByKey(keys, 'bucket+reference', (k) => k.usedBy.map((b) => joinKey(b, k.reference)));
  const key = byUse.get(joinKey(bucket, enc.kmsKeyId ?? 'alias/aws/s3'));
  if (!key) return { ...enc, keyManager: 'unknown' };
  return { ...enc, ...(key.arn ? { kmsKeyArn: key.arn } : {}), keyManager: key.readable ? key.manager : 'unknown' };
}

/** `listBucketsFile`: the bucket's account's list-buckets.json (the region's evidence when no GetBucketLocation was read). */
export function bucketResult(
  b: BucketEvidence,
  tenant: TenantConfig,
  keys: KeyResult[],
  listBucketsFile: string,
): BucketResult {
  return {
    name: b.name,
    account: b.account,
    region: b.region ?? 'unknown',
    defaultEncryption: withKey(defaultEncryptionOf(b.encryption), b.name, keys),
    expectation: expectationFor(tenant, b.name),
    sseC: sseCBlockingOf(b.encryption),
    ...policyView(b),
    publicAccessBlock: publicAccessBlockOf(b),
    coverage: bucketCoverage(b.inventory),
    evidence: bucketEvidenceFiles(b, listBucketsFile),
  };
}
