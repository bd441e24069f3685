/**
 * A full live collection with the real v3 clients against the fake AWS endpoint: pagination,
 * three regions, a redirect, AccessDenied on a bucket policy and on a key, a key in another
 * account, one account whose role cannot be assumed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantEvidence } from '../../../src/evidence/bundle.js';
import type { FailedRecord, FiledRecord } from '../../../src/evidence/record.js';
import { loadEvidence } from '../../../src/evidence/evidence-store.js';
import { collectLive, tenant, type LiveRun } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws, type Scenario } from '../../support/fake-aws/index.js';

const A = '111111111111';
const B = '222222222222'; // owns a key A's bucket uses; not part of the tenant
const DENIED = '333333333333'; // role exists, external id differs
const C = '444444444444';
const CALLER_ARN = 'arn:aws:iam::999900000000:user/auditor';
const SHARED_KEY = `arn:aws:kms:us-west-2:${B}:key/shared-1`;

function scenario(): Scenario {
  return {
    caller: { accessKeyId: 'AKIDCALLER', account: '999900000000', arn: CALLER_ARN },
    accounts: [
      {
        id: A,
        role: { name: 'EvidenceReader', externalId: 'ext-acme' },
        buckets: [
          {
            name: 'acme-logs',
            region: 'us-east-1',
            publicAccessBlock: {
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: true,
              RestrictPublicBuckets: true,
            },
          },
          {
            name: 'acme-data-eu',
            region: 'eu-west-1',
            locationConstraint: 'EU',
            encryption: {
              algorithm: 'aws:kms',
              kmsKeyId: `arn:aws:kms:eu-west-1:${A}:key/eu-1`,
              bucketKeyEnabled: true,
            },
            versioning: 'Enabled',
            objectLock: { mode: 'GOVERNANCE', days: 30 },
            logging: { targetBucket: 'acme-logs', targetPrefix: 'eu/' },
            inventory: [{ id: 'daily', destinationBucket: 'acme-inventory', prefix: 'inv' }],
          },
          {
            name: 'acme-data-us2',
            region: 'us-west-2',
            encryption: { algorithm: 'AES256' },
            policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
          },
          { name: 'acme-moved', region: 'eu-central-1', listedRegion: null, encryption: { algorithm: 'AES256' } },
          {
            name: 'acme-stale',
            region: 'ap-southeast-2',
            listedRegion: 'us-east-1',
            wrongRegionAnswer: 'AuthorizationHeaderMalformed',
            encryption: { algorithm: 'AES256' },
          },
          { name: 'acme-shared-key', region: 'us-west-2', encryption: { algorithm: 'aws:kms', kmsKeyId: SHARED_KEY } },
          {
            name: 'acme-denied-key',
            region: 'eu-west-1',
            encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:eu-west-1:${A}:key/locked-1` },
          },
        ],
        keys: [
          {
            id: 'eu-1',
            region: 'eu-west-1',
            aliases: ['alias/acme-eu'],
            rotation: { enabled: true, periodDays: 180, nextRotationDate: '2026-12-15T00:00:00Z' },
            tags: { owner: 'sec' },
          },
          { id: 'locked-1', region: 'eu-west-1' },
        ],
      },
      {
        id: B,
        buckets: [],
        keys: [{ id: 'shared-1', region: 'us-west-2', grantedTo: [A], rotation: { enabled: false } }],
      },
      {
        id: DENIED,
        role: { name: 'EvidenceReader', externalId: 'something-else' },
        buckets: [{ name: 'denied-b', region: 'us-east-1' }],
      },
      {
        id: C,
        role: { name: 'EvidenceReader' },
        buckets: [{ name: 'cee-one', region: 'us-east-1', encryption: { algorithm: 'AES256' } }],
      },
    ],
    faults: [
      {
        service: 's3',
        operation: 'GetBucketPolicy',
        bucket: 'acme-data-us2',
        action: { kind: 'error', code: 'AccessDenied', status: 403, message: 'Access Denied' },
      },
      {
        service: 's3',
        operation: 'GetBucketLocation',
        bucket: 'acme-moved',
        action: { kind: 'error', code: 'AccessDenied', status: 403, message: 'Access Denied' },
      },
      {
        service: 'kms',
        operation: 'DescribeKey',
        key: 'locked-1',
        action: { kind: 'error', code: 'AccessDeniedException', status: 400, message: 'not authorized' },
      },
    ],
  };
}

let fake: FakeAws;
let run: LiveRun;
let ev: TenantEvidence;

beforeAll(async () => {
  fake = await startFakeAws(scenario());
  run = await collectLive(
    fake,
    tenant({
      id: 'acme',
      accounts: [
        { id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, externalId: 'ext-acme' },
        { id: DENIED, roleArn: `arn:aws:iam::${DENIED}:role/EvidenceReader`, externalId: 'ext-acme' },
        { id: C, roleArn: `arn:aws:iam::${C}:role/EvidenceReader` },
      ],
    }),
    { listBucketsPageSize: 3 },
  );
  ev = run.evidence;
});
afterAll(async () => {
  await run?.cleanup();
  await fake?.close();
});

const bucket = (name: string) => ev.buckets.find((b) => b.name === name)!;
const calls = (pred: Parameters<FakeAws['recorder']['find']>[0]) => fake.recorder.find(pred);
const failed = (r: FiledRecord) => r as FailedRecord & { file: string };

describe('credentials', () => {
  it('assumes each account role with the external id and a session name naming tool, tenant and run', () => {
    const assumes = calls((c) => c.operation === 'AssumeRole').map((c) => c.params);
    expect(assumes).toEqual([
      {
        RoleArn: `arn:aws:iam::${A}:role/EvidenceReader`,
        RoleSessionName: 's3-evidence-acme-run1',
        ExternalId: 'ext-acme',
      },
      {
        RoleArn: `arn:aws:iam::${DENIED}:role/EvidenceReader`,
        RoleSessionName: 's3-evidence-acme-run1',
        ExternalId: 'ext-acme',
      },
      { RoleArn: `arn:aws:iam::${C}:role/EvidenceReader`, RoleSessionName: 's3-evidence-acme-run1' },
    ]);
  });

  it('records the caller identity and the assumed-role identities actually used', () => {
    expect(ev.run.identity).toEqual({
      arn: CALLER_ARN,
      account: '999900000000',
      note: `accounts read as: arn:aws:sts::${A}:assumed-role/EvidenceReader/s3-evidence-acme-run1, arn:aws:sts::${C}:assumed-role/EvidenceReader/s3-evidence-acme-run1`,
    });
    expect(run.setup.accountIdentities.map((i) => i.account)).toEqual([A, C]);
  });

  it('one account failing to assume its role does not stop the others', () => {
    const problem = ev.collectionProblems.find((p) => p.scope === `account ${DENIED}`);
    expect(problem?.message).toMatch(
      /^cannot assume arn:aws:iam::333333333333:role\/EvidenceReader: AccessDenied \(HTTP 403\): User: arn:aws:iam::999900000000:user\/auditor is not authorized to perform: sts:AssumeRole/,
    );
    expect(problem?.message).toMatch(/\[request id FAKESTS\d+\]$/);
    expect(ev.accounts.map((a) => a.id)).toEqual([A, C]);
    expect(bucket('cee-one').encryption.outcome).toBe('ok');
    expect(calls((c) => c.account === DENIED)).toEqual([]);
  });
});

describe('buckets', () => {
  it('pages through ListBuckets with continuation tokens and keeps every page', () => {
    const pages = calls((c) => c.operation === 'ListBuckets' && c.account === A);
    expect(pages).toHaveLength(3); // 7 buckets, 3 per page
    const list = ev.accounts.find((a) => a.id === A)!.listBuckets;
    expect(list.outcome).toBe('ok');
    expect(list.requestId).toBe(pages.map((p) => p.requestId).join(','));
    const names = (list.outcome === 'ok' ? (list.response.Buckets ?? []) : []).map(
      (b) => `${b.Name}@${b.BucketRegion ?? '-'}`,
    );
    expect(names).toEqual([
      'acme-data-eu@eu-west-1',
      'acme-data-us2@us-west-2',
      'acme-denied-key@eu-west-1',
      'acme-logs@us-east-1',
      'acme-moved@-',
      'acme-shared-key@us-west-2',
      'acme-stale@us-east-1',
    ]);
  });

  it('calls each bucket in its own region (three regions seen, plus the redirected ones)', () => {
    const regionsOf = (name: string) => [
      ...new Set(calls((c) => c.bucket === name && c.status === 200).map((c) => c.region)),
    ];
    expect(regionsOf('acme-data-eu')).toEqual(['eu-west-1']);
    expect(regionsOf('acme-data-us2')).toEqual(['us-west-2']);
    expect(regionsOf('acme-logs')).toEqual(['us-east-1']);
    expect(bucket('acme-data-eu').region).toBe('eu-west-1');
  });

  it('asks GetBucketLocation only of the bucket whose ListBuckets entry names no region', () => {
    expect(calls((c) => c.operation === 'GetBucketLocation').map((c) => c.bucket)).toEqual(['acme-moved']);
    // ListBuckets' BucketRegion is the region's evidence: no location record is made.
    expect(bucket('acme-data-eu').location).toBeUndefined();
    expect(bucket('acme-stale').location).toBeUndefined();
  });

  it('follows a 301 PermanentRedirect once, then calls the bucket straight in its region', () => {
    const moved = calls((c) => c.bucket === 'acme-moved');
    const redirects = moved.filter((c) => c.status === 301);
    expect(redirects).toHaveLength(1);
    expect(redirects[0]!.region).toBe('us-east-1');
    expect(
      moved
        .filter((c) => c.status !== 301 && c.operation !== 'GetBucketLocation')
        .every((c) => c.region === 'eu-central-1'),
    ).toBe(true);
    const enc = bucket('acme-moved').encryption;
    expect(enc.outcome).toBe('ok');
    expect(enc.region).toBe('eu-central-1');
    expect(bucket('acme-moved').location?.outcome).toBe('access_denied');
  });

  it('follows a 400 AuthorizationHeaderMalformed region hint when ListBuckets named a stale region', () => {
    const stale = calls((c) => c.bucket === 'acme-stale' && c.operation !== 'GetBucketLocation');
    expect(stale.filter((c) => c.status === 400)).toHaveLength(1);
    expect(bucket('acme-stale').encryption.outcome).toBe('ok');
    expect(bucket('acme-stale').encryption.region).toBe('ap-southeast-2');
    expect(bucket('acme-stale').policy.region).toBe('ap-southeast-2');
  });

  it('records AccessDenied on one bucket policy with code, HTTP status and request id', () => {
    const policy = failed(bucket('acme-data-us2').policy);
    const sent = calls((c) => c.bucket === 'acme-data-us2' && c.operation === 'GetBucketPolicy');
    expect(sent).toHaveLength(1);
    expect(policy.outcome).toBe('access_denied');
    expect(policy.error).toEqual({ code: 'AccessDenied', message: 'Access Denied', httpStatus: 403 });
    expect(policy.requestId).toBe(sent[0]!.requestId);
    expect(bucket('acme-data-us2').encryption.outcome).toBe('ok');
  });

  it('records "not configured" answers as states, not errors', () => {
    const logs = bucket('acme-logs');
    expect(failed(logs.encryption).outcome).toBe('not_configured');
    expect(failed(logs.encryption).error.code).toBe('ServerSideEncryptionConfigurationNotFoundError');
    expect(failed(logs.policy).error.code).toBe('NoSuchBucketPolicy');
    expect(failed(logs.tagging).error.code).toBe('NoSuchTagSet');
    expect(failed(logs.extra!.GetObjectLockConfiguration!).outcome).toBe('not_configured');
    expect(logs.publicAccessBlock.outcome).toBe('ok');
  });

  it('reads the further per-bucket configurations as the SDK returns them', () => {
    const x = bucket('acme-data-eu').extra!;
    expect(Object.keys(x).sort()).toEqual([
      'GetBucketLogging',
      'GetBucketPolicyStatus',
      'GetBucketVersioning',
      'GetObjectLockConfiguration',
      'ListBucketInventoryConfigurations',
    ]);
    const ok = (op: string) => (x[op]!.outcome === 'ok' ? (x[op] as { response: unknown }).response : undefined);
    expect(ok('GetBucketVersioning')).toEqual({ Status: 'Enabled' });
    expect(ok('GetBucketLogging')).toEqual({ LoggingEnabled: { TargetBucket: 'acme-logs', TargetPrefix: 'eu/' } });
    expect(ok('GetObjectLockConfiguration')).toEqual({
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
      },
    });
    expect(ok('ListBucketInventoryConfigurations')).toMatchObject({
      InventoryConfigurationList: [
        {
          Id: 'daily',
          IsEnabled: true,
          Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::acme-inventory', Format: 'CSV', Prefix: 'inv' } },
        },
      ],
    });
    expect(failed(x.GetBucketPolicyStatus!).error.code).toBe('NoSuchBucketPolicy');
    expect(bucket('acme-data-us2').extra!.GetBucketPolicyStatus!.outcome).toBe('ok');
  });
});

describe('keys', () => {
  const key = (ref: string) => ev.keys.find((k) => k.reference === ref)!;

  it('reads a bucket key in the bucket region: rotation period and next rotation date as ISO strings', () => {
    const k = key(`arn:aws:kms:eu-west-1:${A}:key/eu-1`);
    expect(k.describe.outcome).toBe('ok');
    expect(k.rotation?.outcome === 'ok' && k.rotation.response).toEqual({
      KeyId: `arn:aws:kms:eu-west-1:${A}:key/eu-1`,
      KeyRotationEnabled: true,
      RotationPeriodInDays: 180,
      NextRotationDate: '2026-12-15T00:00:00.000Z',
    });
    const describeResp = k.describe.outcome === 'ok' ? k.describe.response : undefined;
    expect(describeResp?.KeyMetadata?.CreationDate).toBe('2024-03-01T12:00:00.000Z');
    expect(k.extra?.ListResourceTags?.outcome === 'ok' && k.extra.ListResourceTags.response).toEqual({
      Tags: [{ TagKey: 'owner', TagValue: 'sec' }],
      Truncated: false,
    });
    // In its own account a key is asked for by its id, in its region.
    expect(calls((c) => c.service === 'kms' && c.key === 'eu-1').map((c) => `${c.operation}@${c.region}`)).toEqual([
      'DescribeKey@eu-west-1',
      'GetKeyRotationStatus@eu-west-1',
      'GetKeyPolicy@eu-west-1',
      'ListResourceTags@eu-west-1',
    ]);
  });

  it('records AccessDenied on a key as such and reads nothing more of it', () => {
    const k = key(`arn:aws:kms:eu-west-1:${A}:key/locked-1`);
    const sent = calls((c) => c.operation === 'DescribeKey' && (c.key ?? '').includes('locked-1'));
    expect(failed(k.describe).outcome).toBe('access_denied');
    expect(failed(k.describe).error).toEqual({
      code: 'AccessDeniedException',
      message: 'not authorized',
      httpStatus: 400,
    });
    expect(k.describe.requestId).toBe(sent[0]!.requestId);
    expect(k.rotation).toBeUndefined();
    expect(k.policy).toBeUndefined();
  });

  it("reads another account's key by ARN, in the key's region, with the referencing account's credentials", () => {
    const k = key(SHARED_KEY);
    expect(k.account).toBe(B);
    expect(k.region).toBe('us-west-2');
    expect(k.describe.outcome).toBe('ok');
    expect(k.rotation?.outcome).toBe('ok');
    // KMS does not serve GetKeyPolicy across accounts: recorded as the refusal it is.
    expect(k.policy?.outcome).toBe('access_denied');
    const sent = calls((c) => c.service === 'kms' && c.key === SHARED_KEY);
    expect(sent.map((c) => `${c.operation}@${c.account}/${c.region}`)).toEqual([
      `DescribeKey@${A}/us-west-2`,
      `GetKeyRotationStatus@${A}/us-west-2`,
      `GetKeyPolicy@${A}/us-west-2`,
      `ListResourceTags@${A}/us-west-2`,
    ]);
  });
});

describe('evidence folder', () => {
  it('writes each record where the index says, as AWS returned it', async () => {
    const file = path.join(run.dir, 'evidence', 'accounts', A, 's3', 'acme-data-eu', 'get-bucket-encryption.json');
    const rec = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(rec).toMatchObject({
      operation: 's3:GetBucketEncryption',
      parameters: { Bucket: 'acme-data-eu' },
      account: A,
      region: 'eu-west-1',
      source: 'live',
      outcome: 'ok',
      response: {
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: `arn:aws:kms:eu-west-1:${A}:key/eu-1`,
              },
              BucketKeyEnabled: true,
            },
          ],
        },
      },
    });
    expect(rec.requestId).toMatch(/^FAKES3\d{8}$/);
  });

  it('loads back with the further reads', async () => {
    const loaded = await loadEvidence(run.dir);
    const b = loaded.buckets.find((x) => x.name === 'acme-data-eu')!;
    expect(b.extra?.GetBucketVersioning?.file).toBe(
      `evidence/accounts/${A}/s3/acme-data-eu/get-bucket-versioning.json`,
    );
    expect(loaded.buckets.map((x) => x.name)).toEqual(ev.buckets.map((x) => x.name));
    expect(loaded.keys.find((k) => k.reference === SHARED_KEY)?.extra?.ListResourceTags?.outcome).toBe('access_denied');
  });

  it('sent no write operation', () => {
    expect(
      fake.recorder.calls.filter(
        (c) => /^(Put|Delete|Create|Update)/.test(c.operation) || !['GET', 'HEAD', 'POST'].includes(c.method),
      ),
    ).toEqual([]);
  });
});
