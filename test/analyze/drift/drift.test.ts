import { describe, expect, it } from 'vitest';
import { buildDriftSection, diffSnapshots } from '../../../src/analyze/drift/index.js';
import type { BucketSnapshot } from '../../../src/evidence/baseline-snapshot.js';
import { awsS3Key, bucket, editStatement, fixturePolicy, key, KEY_ARN, snapshot, stored } from './fixtures.js';

const approvedPolicy = fixturePolicy('bucket-policy-approved.json');
const approvedKeyPolicy = fixturePolicy('key-policy-approved.json');

function withPolicy(document: Record<string, unknown>): BucketSnapshot {
  return bucket({ policy: { state: 'present', document } });
}

function only(items: ReturnType<typeof diffSnapshots>) {
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe('drift: no change', () => {
  it('finds nothing between a snapshot and a cosmetically rewritten copy of it', () => {
    const rewritten = snapshot(
      [withPolicy(fixturePolicy('bucket-policy-rewritten.json'))],
      [key({ policy: { state: 'present', document: fixturePolicy('key-policy-rewritten.json') } })],
    );
    expect(diffSnapshots(snapshot(), rewritten)).toEqual([]);
  });
});

describe('drift severity: critical for weakening', () => {
  it('critical: the SSE deny on a missing header removed', () => {
    const before = editStatement(approvedPolicy, 'DenyIncorrectEncryptionHeader', () => undefined);
    const after = editStatement(before, 'DenyUnEncryptedObjectUploads', () => undefined);
    const item = only(diffSnapshots(snapshot([withPolicy(before)]), snapshot([withPolicy(after)])));
    expect(item).toMatchObject({
      resource: 'acme-data',
      resourceType: 'bucket',
      kind: 'policy_statement_removed',
      severity: 'critical',
      statement: 'DenyUnEncryptedObjectUploads',
      after: null,
    });
    expect(item.summary).toBe(
      'Bucket policy of bucket acme-data: statement "DenyUnEncryptedObjectUploads" removed: SSE enforcement fell from yes to no.',
    );
    expect((item.before as { Sid: string }).Sid).toBe('DenyUnEncryptedObjectUploads');
  });

  it('critical: the SSE value deny removed, so any header value passes', () => {
    const after = editStatement(approvedPolicy, 'DenyIncorrectEncryptionHeader', () => undefined);
    const item = only(diffSnapshots(snapshot(), snapshot([withPolicy(after)])));
    expect(item).toMatchObject({
      kind: 'policy_statement_removed',
      severity: 'critical',
      statement: 'DenyIncorrectEncryptionHeader',
    });
    expect(item.summary).toContain('uploads with any x-amz-server-side-encryption value are now accepted');
  });

  it('medium, not critical: the Null deny removed while StringNotEquals aws:kms still refuses a missing header', () => {
    const after = editStatement(approvedPolicy, 'DenyUnEncryptedObjectUploads', () => undefined);
    expect(only(diffSnapshots(snapshot(), snapshot([withPolicy(after)]))).severity).toBe('medium');
  });

  it('critical: the TLS deny narrowed to one prefix', () => {
    const after = editStatement(approvedPolicy, 'DenyInsecureTransport', (s) => ({
      ...s,
      Resource: 'arn:aws:s3:::acme-data/uploads/*',
    }));
    const item = only(diffSnapshots(snapshot(), snapshot([withPolicy(after)])));
    expect(item).toMatchObject({
      kind: 'policy_statement_changed',
      severity: 'critical',
      statement: 'DenyInsecureTransport',
      changedFields: ['Resource'],
    });
    expect(item.summary).toContain('TLS enforcement fell from yes to partial');
  });

  it('critical: the SSE value rule widened to let AES256 through (level stays yes)', () => {
    const after = editStatement(approvedPolicy, 'DenyIncorrectEncryptionHeader', (s) => ({
      ...s,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': ['aws:kms', 'AES256'] } },
    }));
    const item = only(diffSnapshots(snapshot(), snapshot([withPolicy(after)])));
    expect(item).toMatchObject({
      kind: 'policy_statement_changed',
      severity: 'critical',
      changedFields: ['Condition'],
    });
    expect(item.summary).toContain('uploads with AES256 are now accepted');
  });

  it('critical: the whole bucket policy removed', () => {
    const item = only(diffSnapshots(snapshot(), snapshot([bucket({ policy: { state: 'none' } })])));
    expect(item).toMatchObject({ kind: 'policy_removed', severity: 'critical', after: null });
    expect(item.summary).toBe(
      'The bucket policy of bucket acme-data was removed: SSE enforcement fell from yes to no; TLS enforcement fell from yes to no.',
    );
  });

  it('critical: every statement removed (an empty Statement list enforces nothing)', () => {
    const items = diffSnapshots(snapshot(), snapshot([withPolicy({ Version: '2012-10-17', Statement: [] })]));
    expect(items.map((i) => [i.statement, i.severity])).toEqual([
      ['DenyIncorrectEncryptionHeader', 'critical'],
      ['DenyUnEncryptedObjectUploads', 'critical'],
      ['DenyInsecureTransport', 'critical'],
      ['#4', 'medium'],
    ]);
  });

  it('critical: automatic key rotation turned off', () => {
    const item = only(diffSnapshots(snapshot(), snapshot(undefined, [key({ rotation: { state: 'disabled' } })])));
    expect(item).toMatchObject({ resource: KEY_ARN, resourceType: 'key', kind: 'key_rotation', severity: 'critical' });
    expect(item.summary).toBe(`Automatic rotation of key ${KEY_ARN} turned off.`);
  });

  it('critical: default encryption SSE-KMS → SSE-S3', () => {
    const after = bucket({
      encryption: {
        state: 'configured',
        configuration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      },
    });
    const item = only(diffSnapshots(snapshot(), snapshot([after])));
    expect(item).toMatchObject({ kind: 'default_encryption', severity: 'critical' });
    expect(item.summary).toBe(
      `Default encryption of bucket acme-data downgraded from SSE-KMS with key ${KEY_ARN} to SSE-S3.`,
    );
  });

  it('critical: default encryption DSSE-KMS → SSE-S3', () => {
    const dsse = bucket({
      encryption: {
        state: 'configured',
        configuration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: KEY_ARN } }],
        },
      },
    });
    const s3 = bucket({
      encryption: {
        state: 'configured',
        configuration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      },
    });
    expect(only(diffSnapshots(snapshot([dsse]), snapshot([s3]))).severity).toBe('critical');
  });

  it('critical: KMS key changed from the customer key to aws/s3 (by alias, and by the AWS-managed key ARN)', () => {
    for (const keyId of ['alias/aws/s3', awsS3Key.id, undefined]) {
      const after = bucket({
        encryption: {
          state: 'configured',
          configuration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: {
                  SSEAlgorithm: 'aws:kms',
                  ...(keyId ? { KMSMasterKeyID: keyId } : {}),
                },
                BucketKeyEnabled: true,
              },
            ],
          },
        },
      });
      const items = diffSnapshots(snapshot([bucket()], [key(), awsS3Key]), snapshot([after], [key(), awsS3Key]));
      const item = only(items);
      expect(item.severity).toBe('critical');
      expect(item.summary).toBe(
        `Default encryption of bucket acme-data KMS key changed from customer-managed key ${KEY_ARN} to the AWS-managed aws/s3 key.`,
      );
    }
  });

  it('critical: a key policy grants a new principal', () => {
    const after = editStatement(approvedKeyPolicy, 'AllowS3Use', (s) => ({
      ...s,
      Principal: { AWS: ['arn:aws:iam::111122223333:role/app', 'arn:aws:iam::999988887777:root'] },
    }));
    const item = only(
      diffSnapshots(snapshot(), snapshot(undefined, [key({ policy: { state: 'present', document: after } })])),
    );
    expect(item).toMatchObject({
      resourceType: 'key',
      kind: 'policy_statement_changed',
      severity: 'critical',
      changedFields: ['Principal'],
    });
    expect(item.summary).toBe(
      `Key policy of key ${KEY_ARN}: statement "AllowS3Use" changed (Principal): grants AWS:arn:aws:iam::999988887777:root, which the baseline did not.`,
    );
  });

  it('critical: a public-access-block setting relaxed', () => {
    const after = bucket({
      publicAccessBlock: {
        state: 'configured',
        configuration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
      },
    });
    const item = only(diffSnapshots(snapshot(), snapshot([after])));
    expect(item).toMatchObject({ kind: 'public_access_block', severity: 'critical' });
    expect(item.summary).toBe('Public access block of bucket acme-data relaxed: BlockPublicPolicy turned off.');
  });

  it('critical: the public access block deleted altogether', () => {
    expect(
      only(diffSnapshots(snapshot(), snapshot([bucket({ publicAccessBlock: { state: 'not_configured' } })]))).severity,
    ).toBe('critical');
  });
});

describe('drift severity: medium and info', () => {
  it('medium: a key policy statement narrowed without a new principal', () => {
    const after = editStatement(approvedKeyPolicy, 'AllowS3Use', (s) => ({ ...s, Action: 'kms:Decrypt' }));
    const item = only(
      diffSnapshots(snapshot(), snapshot(undefined, [key({ policy: { state: 'present', document: after } })])),
    );
    expect(item).toMatchObject({ kind: 'policy_statement_changed', severity: 'medium', changedFields: ['Action'] });
  });

  it('medium: an Allow statement added to the bucket policy; info: a Deny statement added', () => {
    const allow = {
      Sid: 'AllowPartner',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::acme-data/*',
    };
    const deny = {
      Sid: 'DenyDelete',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:DeleteObject',
      Resource: 'arn:aws:s3:::acme-data/*',
    };
    const statements = (approvedPolicy as { Statement: unknown[] }).Statement;
    const items = diffSnapshots(
      snapshot(),
      snapshot([withPolicy({ ...approvedPolicy, Statement: [...statements, allow, deny] })]),
    );
    expect(items.map((i) => [i.kind, i.statement, i.severity])).toEqual([
      ['policy_statement_added', 'AllowPartner', 'medium'],
      ['policy_statement_added', 'DenyDelete', 'info'],
    ]);
  });

  it('medium: default encryption moved to another customer key; info: SSE-S3 → SSE-KMS; info: Bucket Key off', () => {
    const other = 'arn:aws:kms:eu-west-1:111122223333:key/aaaa0000-bbbb-cccc-dddd-eeeeffff0000';
    const kms = (keyId: string, bucketKey = true) =>
      bucket({
        encryption: {
          state: 'configured',
          configuration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId },
                BucketKeyEnabled: bucketKey,
              },
            ],
          },
        },
      });
    const s3 = bucket({
      encryption: {
        state: 'configured',
        configuration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      },
    });
    expect(only(diffSnapshots(snapshot(), snapshot([kms(other)]))).severity).toBe('medium');
    expect(only(diffSnapshots(snapshot([s3]), snapshot([kms(KEY_ARN)]))).severity).toBe('info');
    expect(only(diffSnapshots(snapshot(), snapshot([kms(KEY_ARN, false)]))).summary).toBe(
      'Default encryption of bucket acme-data S3 Bucket Key turned off.',
    );
  });

  it('critical: SSE-C blocking removed since the baseline; info: SSE-C blocked since', () => {
    const s3 = (blocked: string[] | undefined) =>
      bucket({
        encryption: {
          state: 'configured',
          configuration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
                ...(blocked ? { BlockedEncryptionTypes: { EncryptionType: blocked } } : {}),
              },
            ],
          },
        },
      });
    const removed = only(diffSnapshots(snapshot([s3(['SSE-C'])]), snapshot([s3(undefined)])));
    expect([removed.severity, removed.summary]).toEqual([
      'critical',
      'Default encryption of bucket acme-data no longer blocks SSE-C uploads (BlockedEncryptionTypes SSE-C removed).',
    ]);
    expect(only(diffSnapshots(snapshot([s3(['NONE'])]), snapshot([s3(['SSE-C'])]))).severity).toBe('info');
    expect(diffSnapshots(snapshot([s3(['SSE-C'])]), snapshot([s3(['SSE-C'])]))).toEqual([]);
  });

  it('no drift: the same key named by its key id instead of its ARN', () => {
    const keyId = '1111aaaa-2222-3333-4444-555566667777';
    const byId = bucket({
      encryption: {
        state: 'configured',
        configuration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId },
              BucketKeyEnabled: true,
            },
          ],
        },
      },
    });
    expect(diffSnapshots(snapshot(), snapshot([byId], [key({ references: [KEY_ARN, keyId] })]))).toEqual([]);
  });

  it('info: a public-access-block setting turned on; info: rotation turned on', () => {
    const before = bucket({ publicAccessBlock: { state: 'not_configured' } });
    expect(only(diffSnapshots(snapshot([before]), snapshot())).severity).toBe('info');
    expect(
      only(diffSnapshots(snapshot(undefined, [key({ rotation: { state: 'disabled' } })]), snapshot())).severity,
    ).toBe('info');
  });

  it('medium: buckets and keys added or removed', () => {
    const other = bucket({ name: 'acme-new' });
    const items = diffSnapshots(snapshot([bucket()], [key()]), snapshot([bucket(), other], []));
    expect(items.map((i) => [i.kind, i.resource, i.severity])).toEqual([
      ['bucket_added', 'acme-new', 'medium'],
      ['key_removed', KEY_ARN, 'medium'],
    ]);
  });

  it('medium, never "removed": a policy that is unreadable now is reported as not comparable', () => {
    const after = bucket({ policy: { state: 'unreadable', errorCode: 'AccessDenied', message: 'Access Denied' } });
    const item = only(diffSnapshots(snapshot(), snapshot([after])));
    expect(item).toMatchObject({ kind: 'not_comparable', severity: 'medium' });
    expect(item.summary).toBe(
      'The bucket policy of bucket acme-data cannot be compared with the baseline: it is unreadable (AccessDenied) now.',
    );
  });

  it('medium: a policy that names a key twice now is not comparable, and says why', () => {
    const text = '{"Statement":[{"Effect":"Allow","Effect":"Deny"}]}';
    const error = 'it names "Effect" twice in Statement[0] (JSON readers differ on which of the two counts)';
    const after = bucket({ policy: { state: 'unparsable', text, error, repeatedKey: true } });
    const item = only(diffSnapshots(snapshot(), snapshot([after])));
    expect(item).toMatchObject({ kind: 'not_comparable', severity: 'medium', after: text });
    expect(item.summary).toBe(
      `The bucket policy of bucket acme-data cannot be compared with the baseline: it is a document with no single reading (${error}) now.`,
    );
  });

  it('matches a key whose DescribeKey failed now to its baseline entry by reference', () => {
    const failed = { state: 'unreadable' as const, errorCode: 'AccessDeniedException', message: 'denied' };
    const after = key({
      id: KEY_ARN,
      references: [KEY_ARN],
      describe: failed,
      rotation: failed,
      policy: { state: 'present', document: approvedKeyPolicy },
    });
    delete after.arn;
    const item = only(diffSnapshots(snapshot(), snapshot(undefined, [after])));
    expect(item).toMatchObject({ kind: 'not_comparable', resourceType: 'key', severity: 'medium' });
  });
});

describe('buildDriftSection', () => {
  it('without a baseline, states it and gives the exact approve command', () => {
    expect(buildDriftSection(snapshot(), undefined, 'acme', '2026-10')).toEqual({
      state: 'no_baseline',
      command:
        's3-evidence baseline approve --tenant acme --period 2026-10 --by "<your name>" --reason "<why this state is approved>"',
    });
  });

  it('counts by severity, lists critical first and names the baseline version', () => {
    const current = snapshot(
      [bucket({ publicAccessBlock: { state: 'not_configured' } }), bucket({ name: 'acme-new' })],
      [key({ rotation: { state: 'enabled', periodDays: 180 } })],
      '2026-11',
    );
    const section = buildDriftSection(current, stored(snapshot(), 3), 'acme', '2026-11');
    if (section.state !== 'compared') throw new Error(section.state);
    expect(section.baseline).toEqual({
      version: 3,
      approvedBy: 'Dana Auditor',
      approvedAt: '2026-11-02T09:00:00Z',
      reason: 'initial review',
      period: '2026-10',
    });
    expect(section.counts).toEqual({ critical: 1, high: 0, medium: 1, low: 0, info: 1 });
    expect(section.items.map((i) => [i.severity, i.kind, i.resource])).toEqual([
      ['critical', 'public_access_block', 'acme-data'],
      ['medium', 'bucket_added', 'acme-new'],
      ['info', 'key_rotation', KEY_ARN],
    ]);
  });
});

describe('drift on the one severity scale: a weakening a control judges takes that control severity', () => {
  const CONTROL_SEVERITY = new Map([
    ['s3-policy-denies-insecure-transport', 'high' as const],
    ['s3-policy-denies-unencrypted-uploads', 'medium' as const],
    ['s3-default-encryption-enabled', 'high' as const],
    ['s3-default-encryption-matches-expectation', 'high' as const],
    ['kms-customer-keys-rotate', 'medium' as const],
  ]);

  it('names the controls whose guardrail it weakens', () => {
    const removed = only(diffSnapshots(snapshot(), snapshot([bucket({ policy: { state: 'none' } })])));
    expect(removed.weakens).toEqual(['s3-policy-denies-unencrypted-uploads', 's3-policy-denies-insecure-transport']);
    const tls = editStatement(approvedPolicy, 'DenyInsecureTransport', () => undefined);
    expect(only(diffSnapshots(snapshot(), snapshot([withPolicy(tls)]))).weakens).toEqual([
      's3-policy-denies-insecure-transport',
    ]);
  });

  it('TLS deny removed: HIGH as the TLS control, not CRITICAL; SSE deny removed: MEDIUM as the SSE control', () => {
    const tls = editStatement(approvedPolicy, 'DenyInsecureTransport', () => undefined);
    const s1 = buildDriftSection(
      snapshot([withPolicy(tls)], [key()], '2026-11'),
      stored(snapshot(), 1),
      'acme',
      '2026-11',
      CONTROL_SEVERITY,
    );
    if (s1.state !== 'compared') throw new Error(s1.state);
    expect(s1.items.map((i) => [i.kind, i.severity])).toEqual([['policy_statement_removed', 'high']]);
    expect(s1.counts).toEqual({ critical: 0, high: 1, medium: 0, low: 0, info: 0 });

    const before = editStatement(approvedPolicy, 'DenyIncorrectEncryptionHeader', () => undefined);
    const sse = editStatement(before, 'DenyUnEncryptedObjectUploads', () => undefined);
    const s2 = buildDriftSection(
      snapshot([withPolicy(sse)], [key()], '2026-11'),
      stored(snapshot([withPolicy(before)]), 1),
      'acme',
      '2026-11',
      CONTROL_SEVERITY,
    );
    if (s2.state !== 'compared') throw new Error(s2.state);
    expect(s2.items.map((i) => i.severity)).toEqual(['medium']);
  });

  it('a whole policy removed weakens both guardrails: the worse of the two controls (high)', () => {
    const s = buildDriftSection(
      snapshot([bucket({ policy: { state: 'none' } })], [key()], '2026-11'),
      stored(snapshot(), 1),
      'acme',
      '2026-11',
      CONTROL_SEVERITY,
    );
    if (s.state !== 'compared') throw new Error(s.state);
    expect(s.items.map((i) => [i.kind, i.severity])).toEqual([['policy_removed', 'high']]);
  });

  it('a weakening no control judges stays critical (public access block relaxed)', () => {
    const s = buildDriftSection(
      snapshot([bucket({ publicAccessBlock: { state: 'not_configured' } })], [key()], '2026-11'),
      stored(snapshot(), 1),
      'acme',
      '2026-11',
      CONTROL_SEVERITY,
    );
    if (s.state !== 'compared') throw new Error(s.state);
    expect(s.items.map((i) => [i.kind, i.severity, i.weakens])).toEqual([
      ['public_access_block', 'critical', undefined],
    ]);
  });
});

describe('drift: directory buckets', () => {
  const dir = (statements: object[], algorithm = 'aws:kms') => {
    const { publicAccessBlock: _p, ...rest } = bucket({
      name: 'hot--euw1-az1--x-s3',
      policy: { state: 'present', document: { Version: '2012-10-17', Statement: statements } },
    });
    const rule = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm } };
    return {
      ...rest,
      region: 'eu-west-1',
      ...(algorithm === 'aws:kms'
        ? {}
        : { encryption: { state: 'configured' as const, configuration: { Rules: [rule] } } }),
    };
  };
  const session = {
    Sid: 'Checkout',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111122223333:role/checkout' },
    Action: 's3express:CreateSession',
    Resource: 'arn:aws:s3express:eu-west-1:111122223333:bucket/hot--euw1-az1--x-s3',
  };
  const withDirectory = (d: ReturnType<typeof dir>[] | undefined) => ({
    ...snapshot(),
    ...(d ? { directoryBuckets: d } : {}),
  });

  it('a statement added to a directory bucket policy is drift on that bucket; nothing else changes', () => {
    const other = { ...session, Sid: 'Analytics', Principal: { AWS: 'arn:aws:iam::444444444444:root' } };
    const items = diffSnapshots(withDirectory([dir([session])]), withDirectory([dir([session, other])]));
    const item = only(items);
    expect(item).toMatchObject({ resource: 'hot--euw1-az1--x-s3', resourceType: 'bucket' });
    expect(item.summary).toContain('hot--euw1-az1--x-s3');
    expect(item.summary).toContain('Analytics');
  });

  it('SSE-KMS turned to SSE-S3 is encryption drift; a directory bucket new since the baseline is named', () => {
    const encryption = diffSnapshots(withDirectory([dir([session])]), withDirectory([dir([session], 'AES256')]));
    expect(only(encryption).resource).toBe('hot--euw1-az1--x-s3');
    const added = diffSnapshots(withDirectory([]), withDirectory([dir([session])]));
    expect(only(added)).toMatchObject({
      kind: 'bucket_added',
      summary: 'Directory bucket hot--euw1-az1--x-s3 is in scope now but not in the baseline.',
    });
  });

  it('a baseline approved before directory buckets were read compares none of them', () => {
    expect(diffSnapshots(withDirectory(undefined), withDirectory([dir([session])]))).toEqual([]);
  });
});
