/** Hand-written snapshots and the governance policy fixtures, for the drift tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BaselineSnapshot, BucketSnapshot, KeySnapshot } from '../../../src/evidence/baseline-snapshot.js';
import type { StoredBaseline } from '../../../src/evidence/baseline-snapshot.js';

export function fixturePolicy(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.resolve('test/fixtures/governance', name), 'utf8')) as Record<string, unknown>;
}

export const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1111aaaa-2222-3333-4444-555566667777';
const AWS_S3_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/9999ffff-0000-1111-2222-333344445555';

export function bucket(overrides: Partial<BucketSnapshot> = {}): BucketSnapshot {
  return {
    name: 'acme-data',
    account: '111122223333',
    region: 'eu-west-1',
    encryption: {
      state: 'configured',
      configuration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
            BucketKeyEnabled: true,
          },
        ],
      },
    },
    policy: { state: 'present', document: fixturePolicy('bucket-policy-approved.json') },
    publicAccessBlock: {
      state: 'configured',
      configuration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    },
    ...overrides,
  };
}

export function key(overrides: Partial<KeySnapshot> = {}): KeySnapshot {
  return {
    id: KEY_ARN,
    references: [KEY_ARN],
    arn: KEY_ARN,
    account: '111122223333',
    region: 'eu-west-1',
    manager: 'CUSTOMER',
    describe: { state: 'ok' },
    policy: { state: 'present', document: fixturePolicy('key-policy-approved.json') },
    rotation: { state: 'enabled', periodDays: 365 },
    ...overrides,
  };
}

export const awsS3Key: KeySnapshot = {
  id: AWS_S3_KEY_ARN,
  references: ['alias/aws/s3'],
  arn: AWS_S3_KEY_ARN,
  account: '111122223333',
  region: 'eu-west-1',
  manager: 'AWS',
  describe: { state: 'ok' },
  policy: { state: 'not_collected' },
  rotation: { state: 'aws_managed' },
};

export function snapshot(
  buckets: BucketSnapshot[] = [bucket()],
  keys: KeySnapshot[] = [key()],
  period = '2026-10',
): BaselineSnapshot {
  return { snapshotVersion: 1, tenant: 'acme', period, collectedAt: '2026-11-01T06:00:00Z', buckets, keys };
}

export function stored(snap: BaselineSnapshot, version = 1): StoredBaseline {
  return {
    formatVersion: 1,
    version,
    tenant: 'acme',
    period: snap.period,
    approvedBy: 'Dana Auditor',
    approvedAt: '2026-11-02T09:00:00Z',
    reason: 'initial review',
    evidenceSha256: 'e'.repeat(64),
    snapshotSha256: 'f'.repeat(64),
    snapshot: snap,
  };
}

/** A deep copy with one statement of a policy document edited. */
export function editStatement(
  doc: Record<string, unknown>,
  sid: string,
  edit: (s: Record<string, unknown>) => Record<string, unknown> | undefined,
): Record<string, unknown> {
  const copy = structuredClone(doc) as { Statement: Array<Record<string, unknown>> };
  copy.Statement = copy.Statement.flatMap((s) => (s['Sid'] === sid ? (edit(s) ? [edit(s)!] : []) : [s]));
  return copy;
}
