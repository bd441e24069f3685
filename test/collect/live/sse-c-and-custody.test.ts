/**
 * SSE-C blocking and key custody over the wire: the real v3 clients read BlockedEncryptionTypes from
 * GetBucketEncryption's XML and Origin / ValidTo / custom key store / multi-Region from DescribeKey,
 * and collection does not ask KMS the rotation of material it did not generate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketResult } from '../../../src/analyze/buckets.js';
import { keyResult } from '../../../src/analyze/keys.js';
import { collectLive, tenant, type LiveRun } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws, type Scenario } from '../../support/fake-aws/index.js';

const A = '111111111111';
const keyArn = (region: string, id: string) => `arn:aws:kms:${region}:${A}:key/${id}`;

function scenario(): Scenario {
  return {
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [
      {
        id: A,
        buckets: [
          {
            name: 'blocked',
            region: 'us-east-1',
            encryption: {
              algorithm: 'aws:kms',
              kmsKeyId: keyArn('us-east-1', 'byok-1'),
              blockedEncryptionTypes: ['SSE-C'],
            },
          },
          { name: 'accepting', region: 'us-east-1', encryption: { algorithm: 'AES256' } },
          {
            name: 'none-blocked',
            region: 'us-east-1',
            encryption: { algorithm: 'AES256', blockedEncryptionTypes: ['NONE'] },
          },
          {
            name: 'denied',
            region: 'us-east-1',
            encryption: { algorithm: 'AES256', blockedEncryptionTypes: ['SSE-C'] },
          },
        ],
        keys: [
          { id: 'byok-1', region: 'us-east-1', origin: 'EXTERNAL', validTo: '2026-11-15T00:00:00Z' },
          {
            id: 'hsm-1',
            region: 'us-east-1',
            origin: 'AWS_CLOUDHSM',
            customKeyStoreId: 'cks-1234567890abcdef0',
            rotation: { enabled: false },
          },
          {
            id: 'mrk-1',
            region: 'eu-west-1',
            multiRegion: { type: 'REPLICA', primaryRegion: 'us-east-1' },
            rotation: { enabled: true },
          },
        ],
      },
    ],
    faults: [
      {
        service: 's3',
        operation: 'GetBucketEncryption',
        bucket: 'denied',
        action: { kind: 'error', status: 403, code: 'AccessDenied' },
      },
    ],
  };
}

describe('live: SSE-C blocking and key custody', () => {
  let fake: FakeAws;
  let run: LiveRun;
  beforeAll(async () => {
    fake = await startFakeAws(scenario());
    run = await collectLive(
      fake,
      tenant({
        id: 't',
        accounts: [{ id: A, regions: ['us-east-1'] }],
        kmsKeys: [keyArn('us-east-1', 'hsm-1'), keyArn('eu-west-1', 'mrk-1')],
      }),
    );
  });
  afterAll(async () => {
    await run.cleanup();
    await fake.close();
  });

  const bucket = (name: string) => {
    const keys = run.evidence.keys.map((k) => keyResult(k, run.evidence.accounts));
    const b = run.evidence.buckets.find((x) => x.name === name)!;
    const list = run.evidence.accounts.find((a) => a.id === b.account)!.listBuckets.file;
    return bucketResult(b, run.evidence.tenant, keys, list);
  };
  const key = (id: string) => {
    const k = run.evidence.keys.find((x) => x.reference.endsWith(`/${id}`))!;
    return keyResult(k, run.evidence.accounts);
  };

  it('records BlockedEncryptionTypes as S3 sends it, and reads each bucket', () => {
    const rec = run.evidence.buckets.find((b) => b.name === 'blocked')!.encryption;
    expect(
      rec.outcome === 'ok' && rec.response.ServerSideEncryptionConfiguration?.Rules?.[0]?.BlockedEncryptionTypes,
    ).toEqual({
      EncryptionType: ['SSE-C'],
    });
    expect(bucket('blocked').sseC).toEqual({ state: 'blocked' });
    expect(bucket('accepting').sseC).toEqual({ state: 'accepted' });
    expect(bucket('none-blocked').sseC).toEqual({ state: 'accepted' });
    expect(bucket('denied').sseC).toEqual({ state: 'unreadable', errorCode: 'AccessDenied' });
  });

  it('reads key custody from DescribeKey: imported material with its expiry, a CloudHSM key store, a replica', () => {
    expect(key('byok-1').custody).toEqual({
      origin: 'EXTERNAL',
      keySpec: 'SYMMETRIC_DEFAULT',
      materialExpires: '2026-11-15T00:00:00Z',
    });
    expect(key('hsm-1').custody).toEqual({
      origin: 'AWS_CLOUDHSM',
      keySpec: 'SYMMETRIC_DEFAULT',
      customKeyStoreId: 'cks-1234567890abcdef0',
    });
    expect(key('mrk-1').custody).toEqual({
      origin: 'AWS_KMS',
      keySpec: 'SYMMETRIC_DEFAULT',
      multiRegion: 'replica',
      primaryRegion: 'us-east-1',
    });
  });

  it('asks GetKeyRotationStatus only of key material KMS generated; the others are not_supported, never unreadable', () => {
    const asked = fake.recorder.find((c) => c.operation === 'GetKeyRotationStatus').map((c) => c.region);
    // Only the replica (eu-west-1) is asked; the imported and CloudHSM keys live in us-east-1.
    expect(asked).toEqual(['eu-west-1']);
    expect(key('byok-1').rotation).toEqual({ state: 'not_supported', origin: 'EXTERNAL' });
    expect(key('hsm-1').rotation).toEqual({ state: 'not_supported', origin: 'AWS_CLOUDHSM' });
    expect(key('mrk-1').rotation).toMatchObject({ state: 'enabled' });
  });
});
