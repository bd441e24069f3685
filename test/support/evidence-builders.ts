/**
 * Small builders for hand-written evidence, so analysis tests state only what matters to them.
 * Values are literal AWS response shapes; nothing here calls the code under test.
 */
import type { BucketEvidence, KeyEvidence, TenantEvidence } from '../../src/evidence/bundle.js';
import { emptyTally, type InventoryEvidence } from '../../src/evidence/inventory.js';
import type { FiledRecord } from '../../src/evidence/record.js';
import { tenantSchema } from '../../src/config/schema.js';

const base = {
  account: '111122223333',
  region: 'eu-west-1',
  collectedAt: '2026-11-01T06:00:00Z',
  source: 'offline' as const,
  parameters: {},
};

export function ok<T>(operation: string, response: T, file = `evidence/${operation}.json`): FiledRecord<T> {
  return { ...base, operation, outcome: 'ok', response, file };
}

export function failed(
  operation: string,
  code: string,
  outcome: 'access_denied' | 'not_configured' | 'error',
  file = `evidence/${operation}.json`,
): FiledRecord<never> {
  return { ...base, operation, outcome, error: { code, message: code }, file };
}

export function measuredInventory(
  bucket: string,
  counts: Partial<Record<keyof ReturnType<typeof emptyTally>, [number, number]>>,
): InventoryEvidence {
  const tally = emptyTally();
  for (const [k, v] of Object.entries(counts)) tally[k as keyof typeof tally] = { objects: v[0], bytes: v[1] };
  return {
    status: 'ok',
    bucket,
    configId: 'audit',
    reportDate: '2026-10-31T00:00:00Z',
    manifestLocation: `inventory/${bucket}/audit/2026-10-31T00-00Z/manifest.json`,
    manifestSha256: '0'.repeat(64),
    fileFormat: 'CSV',
    fileSchema: ['Bucket', 'Key', 'Size', 'EncryptionStatus'],
    files: [],
    tally,
    deleteMarkers: 0,
    unknownStatus: { objects: 0, bytes: 0 },
    includesVersions: false,
    unencryptedExport: {
      file: `evidence/accounts/111122223333/s3/${bucket}/unencrypted-objects.csv`,
      rows: counts['NOT-SSE']?.[0] ?? 0,
    },
    largestUnencrypted: [],
  };
}

export interface BucketSpec {
  name: string;
  encryption?: FiledRecord;
  policy?: FiledRecord | object;
  inventory?: InventoryEvidence;
}

export function bucketEvidence(spec: BucketSpec): BucketEvidence {
  const policy =
    spec.policy === undefined
      ? failed('s3:GetBucketPolicy', 'NoSuchBucketPolicy', 'not_configured')
      : 'operation' in spec.policy
        ? spec.policy
        : ok('s3:GetBucketPolicy', { Policy: JSON.stringify(spec.policy) });
  return {
    name: spec.name,
    account: '111122223333',
    region: 'eu-west-1',
    location: ok('s3:GetBucketLocation', { LocationConstraint: 'eu-west-1' }),
    tagging: failed('s3:GetBucketTagging', 'NoSuchTagSet', 'not_configured'),
    encryption: (spec.encryption ??
      ok('s3:GetBucketEncryption', {
        ServerSideEncryptionConfiguration: {
          // Buckets created since April 2026 block SSE-C by default.
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
              BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
            },
          ],
        },
      })) as BucketEvidence['encryption'],
    policy: policy as BucketEvidence['policy'],
    publicAccessBlock: ok('s3:GetPublicAccessBlock', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
    inventory: {
      ...(spec.inventory ?? { bucket: spec.name, status: 'missing', reason: 'no report' }),
      file: `evidence/${spec.name}/inventory.json`,
    },
  };
}

export function tenantEvidence(
  buckets: BucketEvidence[],
  keys: KeyEvidence[] = [],
  tenantOverrides: Record<string, unknown> = {},
): TenantEvidence {
  const tenant = tenantSchema.parse({
    id: 'acme',
    displayName: 'ACME',
    accounts: [{ id: '111122223333' }],
    ...tenantOverrides,
  });
  return {
    run: {
      tool: { name: 's3-evidence', version: '0.0.0-test' },
      startedAt: '2026-11-01T06:00:00Z',
      mode: 'offline',
      configSha256: 'c'.repeat(64),
      operator: 'Test MSP',
    },
    tenant,
    period: { label: '2026-10', timeZone: 'UTC', startUtc: '2026-10-01T00:00:00Z', endUtc: '2026-11-01T00:00:00Z' },
    accounts: [
      {
        id: '111122223333',
        listBuckets: ok('s3:ListBuckets', {
          Buckets: buckets.map((b) => ({ Name: b.name })),
          Owner: { ID: 'owner-111122223333' },
        }),
        aliases: [],
      },
    ],
    buckets,
    excludedBuckets: [],
    undeterminedBuckets: [],
    keys,
    collectionProblems: [],
    files: [],
  };
}

export const kmsRule = (algorithm: string, keyId?: string, extraRules = 0) =>
  ok('s3:GetBucketEncryption', {
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm, ...(keyId ? { KMSMasterKeyID: keyId } : {}) },
          BucketKeyEnabled: true,
          BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
        },
        ...Array.from({ length: extraRules }, () => ({
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
        })),
      ],
    },
  });
