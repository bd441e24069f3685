import { describe, expect, it } from 'vitest';
import { bucketEvidence, bucketEvidenceFiles } from '../../src/analyze/bucket-evidence.js';
import { bucketResult } from '../../src/analyze/buckets.js';
import { tenantSchema } from '../../src/config/schema.js';
import { bucketEvidence as evidenceOf, ok } from '../support/evidence-builders.js';

const tenant = tenantSchema.parse({ id: 'acme', displayName: 'ACME', accounts: [{ id: '111122223333' }] });
const ev = {
  ...evidenceOf({ name: 'data' }),
  encryption: ok('s3:GetBucketEncryption', { ServerSideEncryptionConfiguration: { Rules: [] } }, 'evidence/e.json'),
  policy: ok('s3:GetBucketPolicy', { Policy: '{}' }, 'evidence/p.json'),
  location: ok('s3:GetBucketLocation', { LocationConstraint: 'eu-west-1' }, 'evidence/l.json'),
};

describe('bucket evidence by name', () => {
  it('lists the files in the packet order: encryption, policy, public access block, inventory, location, tagging', () => {
    expect(bucketEvidenceFiles(ev)).toEqual([
      'evidence/e.json',
      'evidence/p.json',
      'evidence/s3:GetPublicAccessBlock.json',
      'evidence/data/inventory.json',
      'evidence/l.json',
      'evidence/s3:GetBucketTagging.json',
    ]);
  });

  it("gives a bucket result's file by the answer's name", () => {
    const b = bucketResult(ev, tenant, []);
    expect([
      bucketEvidence(b, 'encryption'),
      bucketEvidence(b, 'policy'),
      bucketEvidence(b, 'inventory'),
      bucketEvidence(b, 'tagging'),
    ]).toEqual([
      'evidence/e.json',
      'evidence/p.json',
      'evidence/data/inventory.json',
      'evidence/s3:GetBucketTagging.json',
    ]);
  });

  it('throws for a result that cites fewer files than it should', () => {
    const b = { ...bucketResult(ev, tenant, []), evidence: ['evidence/e.json'] };
    expect(() => bucketEvidence(b, 'policy')).toThrow('bucket data cites no policy evidence');
  });
});
