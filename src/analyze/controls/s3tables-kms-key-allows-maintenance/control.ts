import type { TableBucketResult, TableResult } from '../../../model/table-buckets.js';
import type { Control, Judgement } from '../control.js';

function judgeTable(t: TableResult): Judgement {
  const base = { resource: t.resource, evidence: t.evidence };
  if (t.encryption.state === 'unreadable')
    return { ...base, verdict: 'not_evaluated', reason: `GetTableEncryption failed: ${t.encryption.errorCode}` };
  if (t.encryption.mode === 'SSE-S3')
    return { ...base, verdict: 'not_applicable', reason: 'SSE-S3 (AES256): no customer key to grant' };
  const key = t.keyAlias ?? t.encryption.kmsKeyArn ?? 'its key';
  const m = t.maintenance ?? { state: 'unknown' as const, reason: 'the key policy was not judged' };
  switch (m.state) {
    case 'allowed':
      return {
        ...base,
        verdict: 'pass',
        reason: `the policy of ${key} allows maintenance.s3tables.amazonaws.com kms:GenerateDataKey and kms:Decrypt (statement ${m.statements.join(', ')})`,
      };
    case 'denied':
      return {
        ...base,
        verdict: 'fail',
        reason: `statement ${m.statement} of the policy of ${key} denies maintenance.s3tables.amazonaws.com ${m.action}`,
        facts: { key, actions: m.action },
      };
    case 'not_allowed':
      return {
        ...base,
        verdict: 'fail',
        reason: `the policy of ${key} does not allow maintenance.s3tables.amazonaws.com ${m.actions.join(' or ')}`,
        facts: { key, actions: m.actions.join(' and ') },
      };
    case 'unknown':
      return { ...base, verdict: 'not_evaluated', reason: m.reason };
  }
}

function judgeBucket(b: TableBucketResult): Judgement[] {
  if (b.tables) return b.tables.map(judgeTable);
  return [
    {
      resource: b.name,
      verdict: 'not_evaluated',
      reason: `ListTables failed: ${b.tablesError ?? 'not read'}`,
      evidence: b.evidence,
    },
  ];
}

export const control: Control = {
  id: 's3tables-kms-key-allows-maintenance',
  scope: 'tables',
  evaluate: ({ tableBuckets }) => (tableBuckets ?? []).flatMap(judgeBucket),
};
