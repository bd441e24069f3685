import type { GetBucketEncryptionOutput } from '../evidence/aws-shapes.js';
import type { EvidenceRecord } from '../evidence/record.js';
import type { DefaultEncryption, DefaultEncryptionMode } from '../model/packet.js';

/** SSEAlgorithm as S3 reports it → the mode name used in the packet. */
export function modeForAlgorithm(algorithm: string): DefaultEncryptionMode | undefined {
  switch (algorithm) {
    case 'AES256':
      return 'SSE-S3';
    case 'aws:kms':
      return 'SSE-KMS';
    case 'aws:kms:dsse':
      return 'DSSE-KMS';
    default:
      return undefined;
  }
}

/**
 * Bucket default encryption from GetBucketEncryption. S3 applies the first rule; further rules are
 * counted, not merged. An unreadable answer stays unreadable: it is never "not encrypted".
 */
export function defaultEncryptionOf(record: EvidenceRecord<GetBucketEncryptionOutput>): DefaultEncryption {
  if (record.outcome === 'not_configured') return { state: 'not_configured' };
  if (record.outcome !== 'ok')
    return { state: 'unreadable', errorCode: record.error.code, message: record.error.message };
  const rules = record.response.ServerSideEncryptionConfiguration?.Rules ?? [];
  const first = rules[0];
  const byDefault = first?.ApplyServerSideEncryptionByDefault;
  if (!byDefault?.SSEAlgorithm) return { state: 'not_configured' };
  const mode = modeForAlgorithm(byDefault.SSEAlgorithm);
  if (!mode) {
    return {
      state: 'unreadable',
      errorCode: 'UnknownAlgorithm',
      message: `unknown SSEAlgorithm "${byDefault.SSEAlgorithm}"`,
    };
  }
  return {
    state: 'enabled',
    mode,
    algorithm: byDefault.SSEAlgorithm,
    ...(mode !== 'SSE-S3' && byDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.KMSMasterKeyID } : {}),
    bucketKeyEnabled: first?.BucketKeyEnabled === true,
    extraRules: Math.max(0, rules.length - 1),
  };
}
