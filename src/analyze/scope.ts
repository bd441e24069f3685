import type { BucketType, TenantEvidence } from '../evidence/bundle.js';
import type { FailedRecord, FiledRecord } from '../evidence/record.js';
import type { BucketResult, BucketTypeScope } from '../model/packet.js';

/** The bucket types of the scope line, in the order the page and the Summary sheet state them. */
const BUCKET_TYPES: readonly BucketType[] = ['general_purpose', 'directory', 'table'];

/** A listing that was refused or failed (a wrong-shaped answer is recorded as an error). */
const unread = (r: FiledRecord): r is FailedRecord & { file: string } =>
  r.outcome === 'access_denied' || r.outcome === 'error';

const typeOf = (b: { type?: BucketType }): BucketType => b.type ?? 'general_purpose';

/**
 * The listings of one bucket type in the evidence, per account: undefined when the evidence holds no
 * listing of the type at all (it was collected before the tool listed it).
 */
function listingsOf(
  ev: TenantEvidence,
  type: BucketType,
): Array<{ account: string; records: FiledRecord[] }> | undefined {
  if (type === 'general_purpose') return ev.accounts.map((a) => ({ account: a.id, records: [a.listBuckets] }));
  if (type === 'directory') {
    if (!ev.accounts.some((a) => a.directoryBuckets !== undefined)) return undefined;
    return ev.accounts.map((a) => ({ account: a.id, records: a.directoryBuckets ?? [] }));
  }
  // Table buckets (S3 Tables) fill this slot once they are listed.
  return undefined;
}

/**
 * Counts per bucket type: in scope, excluded by the tenant's selection, undetermined; and every listing
 * that could not be read, so a type the tool could not see makes the scope line incomplete, never smaller.
 */
export function scopeByType(ev: TenantEvidence, buckets: readonly BucketResult[]): BucketTypeScope[] {
  return BUCKET_TYPES.map((type) => {
    const listings = listingsOf(ev, type);
    const unlisted = (listings ?? []).flatMap(({ account, records }) =>
      records.filter(unread).map((r) => ({
        where: type === 'general_purpose' ? `account ${account}` : `account ${account} ${r.region}`,
        source: r.operation,
        reason: `${r.error.code}: ${r.error.message}`,
      })),
    );
    return {
      type,
      state: listings === undefined ? 'not_read' : unlisted.length > 0 ? 'unlisted' : 'listed',
      inScope: buckets.filter((b) => typeOf(b) === type).length,
      excluded: ev.excludedBuckets.filter((b) => typeOf(b) === type).length,
      undetermined: ev.undeterminedBuckets.filter((b) => typeOf(b) === type).length,
      unlisted,
    };
  });
}
