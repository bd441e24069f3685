/**
 * The account the product benchmark collects: `buckets` buckets spread over three regions, `keys`
 * customer-managed keys (a third of the KMS buckets name theirs by key ARN, a third by alias, a
 * third by bare key id), 10 % of buckets refusing every read (AccessDenied), AWS Config recording
 * in every region with two covered rules and history for a sample of buckets.
 */
import type {
  Fault,
  FakeBucket,
  FakeConfigItem,
  FakeConfigRule,
  FakeKey,
  Scenario,
} from '../../test/support/fake-aws/index.js';

export const ACCOUNT = '111111111111';
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export const CALLER = {
  accessKeyId: 'AKIDBENCH',
  account: '999900000000',
  arn: 'arn:aws:iam::999900000000:user/bench',
};
export const CALLER_SECRET = 'caller-secret';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/EvidenceReader`;
export const EXTERNAL_ID = 'bench-external-id';
export const DENIED_PREFIX = 'denied-';

export interface ScenarioSize {
  buckets: number;
  keys: number;
  latencyMs: number;
  /** A region whose every call hangs (never answered). */
  hungRegion?: string;
}

const keyId = (i: number) => `${String(i).padStart(8, '0')}-bench-4000-8000-000000000000`;

export function bucketName(i: number, buckets: number): string {
  // Every tenth bucket refuses reads; its name says so, and one fault covers them all.
  const base = `bench-${String(i).padStart(5, '0')}`;
  return i % 10 === 9 && buckets > 0 ? `${DENIED_PREFIX}${base}` : base;
}

export function benchScenario(size: ScenarioSize): Scenario {
  const keys: FakeKey[] = Array.from({ length: size.keys }, (_, i) => ({
    id: keyId(i),
    region: REGIONS[i % REGIONS.length]!,
    aliases: [`alias/bench-key-${i}`],
    rotation: { enabled: i % 4 !== 0 },
  }));
  const keyRefs = (i: number): string | undefined => {
    if (keys.length === 0) return undefined;
    const k = keys[i % keys.length]!;
    const style = Math.floor(i / keys.length) % 3;
    if (style === 0) return `arn:aws:kms:${k.region}:${ACCOUNT}:key/${k.id}`;
    if (style === 1) return k.aliases![0]!;
    return k.id;
  };
  const buckets: FakeBucket[] = [];
  for (let i = 0; i < size.buckets; i++) {
    const region = REGIONS[i % REGIONS.length]!;
    // KMS buckets use the keys of their own region: bucket i and key i share i mod 3.
    const kms = i % 5 !== 0;
    const ref = kms ? keyRefs(Math.floor(i / 5) * REGIONS.length + (i % REGIONS.length)) : undefined;
    buckets.push({
      name: bucketName(i, size.buckets),
      region,
      encryption: ref ? { algorithm: 'aws:kms', kmsKeyId: ref, bucketKeyEnabled: true } : { algorithm: 'AES256' },
      ...(i % 3 === 0
        ? {
            policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'DenyInsecureTransport',
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 's3:*',
                  Resource: [
                    `arn:aws:s3:::${bucketName(i, size.buckets)}`,
                    `arn:aws:s3:::${bucketName(i, size.buckets)}/*`,
                  ],
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                },
              ],
            }),
          }
        : {}),
      ...(i % 4 === 0 ? { tags: { tenant: 'bench' } } : {}),
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
      versioning: 'Enabled',
    });
  }
  const rules: FakeConfigRule[] = REGIONS.flatMap((region) => [
    {
      region,
      name: 's3-bucket-server-side-encryption-enabled',
      sourceIdentifier: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED',
      results: buckets
        .filter((b) => b.region === region)
        .map((b) => ({
          resourceType: 'AWS::S3::Bucket',
          resourceId: b.name,
          compliance: 'COMPLIANT' as const,
          recordedAt: '2026-10-30T00:00:00Z',
        })),
    },
    {
      region,
      name: 'cmk-backing-key-rotation-enabled',
      sourceIdentifier: 'CMK_BACKING_KEY_ROTATION_ENABLED',
      results: [],
    },
  ]);
  // A change in the period for every twentieth bucket, and its earlier state.
  const history: FakeConfigItem[] = buckets
    .filter((_, i) => i % 20 === 0)
    .flatMap((b) => [
      {
        region: b.region,
        resourceType: 'AWS::S3::Bucket',
        resourceId: b.name,
        captureTime: '2026-09-01T00:00:00Z',
        configuration: '{}',
      },
      {
        region: b.region,
        resourceType: 'AWS::S3::Bucket',
        resourceId: b.name,
        captureTime: '2026-10-12T09:30:00Z',
        configuration: '{}',
      },
    ]);
  const faults: Fault[] = [
    {
      service: 's3',
      bucketPrefix: DENIED_PREFIX,
      action: { kind: 'error', code: 'AccessDenied', status: 403, message: 'Access Denied' },
    },
  ];
  if (size.hungRegion) faults.push({ region: size.hungRegion, action: { kind: 'hang' } });
  return {
    caller: CALLER,
    accounts: [
      {
        id: ACCOUNT,
        role: { name: 'EvidenceReader', externalId: EXTERNAL_ID },
        buckets,
        keys,
        configRecorders: REGIONS.map((region) => ({ region, recording: true, allSupported: true })),
        configRules: rules,
        configHistory: history,
      },
    ],
    faults,
    latencyMs: size.latencyMs,
  };
}

/** What the one-call-at-a-time script can report: buckets whose key it can describe by ARN, or that use SSE-S3. */
export function keyArnsNamedByBuckets(scenario: Scenario): string[] {
  const arns = scenario.accounts[0]!.buckets.flatMap((b) =>
    b.encryption?.kmsKeyId?.startsWith('arn:') ? [b.encryption.kmsKeyId] : [],
  );
  return [...new Set(arns)];
}
