import type { DirectoryBucketResult } from '../../../model/directory-buckets.js';
import type { Control, Judgement } from '../control.js';

/** Modes ordered by strength; a requirement is a minimum. Directory buckets have no DSSE-KMS. */
const STRENGTH = { 'SSE-S3': 1, 'SSE-KMS': 2, 'DSSE-KMS': 3 } as const;

function judge(b: DirectoryBucketResult): Judgement {
  const enc = b.encryption;
  const want = b.expectation;
  const evidence = [b.evidence[0]!];
  const base = { resource: b.name, evidence };
  if (enc.state === 'unreadable')
    return { ...base, verdict: 'not_evaluated', reason: `GetBucketEncryption failed: ${enc.errorCode}` };
  if (want.requiredMode !== 'any' && STRENGTH[enc.mode] < STRENGTH[want.requiredMode]) {
    const why = want.requiredMode === 'DSSE-KMS' ? ' (directory buckets offer SSE-S3 and SSE-KMS only)' : '';
    return {
      ...base,
      verdict: 'fail',
      reason: `default encryption is ${enc.mode}; ${want.source} requires at least ${want.requiredMode}${why}`,
      facts: { actual: enc.mode, required: want.requiredMode },
    };
  }
  if (want.allowedKmsKeys.length > 0 && enc.mode === 'SSE-KMS') {
    const key = b.kmsKeyArn ?? enc.kmsKeyId;
    if (!key || (!b.kmsKeyArn && !key.startsWith('arn:')))
      return {
        ...base,
        verdict: 'not_evaluated',
        reason: `key "${key ?? '(none named)'}" could not be resolved to an ARN (DescribeKey unreadable)`,
      };
    if (!want.allowedKmsKeys.includes(key))
      return {
        ...base,
        verdict: 'fail',
        reason: `default key ${key} is not in the allowed list of ${want.source}`,
        facts: { actual: key, required: 'an allowed key' },
      };
  }
  const required = want.requiredMode === 'any' ? 'any mode' : `at least ${want.requiredMode}`;
  return { ...base, verdict: 'pass', reason: `${enc.mode} meets ${required} (${want.source})` };
}

export const control: Control = {
  id: 's3express-default-encryption-matches-expectation',
  scope: 'directory buckets',
  evaluate: ({ directoryBuckets }) => (directoryBuckets ?? []).map(judge),
};
