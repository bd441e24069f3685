import type { Control } from '../control.js';
import { bucketEvidence } from '../../bucket-evidence.js';

export const control: Control = {
  id: 's3-objects-encrypted',
  scope: 'buckets',
  evaluate: ({ buckets }) =>
    buckets.map((b) => {
      const c = b.coverage;
      const evidence = [bucketEvidence(b, 'inventory')];
      if (c.state === 'no_inventory')
        return { resource: b.name, verdict: 'not_evaluated', reason: `no inventory: ${c.reason}`, evidence };
      if (c.state === 'unverified')
        return { resource: b.name, verdict: 'not_evaluated', reason: `inventory unverified: ${c.reason}`, evidence };
      if (c.unencrypted.objects > 0) {
        return {
          resource: b.name,
          verdict: 'fail',
          reason: `${c.unencrypted.objects} of ${c.total.objects} objects are NOT-SSE in the inventory of ${c.reportDate.slice(0, 10)}`,
          evidence: [...evidence, c.unencryptedExport.file],
          facts: {
            objects: c.unencrypted.objects,
            bytes: c.unencrypted.bytes,
            total: c.total.objects,
            oldest: c.oldestUnencryptedLastModified?.slice(0, 10) ?? '',
            reportDate: c.reportDate.slice(0, 10),
          },
        };
      }
      if (c.unknownStatus.objects > 0) {
        return {
          resource: b.name,
          verdict: 'not_evaluated',
          reason: `${c.unknownStatus.objects} inventory rows carry no EncryptionStatus`,
          evidence,
        };
      }
      if (c.total.objects === 0)
        return { resource: b.name, verdict: 'not_applicable', reason: 'the inventory lists no objects', evidence };
      return {
        resource: b.name,
        verdict: 'pass',
        reason: `all ${c.total.objects} objects encrypted (inventory of ${c.reportDate.slice(0, 10)})`,
        evidence,
      };
    }),
};
