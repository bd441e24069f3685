import type { BucketResult } from '../../../model/packet.js';
import type { Control, Judgement } from '../control.js';
import { bucketEvidence } from '../../bucket-evidence.js';

/** SSE-C objects the bucket's verified inventory counted; undefined when coverage was not measured. */
function sseCObjects(b: BucketResult): number | undefined {
  return b.coverage.state === 'measured' ? (b.coverage.tally['SSE-C']?.objects ?? 0) : undefined;
}

function objectsClause(count: number | undefined): string {
  if (count === undefined) return 'SSE-C objects not counted (no verified inventory)';
  return `${count.toLocaleString('en-US')} SSE-C ${count === 1 ? 'object' : 'objects'} in the inventory`;
}

function judge(b: BucketResult): Judgement {
  const evidence = [bucketEvidence(b, 'encryption')];
  const sseC = b.sseC ?? { state: 'unreadable' as const, errorCode: 'NotCollected' };
  const objects = sseCObjects(b);
  switch (sseC.state) {
    case 'unreadable':
      return {
        resource: b.name,
        verdict: 'not_evaluated',
        reason: `GetBucketEncryption failed: ${sseC.errorCode}`,
        evidence,
      };
    case 'blocked':
      return {
        resource: b.name,
        verdict: 'pass',
        reason: `S3 refuses SSE-C uploads (BlockedEncryptionTypes SSE-C); ${objectsClause(objects)}`,
        evidence,
      };
    case 'accepted':
      if (b.expectation.allowSseC) {
        return {
          resource: b.name,
          verdict: 'not_applicable',
          reason: `SSE-C uploads accepted, allowed by ${b.expectation.source}; ${objectsClause(objects)}`,
          evidence,
        };
      }
      return {
        resource: b.name,
        verdict: 'fail',
        reason: `S3 still accepts SSE-C uploads (no BlockedEncryptionTypes SSE-C in the default-encryption rule); ${objectsClause(objects)}`,
        evidence,
        facts: { objects: objects ?? null, counted: objects !== undefined },
      };
  }
}

export const control: Control = {
  id: 's3-sse-c-uploads-blocked',
  scope: 'buckets',
  evaluate: ({ buckets }) => buckets.map(judge),
};
