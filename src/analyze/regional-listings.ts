import type { FiledRecord } from '../evidence/record.js';
import type { RegionalListingResult } from '../model/regional-listing.js';

/** A regional bucket type's listing as collected in one account and region. */
interface RegionalListingEvidence {
  account: string;
  region: string;
  list: FiledRecord;
  buckets: readonly unknown[];
  excluded: Array<{ name: string; reason: string }>;
}

/** Each account and region's listing of a regional bucket type as the packet states it. */
export function regionalListingResults(regions: readonly RegionalListingEvidence[]): RegionalListingResult[] {
  return regions.map((r) => ({
    account: r.account,
    region: r.region,
    listed: r.list.outcome === 'ok',
    inScope: r.buckets.length,
    excluded: r.excluded,
    ...(r.list.outcome !== 'ok' ? { reason: `${r.list.error.code}: ${r.list.error.message}` } : {}),
    evidence: r.list.file,
  }));
}
