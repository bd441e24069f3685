import type { GetBucketEncryptionOutput } from '../evidence/aws-shapes.js';
import type { EvidenceRecord } from '../evidence/record.js';
import type { SseCBlocking } from '../model/packet.js';

/**
 * SSE-C blocking from GetBucketEncryption: S3 applies the first rule, and a rule without
 * BlockedEncryptionTypes (or listing only NONE) accepts SSE-C uploads. No configuration at all accepts
 * them too. An unreadable answer stays unreadable.
 */
export function sseCBlockingOf(record: EvidenceRecord<GetBucketEncryptionOutput>): SseCBlocking {
  if (record.outcome === 'not_configured') return { state: 'accepted' };
  if (record.outcome !== 'ok') return { state: 'unreadable', errorCode: record.error.code };
  const first = record.response.ServerSideEncryptionConfiguration?.Rules?.[0];
  const blocked = first?.BlockedEncryptionTypes?.EncryptionType ?? [];
  return blocked.includes('SSE-C') ? { state: 'blocked' } : { state: 'accepted' };
}
