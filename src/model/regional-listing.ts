/** One account and region's listing of a regional bucket type (directory, table): read, with its count, or why not. */
export interface RegionalListingResult {
  account: string;
  region: string;
  listed: boolean;
  /** Buckets of the type in the tenant's scope there (0 when not listed). */
  inScope: number;
  /** Listed buckets outside the tenant's scope, with why. */
  excluded: Array<{ name: string; reason: string }>;
  /** Not listed: the error code and message. */
  reason?: string;
  evidence: string;
}
