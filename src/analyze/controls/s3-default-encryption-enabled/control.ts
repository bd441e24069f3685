import type { Control } from '../control.js';
import { bucketEvidence } from '../../bucket-evidence.js';

export const control: Control = {
  id: 's3-default-encryption-enabled',
  scope: 'buckets',
  evaluate: ({ buckets }) =>
    buckets.map((b) => {
      const enc = b.defaultEncryption;
      const evidence = [bucketEvidence(b, 'encryption')];
      if (enc.state === 'enabled') {
        const key =
          enc.mode === 'SSE-S3' ? '' : ` with ${enc.kmsKeyArn ?? enc.kmsKeyId ?? 'the AWS-managed key aws/s3'}`;
        return {
          resource: b.name,
          verdict: 'pass',
          reason: `default encryption ${enc.mode} (${enc.algorithm})${key}`,
          evidence,
        };
      }
      if (enc.state === 'not_configured') {
        return { resource: b.name, verdict: 'fail', reason: 'no default encryption configuration', evidence };
      }
      return {
        resource: b.name,
        verdict: 'not_evaluated',
        reason: `GetBucketEncryption failed: ${enc.errorCode}`,
        evidence,
        facts: { errorCode: enc.errorCode },
      };
    }),
};
