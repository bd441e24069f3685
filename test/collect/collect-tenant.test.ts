/** collectTenant's key reads, over the wire: every key is read once, however many ways it is named. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configKeyId } from '../../src/collect/aws-config/index.js';
import type { KeyRead } from '../../src/collect/key-reads.js';
import { collectLive, tenant, type LiveRun } from '../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';

const A = '111111111111';
const KEY = '0000aaaa-1111-4222-8333-444455556666';
const ARN = `arn:aws:kms:eu-west-1:${A}:key/${KEY}`;
const OTHER = '9999bbbb-1111-4222-8333-444455556666';

let fake: FakeAws;
let run: LiveRun;
const keysRead: KeyRead[] = [];

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [
      {
        id: A,
        buckets: [
          // One key named four ways: key ARN, alias, bare key id, alias ARN.
          { name: 'by-arn', region: 'eu-west-1', encryption: { algorithm: 'aws:kms', kmsKeyId: ARN } },
          { name: 'by-alias', region: 'eu-west-1', encryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/data' } },
          { name: 'by-id', region: 'eu-west-1', encryption: { algorithm: 'aws:kms', kmsKeyId: KEY } },
          {
            name: 'by-alias-arn',
            region: 'eu-west-1',
            encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:eu-west-1:${A}:alias/data` },
          },
          // The same key id in another region is another key.
          { name: 'other-region', region: 'us-east-1', encryption: { algorithm: 'aws:kms', kmsKeyId: KEY } },
          { name: 'other-key', region: 'eu-west-1', encryption: { algorithm: 'aws:kms', kmsKeyId: OTHER } },
        ],
        keys: [
          { id: KEY, region: 'eu-west-1', aliases: ['alias/data'], rotation: { enabled: true } },
          { id: KEY, region: 'us-east-1', rotation: { enabled: false } },
          { id: OTHER, region: 'eu-west-1' },
        ],
      },
    ],
    latencyMs: 5,
  });
  run = await collectLive(fake, tenant({ id: 'keys', accounts: [{ id: A }] }), { onKeyRead: (k) => keysRead.push(k) });
});
afterAll(async () => {
  await run?.cleanup();
  await fake?.close();
});

const kmsCalls = (operation: string) =>
  fake.recorder.calls
    .filter((c) => c.service === 'kms' && c.operation === operation)
    .map((c) => `${c.region} ${c.key}`);

describe('key reads', () => {
  it('reads each key once per account and region, by its key id in its own account', () => {
    expect(kmsCalls('DescribeKey').sort()).toEqual([`eu-west-1 ${KEY}`, `eu-west-1 ${OTHER}`, `us-east-1 ${KEY}`]);
    expect(kmsCalls('GetKeyPolicy')).toHaveLength(3);
    expect(kmsCalls('GetKeyRotationStatus')).toHaveLength(3);
    expect(kmsCalls('ListResourceTags')).toHaveLength(3);
  });

  it('keeps one entry per reference, each pointing at the shared records', () => {
    const eu = run.evidence.keys.filter((k) => k.region === 'eu-west-1' && k.reference !== OTHER);
    expect(eu.map((k) => [k.reference, k.referencedBy])).toEqual([
      [KEY, ['by-id']],
      ['alias/data', ['by-alias']],
      [`arn:aws:kms:eu-west-1:${A}:alias/data`, ['by-alias-arn']],
      [ARN, ['by-arn']],
    ]);
    const folder = `evidence/accounts/${A}/kms/eu-west-1/${KEY}`;
    for (const k of eu) {
      expect(k.describe.file).toBe(`${folder}/describe-key.json`);
      expect(k.rotation?.outcome === 'ok' && k.rotation.response.KeyRotationEnabled).toBe(true);
      expect(k.policy?.file).toBe(`${folder}/get-key-policy.json`);
    }
    const us = run.evidence.keys.find((k) => k.region === 'us-east-1')!;
    expect(us.rotation?.outcome === 'ok' && us.rotation.response.KeyRotationEnabled).toBe(false);
  });

  it('reports progress once per key read', () => {
    const keys = run.progress.filter((p) => p.phase === 'keys');
    expect(keys.map((p) => p.done)).toEqual([1, 2, 3]);
    expect(keys.at(-1)?.total).toBe(3);
  });

  it('lists each alias list once, under its account', () => {
    expect(run.evidence.accounts[0]!.aliases.map((a) => a.file)).toEqual([
      `evidence/accounts/${A}/kms/eu-west-1/list-aliases.json`,
      `evidence/accounts/${A}/kms/us-east-1/list-aliases.json`,
    ]);
    expect(fake.recorder.calls.filter((c) => c.operation === 'ListAliases')).toHaveLength(2);
  });

  it('tells of each reference once its key is read, by the key id AWS Config records it under', () => {
    // Six references (the key four ways in eu-west-1, once in us-east-1, the other key), each told once,
    // before collection ends: the AWS Config phase's history reads can start from here.
    expect(
      keysRead
        .map((k) => [k.reference, k.account, k.region, k.describe.file, configKeyId(k)])
        .sort((a, b) => `${a[2]} ${a[0]}`.localeCompare(`${b[2]} ${b[0]}`)),
    ).toEqual([
      [KEY, A, 'eu-west-1', `evidence/accounts/${A}/kms/eu-west-1/${KEY}/describe-key.json`, KEY],
      [OTHER, A, 'eu-west-1', `evidence/accounts/${A}/kms/eu-west-1/${OTHER}/describe-key.json`, OTHER],
      ['alias/data', A, 'eu-west-1', `evidence/accounts/${A}/kms/eu-west-1/${KEY}/describe-key.json`, KEY],
      [
        `arn:aws:kms:eu-west-1:${A}:alias/data`,
        A,
        'eu-west-1',
        `evidence/accounts/${A}/kms/eu-west-1/${KEY}/describe-key.json`,
        KEY,
      ],
      [ARN, A, 'eu-west-1', `evidence/accounts/${A}/kms/eu-west-1/${KEY}/describe-key.json`, KEY],
      [KEY, A, 'us-east-1', `evidence/accounts/${A}/kms/us-east-1/${KEY}/describe-key.json`, KEY],
    ]);
  });
});
