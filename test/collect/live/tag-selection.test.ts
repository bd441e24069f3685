/** A tenant selected by bucket tags: GetBucketTagging decides; unreadable tags cannot. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectLive, tenant, type LiveRun } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';

const A = '111111111111';
let fake: FakeAws;
let run: LiveRun;

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: '999900000000', arn: 'arn:aws:iam::999900000000:user/auditor' },
    accounts: [
      {
        id: A,
        role: { name: 'Reader' },
        buckets: [
          {
            name: 'shared-acme-1',
            region: 'us-east-1',
            tags: { tenant: 'acme', env: 'prod' },
            encryption: { algorithm: 'AES256' },
          },
          { name: 'shared-acme-2', region: 'eu-west-1', tags: { tenant: 'acme' } },
          { name: 'shared-globex', region: 'us-east-1', tags: { tenant: 'globex' } },
          { name: 'shared-untagged', region: 'us-east-1' },
          { name: 'shared-secret', region: 'us-east-1', tags: { tenant: 'acme' } },
          { name: 'other-prefix', region: 'us-east-1', tags: { tenant: 'acme' } },
        ],
      },
    ],
    faults: [
      {
        service: 's3',
        operation: 'GetBucketTagging',
        bucket: 'shared-secret',
        action: { kind: 'error', code: 'AccessDenied', status: 403 },
      },
    ],
  });
  run = await collectLive(
    fake,
    tenant({
      id: 'acme',
      accounts: [{ id: A, roleArn: `arn:aws:iam::${A}:role/Reader` }],
      buckets: { include: ['shared-*'], tags: [{ key: 'tenant', value: 'acme' }] },
    }),
  );
});
afterAll(async () => {
  await run?.cleanup();
  await fake?.close();
});

it('selects exactly the buckets carrying the tenant tag', () => {
  expect(run.evidence.buckets.map((b) => b.name)).toEqual(['shared-acme-1', 'shared-acme-2']);
  expect(run.evidence.buckets[0]!.encryption.outcome).toBe('ok');
});

it('says why each other bucket is out; the one whose tags could not be read is neither in nor out', () => {
  expect(run.evidence.excludedBuckets).toEqual([
    { name: 'other-prefix', account: A, reason: 'not matched by include patterns "shared-*"' },
    { name: 'shared-globex', account: A, reason: 'tag "tenant" is "globex", not "acme"' },
    { name: 'shared-untagged', account: A, reason: 'lacks tag "tenant"' },
  ]);
  expect(run.evidence.undeterminedBuckets).toEqual([
    {
      name: 'shared-secret',
      account: A,
      reason: expect.stringMatching(/^scope undetermined: the bucket's tags could not be read \(AccessDenied: .+\)/),
    },
  ]);
  expect(run.evidence.buckets.map((b) => b.name)).not.toContain('shared-secret');
});

it("reads nothing more of a bucket that is not the tenant's", () => {
  const touched = (name: string) => fake.recorder.find((c) => c.bucket === name).map((c) => c.operation);
  expect(touched('other-prefix')).toEqual([]);
  expect(touched('shared-globex')).toEqual(['GetBucketTagging']); // its region came with ListBuckets
  expect(touched('shared-acme-2')).toContain('GetBucketEncryption');
});
