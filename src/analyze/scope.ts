import type { BucketType, TenantEvidence } from '../evidence/bundle.js';
import type { FailedRecord, FiledRecord } from '../evidence/record.js';
import type { BucketTypeScope } from '../model/packet.js';

/** The bucket types of the scope line, in the order the page and the Summary sheet state them. */
const BUCKET_TYPES: readonly BucketType[] = ['general_purpose', 'directory', 'table'];

/** A listing that was refused or failed (a wrong-shaped answer is recorded as an error). */
const unread = (r: FiledRecord): r is FailedRecord & { file: string } =>
  r.outcome === 'access_denied' || r.outcome === 'error';

interface Listings {
  /** Per account, its listing records (one per region for a regional type). */
  records: Array<{ account: string; records: FiledRecord[] }>;
  inScope: number;
  excluded: number;
  undetermined: number;
}

/** A regional type (directory, table) as collected: per account and region, the list and what it held. */
interface RegionalListing {
  account: string;
  list: FiledRecord;
  buckets: readonly unknown[];
  excluded: readonly unknown[];
}

function regional(ev: TenantEvidence, regions: readonly RegionalListing[]): Listings {
  return {
    records: ev.accounts.map((a) => ({
      account: a.id,
      records: regions.filter((r) => r.account === a.id).map((r) => r.list),
    })),
    inScope: regions.reduce((n, r) => n + r.buckets.length, 0),
    excluded: regions.reduce((n, r) => n + r.excluded.length, 0),
    undetermined: 0,
  };
}

/**
 * The listings of one bucket type in the evidence and what they held: undefined when the evidence
 * holds no listing of the type at all (it was collected before the tool listed it).
 */
function listingsOf(ev: TenantEvidence, type: BucketType, inScope: number): Listings | undefined {
  if (type === 'general_purpose')
    return {
      records: ev.accounts.map((a) => ({ account: a.id, records: [a.listBuckets] })),
      inScope,
      excluded: ev.excludedBuckets.length,
      undetermined: ev.undeterminedBuckets.length,
    };
  if (type === 'directory') return ev.directoryBuckets && regional(ev, ev.directoryBuckets);
  return ev.tableBuckets && regional(ev, ev.tableBuckets);
}

/**
 * Counts per bucket type: in scope, excluded by the tenant's selection, undetermined; and every listing
 * that could not be read, so a type the tool could not see makes the scope line incomplete, never smaller.
 * `generalPurposeInScope`: the general purpose buckets the packet judges.
 */
export function scopeByType(ev: TenantEvidence, generalPurposeInScope: number): BucketTypeScope[] {
  return BUCKET_TYPES.map((type) => {
    const listings = listingsOf(ev, type, generalPurposeInScope);
    if (!listings) return { type, state: 'not_read', inScope: 0, excluded: 0, undetermined: 0, unlisted: [] };
    const unlisted = listings.records.flatMap(({ account, records }) =>
      records.filter(unread).map((r) => ({
        where: type === 'general_purpose' ? `account ${account}` : `account ${account} ${r.region}`,
        source: r.operation,
        reason: `${r.error.code}: ${r.error.message}`,
      })),
    );
    return {
      type,
      state: unlisted.length > 0 ? 'unlisted' : 'listed',
      inScope: listings.inScope,
      excluded: listings.excluded,
      undetermined: listings.undetermined,
      unlisted,
    };
  });
}
