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
    expect(bucketEvidenceFiles(ev, 'evidence/list-buckets.json')).toEqual([
      'evidence/e.json',
      'evidence/p.json',
      'evidence/s3:GetPublicAccessBlock.json',
      'evidence/data/inventory.json',
      'evidence/l.json',
      'evidence/s3:GetBucketTagging.json',
    ]);
  });

  it('cites the list of buckets for the region when no GetBucketLocation was read', () => {
    const { location: _read, ...listed } = ev;
    expect(bucketEvidenceFiles(listed, 'evidence/list-buckets.json')[4]).toBe('evidence/list-buckets.json');
    const b = bucketResult(listed, tenant, [], 'evidence/list-buckets.json');
    expect(bucketEvidence(b, 'location')).toBe('evidence/list-buckets.json');
  });

  it("gives a bucket result's file by the answer's name", () => {
    const b = bucketResult(ev, tenant, [], 'evidence/list-buckets.json');
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
    const b = { ...bucketResult(ev, tenant, [], 'evidence/list-buckets.json'), evidence: ['evidence/e.json'] };
    expect(() => bucketEvidence(b, 'policy')).toThrow('bucket data cites no policy evidence');
  });
});
