/**
 * Directory buckets (S3 Express One Zone) read over the wire from the fake s3express-control endpoint:
 * every page of ListDirectoryBuckets, each selected bucket's default encryption and policy, its key in
 * the key reads, and each failure (AccessDenied, a Region without the service) kept as evidence.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DirectoryBucketRegionEvidence } from '../../src/evidence/directory-buckets.js';
import { collectLive, tenant, type LiveRun } from '../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws, type Scenario } from '../support/fake-aws/index.js';

const A = '111111111111';
const CALLER = '999900000000';
const KEY_ID = '11111111-2222-3333-4444-555555555555';
const KEY_ARN = `arn:aws:kms:eu-west-1:${A}:key/${KEY_ID}`;
const HOT = 'hot--euw1-az1--x-s3';
const SCRATCH = 'scratch--euw1-az3--x-s3';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 's3express:CreateSession',
      Resource: `arn:aws:s3express:eu-west-1:${A}:bucket/${HOT}`,
    },
  ],
});

function scenario(over: Partial<Scenario> = {}): Scenario {
  return {
    caller: { accessKeyId: 'AKIDCALLER', account: CALLER, arn: `arn:aws:iam::${CALLER}:user/auditor` },
    directoryPageCap: 1,
    accounts: [
      {
        id: A,
        role: { name: 'EvidenceReader' },
        buckets: [],
        keys: [{ id: KEY_ID, region: 'eu-west-1', rotation: { enabled: true } }],
        directoryBuckets: [
          { name: HOT, region: 'eu-west-1', encryption: { algorithm: 'aws:kms', kmsKeyArn: KEY_ARN }, policy: POLICY },
          { name: SCRATCH, region: 'eu-west-1' },
          { name: 'west--usw2-az1--x-s3', region: 'us-west-2' },
        ],
      },
    ],
    ...over,
  };
}

const config = (regions = ['eu-west-1'], buckets?: Record<string, unknown>) =>
  tenant({
    id: 'acme',
    accounts: [{ id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, regions }],
    ...(buckets ? { buckets } : {}),
  });

let fake: FakeAws | undefined;
let run: LiveRun | undefined;
afterEach(async () => {
  await run?.cleanup();
  await fake?.close();
  run = undefined;
  fake = undefined;
});

async function collect(s: Scenario, regions?: string[], buckets?: Record<string, unknown>) {
  fake = await startFakeAws(s);
  run = await collectLive(fake, config(regions, buckets));
  return run;
}

function region(r: LiveRun, name: string): DirectoryBucketRegionEvidence {
  const found = r.evidence.directoryBuckets?.find((x) => x.region === name);
  if (!found) throw new Error(`no directory-bucket evidence for ${name}`);
  return found;
}

describe('directory buckets over the wire', () => {
  it('lists every page in the region, reads each bucket encryption and policy signed for s3express', async () => {
    const r = await collect(scenario());
    const eu = region(r, 'eu-west-1');
    expect(eu.list.outcome).toBe('ok');
    expect(eu.list.file).toBe(`evidence/accounts/${A}/s3express/eu-west-1/list-directory-buckets.json`);
    expect(eu.buckets.map((b) => b.name)).toEqual([HOT, SCRATCH]);
    const [hot, scratch] = eu.buckets;
    expect(hot!.encryption.outcome === 'ok' && hot!.encryption.response).toEqual({
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    expect(hot!.encryption.file).toBe(`evidence/accounts/${A}/s3express/eu-west-1/${HOT}/get-bucket-encryption.json`);
    expect(hot!.policy.outcome === 'ok' && JSON.parse(hot!.policy.response.Policy!)).toEqual(JSON.parse(POLICY));
    expect(scratch!.encryption.outcome === 'ok' && scratch!.encryption.response).toEqual({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    // No policy on the bucket: S3's NoSuchBucketPolicy, recorded as not configured.
    expect(scratch!.policy.outcome).toBe('not_configured');
    // Every call went to the s3express service (SigV4 scope), none to s3; two pages of one bucket each.
    const express = fake!.recorder.calls.filter((c) => c.service === 's3express');
    expect(express.filter((c) => c.operation === 'ListDirectoryBuckets')).toHaveLength(2);
    expect(
      express
        .map((c) => c.operation)
        .filter((o) => o !== 'ListDirectoryBuckets')
        .sort(),
    ).toEqual(['GetBucketEncryption', 'GetBucketEncryption', 'GetBucketPolicy', 'GetBucketPolicy']);
    expect(express.every((c) => c.method === 'GET' && c.region === 'eu-west-1')).toBe(true);
    expect(fake!.recorder.calls.filter((c) => c.operation === 'CreateSession')).toEqual([]);
    // The SSE-KMS key is read with the others, knowing who named it.
    const key = r.evidence.keys.find((k) => k.reference === KEY_ARN);
    expect(key?.referencedBy).toEqual([HOT]);
    expect(key?.describe.outcome).toBe('ok');
    // The list is kept as read, every page merged, both request ids named.
    const stored = JSON.parse(await readFile(path.join(r.dir, eu.list.file), 'utf8')) as {
      response: { Buckets: Array<{ Name: string; BucketRegion: string }> };
      requestId: string;
    };
    expect(stored.response.Buckets.map((b) => b.Name)).toEqual([HOT, SCRATCH]);
    expect(stored.requestId.split(',')).toHaveLength(2);
  });

  it('a region with no directory bucket answers an empty <Buckets/>: listed, none', async () => {
    const r = await collect(scenario(), ['ap-northeast-1']);
    const tokyo = region(r, 'ap-northeast-1');
    expect(tokyo.list.outcome).toBe('ok');
    expect(tokyo.list.outcome === 'ok' && tokyo.list.response).toEqual({ Buckets: [] });
    expect(tokyo.buckets).toEqual([]);
  });

  it('keeps AccessDenied on ListDirectoryBuckets as evidence, with no directory bucket assumed', async () => {
    const r = await collect(
      scenario({
        faults: [
          {
            service: 's3express',
            operation: 'ListDirectoryBuckets',
            action: { kind: 'error', status: 403, code: 'AccessDenied' },
          },
        ],
      }),
    );
    const eu = region(r, 'eu-west-1');
    expect(eu.list.outcome).toBe('access_denied');
    expect(eu.list.outcome !== 'ok' && eu.list.error.code).toBe('AccessDenied');
    expect(eu.buckets).toEqual([]);
  });

  it('keeps AccessDenied on one bucket encryption beside the other bucket', async () => {
    const r = await collect(
      scenario({
        faults: [
          {
            service: 's3express',
            operation: 'GetBucketEncryption',
            bucket: HOT,
            action: { kind: 'error', status: 403, code: 'AccessDenied', message: 'Access Denied' },
          },
        ],
      }),
    );
    const outcomes = region(r, 'eu-west-1').buckets.map((b) => `${b.name}:${b.encryption.outcome}`);
    expect(outcomes).toEqual([`${HOT}:access_denied`, `${SCRATCH}:ok`]);
    // An unread encryption names no key: none is read for it.
    expect(r.evidence.keys.find((k) => k.reference === KEY_ARN)).toBeUndefined();
  });

  it('records a region without S3 Express One Zone (no control endpoint answers) as an unreadable list', async () => {
    const r = await collect(scenario({ directoryUnsupportedRegions: ['ap-south-2'] }), ['ap-south-2', 'eu-west-1']);
    const hyd = region(r, 'ap-south-2');
    expect(hyd.list.outcome).toBe('error');
    expect(hyd.list.outcome !== 'ok' && hyd.list.error.message).toMatch(
      /^no answer from the s3express-control endpoint of ap-south-2 \(S3 Express One Zone not offered there/,
    );
    expect(hyd.buckets).toEqual([]);
    expect(region(r, 'eu-west-1').buckets).toHaveLength(2);
  });

  it('reads a list answer without its <Buckets> element as unreadable, never as no directory buckets', async () => {
    const r = await collect(
      scenario({
        faults: [{ service: 's3express', operation: 'ListDirectoryBuckets', action: { kind: 'wrong-shape' } }],
      }),
    );
    const eu = region(r, 'eu-west-1');
    // The misshapen page cannot be read as a list: the listing is an error, never "none".
    expect(eu.list.outcome).toBe('error');
    expect(eu.buckets).toEqual([]);
  });

  it('reads a garbled list in a region with none (text where <Bucket> elements belong) as unreadable, never as none', async () => {
    const r = await collect(
      scenario({
        faults: [{ service: 's3express', operation: 'ListDirectoryBuckets', action: { kind: 'wrong-shape' } }],
      }),
      ['ap-northeast-1'],
    );
    const tokyo = region(r, 'ap-northeast-1');
    // The SDK alone would read <Buckets>wrong-shape</Buckets> as Buckets: [].
    expect(tokyo.list.outcome).toBe('error');
    expect(tokyo.list.outcome !== 'ok' && tokyo.list.error).toMatchObject({
      code: 'UnreadableEvidence',
      message:
        'ListDirectoryBuckets answer does not have the documented shape: Buckets: expected only Bucket elements, got "wrong-shape"',
    });
    expect(tokyo.buckets).toEqual([]);
  });

  it('reads an encryption answer with an algorithm directory buckets do not have as unreadable', async () => {
    const r = await collect(
      scenario({
        faults: [
          { service: 's3express', operation: 'GetBucketEncryption', bucket: SCRATCH, action: { kind: 'wrong-shape' } },
        ],
      }),
    );
    const enc = region(r, 'eu-west-1').buckets[1]!.encryption;
    expect(enc.outcome).toBe('error');
    expect(enc.outcome !== 'ok' && enc.error.code).toBe('UnreadableEvidence');
  });

  it('leaves out directory buckets the name patterns exclude, and all of them when tags select, with the reason', async () => {
    const byName = await collect(scenario(), undefined, { include: ['hot--*'] });
    const eu = region(byName, 'eu-west-1');
    expect(eu.buckets.map((b) => b.name)).toEqual([HOT]);
    expect(eu.excluded).toEqual([{ name: SCRATCH, reason: 'not matched by include patterns "hot--*"' }]);
    await run?.cleanup();
    await fake?.close();
    const byTags = await collect(scenario(), undefined, { tags: [{ key: 'tenant', value: 'acme' }] });
    expect(region(byTags, 'eu-west-1').buckets).toEqual([]);
    expect(region(byTags, 'eu-west-1').excluded.map((e) => e.reason)).toEqual([
      'scope undetermined: the tenant selects buckets by tags, and directory bucket tags are not read',
      'scope undetermined: the tenant selects buckets by tags, and directory bucket tags are not read',
    ]);
  });
});
