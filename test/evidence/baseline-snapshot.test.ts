import { describe, expect, it } from 'vitest';
import { snapshotFromEvidence } from '../../src/evidence/baseline-snapshot.js';
import { bucketEvidence, failed, kmsRule, ok, tenantEvidence } from '../support/evidence-builders.js';
import { customerKey, deniedKey, KEY_ARN } from '../baseline/packet-folder.js';

const policy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyHttp',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::b/*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
};

describe('snapshotFromEvidence', () => {
  const ev = tenantEvidence(
    [
      {
        ...bucketEvidence({ name: 'zeta-logs', encryption: kmsRule('aws:kms', KEY_ARN), policy }),
        publicAccessBlock: failed('s3:GetPublicAccessBlock', 'NoSuchPublicAccessBlockConfiguration', 'not_configured'),
      },
      bucketEvidence({
        name: 'alpha-denied',
        encryption: failed('s3:GetBucketEncryption', 'AccessDenied', 'access_denied'),
        policy: failed('s3:GetBucketPolicy', 'AccessDenied', 'access_denied'),
      }),
      bucketEvidence({ name: 'mid-nopolicy', policy: ok('s3:GetBucketPolicy', { Policy: '{"Statement": [' }) }),
    ],
    [
      customerKey(true, { Statement: [] }),
      customerKey(true, { Statement: [] }, 'alias/acme-data'),
      deniedKey('alias/lost'),
    ],
  );
  const snap = snapshotFromEvidence(ev);

  it('records the tenant, period and collection time, buckets sorted by name', () => {
    expect([snap.tenant, snap.period, snap.collectedAt]).toEqual(['acme', '2026-10', '2026-11-01T06:00:00Z']);
    expect(snap.buckets.map((b) => b.name)).toEqual(['alpha-denied', 'mid-nopolicy', 'zeta-logs']);
  });

  it('keeps what AWS returned: encryption rules, the parsed policy document, an absent public access block', () => {
    const zeta = snap.buckets[2]!;
    expect(zeta.encryption).toEqual({
      state: 'configured',
      configuration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
            BucketKeyEnabled: true,
            BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
          },
        ],
      },
    });
    expect(zeta.policy).toEqual({ state: 'present', document: policy });
    expect(zeta.publicAccessBlock).toEqual({ state: 'not_configured' });
  });

  it('records unreadable items as unreadable, never as absent', () => {
    const alpha = snap.buckets[0]!;
    expect(alpha.encryption).toEqual({ state: 'unreadable', errorCode: 'AccessDenied', message: 'AccessDenied' });
    expect(alpha.policy).toEqual({ state: 'unreadable', errorCode: 'AccessDenied', message: 'AccessDenied' });
  });

  it('keeps a policy that is not JSON as text', () => {
    expect(snap.buckets[1]!.policy).toMatchObject({ state: 'unparsable', text: '{"Statement": [' });
  });

  it('keeps a policy that names a key twice as text, never as the one reading JSON.parse gives', () => {
    const text = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Effect":"Deny"}]}';
    const twice = snapshotFromEvidence(
      tenantEvidence([bucketEvidence({ name: 'b', policy: ok('s3:GetBucketPolicy', { Policy: text }) })], []),
    );
    expect(twice.buckets[0]!.policy).toEqual({
      state: 'unparsable',
      text,
      error: 'it names "Effect" twice in Statement[0] (JSON readers differ on which of the two counts)',
      repeatedKey: true,
    });
  });

  it('merges two references to one key, and keeps an unreadable key under its reference', () => {
    // Sorted by id: "alias/lost" sorts before "arn:…".
    expect(snap.keys.map((k) => [k.id, k.references, k.rotation.state])).toEqual([
      ['alias/lost', ['alias/lost'], 'unreadable'],
      [KEY_ARN, ['alias/acme-data', KEY_ARN], 'enabled'],
    ]);
    expect(snap.keys[1]!.rotation).toEqual({ state: 'enabled', periodDays: 365 });
    expect(snap.keys[0]!.describe).toEqual({
      state: 'unreadable',
      errorCode: 'AccessDeniedException',
      message: 'AccessDeniedException',
    });
  });
});
