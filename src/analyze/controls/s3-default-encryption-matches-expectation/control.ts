import type { DefaultEncryptionMode } from '../../../model/packet.js';
import type { Control } from '../control.js';
import { bucketEvidence } from '../../bucket-evidence.js';

/** Modes ordered by strength; a requirement is a minimum. */
const STRENGTH: Record<DefaultEncryptionMode, number> = { 'SSE-S3': 1, 'SSE-KMS': 2, 'DSSE-KMS': 3 };

export const control: Control = {
  id: 's3-default-encryption-matches-expectation',
  scope: 'buckets',
  evaluate: ({ buckets }) =>
    buckets.map((b) => {
      const enc = b.defaultEncryption;
      const want = b.expectation;
      const evidence = [bucketEvidence(b, 'encryption')];
      if (enc.state === 'unreadable') {
        return {
          resource: b.name,
          verdict: 'not_evaluated',
          reason: `GetBucketEncryption failed: ${enc.errorCode}`,
          evidence,
        };
      }
      if (enc.state === 'not_configured') {
        return {
          resource: b.name,
          verdict: 'fail',
          reason: 'no default encryption configuration',
          evidence,
          facts: { actual: 'none', required: want.requiredMode },
        };
      }
      if (want.requiredMode !== 'any' && STRENGTH[enc.mode] < STRENGTH[want.requiredMode]) {
        return {
          resource: b.name,
          verdict: 'fail',
          reason: `default encryption is ${enc.mode}; ${want.source} requires at least ${want.requiredMode}`,
          evidence,
          facts: { actual: enc.mode, required: want.requiredMode },
        };
      }
      if (want.allowedKmsKeys.length > 0 && enc.mode !== 'SSE-S3') {
        const key = enc.kmsKeyArn ?? enc.kmsKeyId;
        if (!key) {
          return {
            resource: b.name,
            verdict: 'fail',
            reason: 'uses the AWS-managed key aws/s3, which is not an allowed key',
            evidence,
            facts: { actual: 'aws/s3', required: 'an allowed key' },
          };
        }
        if (!enc.kmsKeyArn && !key.startsWith('arn:')) {
          return {
            resource: b.name,
            verdict: 'not_evaluated',
            reason: `key "${key}" could not be resolved to an ARN (DescribeKey unreadable)`,
            evidence,
          };
        }
        if (!want.allowedKmsKeys.includes(enc.kmsKeyArn ?? key)) {
          return {
            resource: b.name,
            verdict: 'fail',
            reason: `default key ${enc.kmsKeyArn ?? key} is not in the allowed list of ${want.source}`,
            evidence,
            facts: { actual: enc.kmsKeyArn ?? key, required: 'an allowed key' },
          };
        }
      }
      const required = want.requiredMode === 'any' ? 'any mode' : `at least ${want.requiredMode}`;
      return { resource: b.name, verdict: 'pass', reason: `${enc.mode} meets ${required} (${want.source})`, evidence };
    }),
};
