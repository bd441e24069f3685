import picomatch from 'picomatch';
import type { TenantConfig } from '../config/schema.js';
import type { BucketResult } from '../model/packet.js';

/** The first expectation whose glob matches the bucket wins; none means "any mode, any key". */
export function expectationFor(tenant: TenantConfig, bucket: string): BucketResult['expectation'] {
  const found = tenant.expectations.find((e) => picomatch.isMatch(bucket, e.buckets));
  if (!found) return { requiredMode: 'any', allowedKmsKeys: [], source: 'none configured' };
  return {
    requiredMode: found.requiredMode,
    allowedKmsKeys: found.allowedKmsKeys,
    source: `expectation "${found.buckets}"`,
    ...(found.allowSseC ? { allowSseC: true as const } : {}),
  };
}
