import { describe, expect, it } from 'vitest';
import { buildPacket } from '../../src/analyze/build-packet.js';
import { loadCatalog } from '../../src/analyze/catalog.js';
import { control } from '../../src/analyze/controls/s3express-default-encryption-matches-expectation/control.js';
import { directoryBucketsMissing, directoryBucketsSection } from '../../src/analyze/directory-buckets.js';
import type { DirectoryBucketRegionEvidence } from '../../src/evidence/directory-buckets.js';
import type { FiledRecord } from '../../src/evidence/record.js';
import type { KeyResult } from '../../src/model/packet.js';
import { loadWording } from '../../src/wording/wording.js';
import { failed, ok, tenantEvidence } from '../support/evidence-builders.js';

const A = '111122223333';
const HOT = 'hot--euw1-az1--x-s3';
const COLD = 'cold--euw1-az3--x-s3';
const KEY_ARN = `arn:aws:kms:eu-west-1:${A}:key/11111111-2222-3333-4444-555555555555`;

const rule = (SSEAlgorithm: string, KMSMasterKeyID?: string) =>
  ok('s3express:GetBucketEncryption', {
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm, ...(KMSMasterKeyID ? { KMSMasterKeyID } : {}) },
          ...(KMSMasterKeyID ? { BucketKeyEnabled: true } : {}),
        },
      ],
    },
  });
const policy = (statements: number) =>
  ok('s3express:GetBucketPolicy', {
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: statements }, () => ({})) }),
  });

function region(buckets: Array<{ name: string; encryption: FiledRecord; policy: FiledRecord }>, list?: FiledRecord) {
  return {
    account: A,
    region: 'eu-west-1',
    list: list ?? ok('s3express:ListDirectoryBuckets', { Buckets: buckets.map((b) => ({ Name: b.name })) }),
    buckets: buckets.map((b) => ({ ...b, account: A, region: 'eu-west-1' })),
    excluded: [],
  } as unknown as DirectoryBucketRegionEvidence;
}
const key = { reference: KEY_ARN, arn: KEY_ARN, alias: 'alias/app' } as KeyResult;

describe('directoryBucketsSection', () => {
  it('reads each bucket: SSE-KMS with its key and alias, SSE-S3, the policy statements, the zone from the name', () => {
    const ev = region([
      { name: HOT, encryption: rule('aws:kms', KEY_ARN), policy: policy(2) },
      {
        name: COLD,
        encryption: rule('AES256'),
        policy: failed('s3express:GetBucketPolicy', 'NoSuchBucketPolicy', 'not_configured'),
      },
    ]);
    const s = directoryBucketsSection([ev], tenantEvidence([]).tenant, [key]);
    expect(s.regions).toEqual([
      { account: A, region: 'eu-west-1', listed: true, inScope: 2, excluded: [], evidence: ev.list.file },
    ]);
    expect(s.buckets.map((b) => [b.name, b.zoneId, b.encryption, b.keyAlias, b.policy])).toEqual([
      [
        HOT,
        'euw1-az1',
        { state: 'read', mode: 'SSE-KMS', kmsKeyId: KEY_ARN, bucketKeyEnabled: true },
        'alias/app',
        { state: 'present', statements: 2 },
      ],
      [COLD, 'euw1-az3', { state: 'read', mode: 'SSE-S3', bucketKeyEnabled: false }, undefined, { state: 'none' }],
    ]);
    expect(directoryBucketsMissing(s)).toEqual([]);
  });

  it('a policy that is not JSON, or names a key twice, is unparsable: its statements are not counted', () => {
    const text = (t: string) => ok('s3express:GetBucketPolicy', { Policy: t });
    const s = directoryBucketsSection(
      [
        region([
          { name: HOT, encryption: rule('AES256'), policy: text('{"Statement":[{}],"Statement":[{},{}]}') },
          { name: COLD, encryption: rule('AES256'), policy: text('{"Statement":[') },
          { name: `null${HOT}`, encryption: rule('AES256'), policy: text('null') },
        ]),
      ],
      tenantEvidence([]).tenant,
      [],
    );
    expect(s.buckets.map((b) => b.policy)).toEqual([
      { state: 'unparsable' },
      { state: 'unparsable' },
      { state: 'unparsable' },
    ]);
  });

  it('an unreadable encryption or policy is missing evidence, never SSE-S3 or "no policy"', () => {
    const s = directoryBucketsSection(
      [
        region([
          {
            name: HOT,
            encryption: failed('s3express:GetBucketEncryption', 'AccessDenied', 'access_denied'),
            policy: failed('s3express:GetBucketPolicy', 'AccessDenied', 'access_denied'),
          },
        ]),
      ],
      tenantEvidence([]).tenant,
      [],
    );
    expect(s.buckets[0]!.encryption).toEqual({
      state: 'unreadable',
      errorCode: 'AccessDenied',
      message: 'AccessDenied',
    });
    expect(directoryBucketsMissing(s)).toEqual([
      {
        scope: `directory bucket ${HOT}`,
        source: 's3express:GetBucketEncryption',
        reason: 'AccessDenied: AccessDenied',
      },
      { scope: `directory bucket ${HOT}`, source: 's3express:GetBucketPolicy', reason: 'AccessDenied: AccessDenied' },
    ]);
  });
});

describe('control s3express-default-encryption-matches-expectation', () => {
  const judge = (buckets: Array<{ name: string; encryption: FiledRecord }>, expectations: object[] = []) => {
    const tenant = tenantEvidence([], [], { expectations }).tenant;
    const s = directoryBucketsSection([region(buckets.map((b) => ({ ...b, policy: policy(1) })))], tenant, [key]);
    return control.evaluate({ buckets: [], keys: [], directoryBuckets: s.buckets });
  };

  it('passes: no expectation accepts SSE-S3', () => {
    expect(judge([{ name: COLD, encryption: rule('AES256') }])).toMatchObject([
      { resource: COLD, verdict: 'pass', reason: 'SSE-S3 meets any mode (none configured)' },
    ]);
  });

  it('fails: SSE-S3 where the expectation requires SSE-KMS', () => {
    expect(
      judge([{ name: COLD, encryption: rule('AES256') }], [{ buckets: '*--x-s3', requiredMode: 'SSE-KMS' }]),
    ).toMatchObject([
      { verdict: 'fail', reason: 'default encryption is SSE-S3; expectation "*--x-s3" requires at least SSE-KMS' },
    ]);
  });

  it('fails: a DSSE-KMS requirement, which no directory bucket can meet', () => {
    const [j] = judge(
      [{ name: HOT, encryption: rule('aws:kms', KEY_ARN) }],
      [{ buckets: 'hot--*', requiredMode: 'DSSE-KMS' }],
    );
    expect(j).toMatchObject({ verdict: 'fail' });
    expect(j!.reason).toContain('directory buckets offer SSE-S3 and SSE-KMS only');
  });

  it('passes and fails on the allowed key list', () => {
    const allowed = [{ buckets: 'hot--*', requiredMode: 'SSE-KMS', allowedKmsKeys: [KEY_ARN] }];
    expect(judge([{ name: HOT, encryption: rule('aws:kms', KEY_ARN) }], allowed)[0]).toMatchObject({ verdict: 'pass' });
    const other = [{ buckets: 'hot--*', requiredMode: 'SSE-KMS', allowedKmsKeys: [KEY_ARN.replace('1111', '9999')] }];
    expect(judge([{ name: HOT, encryption: rule('aws:kms', KEY_ARN) }], other)[0]).toMatchObject({ verdict: 'fail' });
  });

  it('not evaluated: the encryption could not be read', () => {
    expect(
      judge([{ name: HOT, encryption: failed('s3express:GetBucketEncryption', 'AccessDenied', 'access_denied') }]),
    ).toMatchObject([{ verdict: 'not_evaluated', reason: 'GetBucketEncryption failed: AccessDenied' }]);
  });
});

describe('buildPacket with directory buckets', () => {
  it('the section and the control are in the packet; an unreadable encryption makes it incomplete', () => {
    const ev = tenantEvidence([]);
    ev.directoryBuckets = [
      region([
        {
          name: HOT,
          encryption: failed('s3express:GetBucketEncryption', 'AccessDenied', 'access_denied'),
          policy: policy(1),
        },
      ]),
    ];
    const p = buildPacket({
      evidence: ev,
      logs: { accessLogs: null, cloudTrail: null },
      governance: null,
      catalog: loadCatalog(),
      wording: loadWording(),
    });
    expect(p.directoryBuckets?.buckets.map((b) => b.name)).toEqual([HOT]);
    expect(p.controls.find((c) => c.id === 's3express-default-encryption-matches-expectation')?.verdict).toBe(
      'not_evaluated',
    );
    expect(p.completeness.complete).toBe(false);
    expect(p.scope?.types[1]).toMatchObject({ type: 'directory', state: 'listed', inScope: 1 });
  });
});
