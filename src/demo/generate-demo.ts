/**
 * The bundled demo: three tenants' offline evidence, in exactly the layout `scripts/export-offline.sh`
 * writes and `aws s3 sync` copies inventory reports in. Generated, not committed, because the
 * inventory data files are binary; generation is deterministic (fixed seed, gzip mtime 0), so the
 * demo packets are byte-identical from run to run.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeAccessLogs, writeCloudTrail, type DemoKmsCall, type DemoRequest } from './demo-logs.js';
import { seededRandom } from '../util/seeded-random.js';

export const DEMO_PERIOD = '2026-10';
/** The demo's earlier month: its packet is approved as the baseline and starts the trend. */
export const DEMO_PREVIOUS_PERIOD = '2026-09';
export type DemoMonth = typeof DEMO_PERIOD | typeof DEMO_PREVIOUS_PERIOD;

const EXPORTED_AT: Record<DemoMonth, string> = { '2026-09': '2026-10-01T06:00:00Z', '2026-10': '2026-11-01T06:00:00Z' };
export const demoExportedAt = (month: DemoMonth) => EXPORTED_AT[month];
/** The inventory report folder each month's packets count (the first after the month's end in every demo zone). */
const DEMO_REPORT_FOLDER: Record<DemoMonth, string> = {
  '2026-09': '2026-10-01T05-30Z',
  '2026-10': '2026-11-01T05-30Z',
};

type Sse = 'NOT-SSE' | 'SSE-S3' | 'SSE-KMS' | 'DSSE-KMS' | 'SSE-C';

interface DemoKey {
  id: string;
  account: string;
  region: string;
  alias: string;
  manager: 'CUSTOMER' | 'AWS';
  rotation: boolean;
  denied?: boolean;
}

interface DemoBucket {
  name: string;
  region: string;
  created: string;
  tags: Record<string, string>;
  encryption: { algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; key?: string; bucketKey?: boolean } | 'AccessDenied';
  policy: 'sse+tls' | 'tls-only' | 'sse-only' | 'none' | 'AccessDenied' | 'tls-prefix-trap';
  inventory?: { objects: number; mix: Array<[Sse, number]>; legacyUnencrypted?: number };
}

interface DemoAccount {
  id: string;
  buckets: DemoBucket[];
  keys: DemoKey[];
  /** Keys of other accounts this account can describe (the export ran describe-key on them). */
  foreignKeys?: DemoKey[];
}

interface DemoTenant {
  id: string;
  accounts: DemoAccount[];
}

const kmsArn = (k: DemoKey) => `arn:aws:kms:${k.region}:${k.account}:key/${k.id}`;

const NW_KEY: DemoKey = {
  id: '0b6c5e1a-7d3f-4c2e-9a41-5f8e2d7c1b90',
  account: '111111111111',
  region: 'us-east-2',
  alias: 'alias/northwind-records',
  manager: 'CUSTOMER',
  rotation: true,
};
const NW_BACKUP_KEY: DemoKey = {
  id: '3e9d2a47-1c85-4b6f-a0d3-8f27c6e5b412',
  account: '111111111111',
  region: 'us-west-2',
  alias: 'alias/northwind-backups',
  manager: 'CUSTOMER',
  rotation: true,
};
const ACME_KEY: DemoKey = {
  id: '7f4a1b2c-3d5e-4f60-8a9b-0c1d2e3f4a5b',
  account: '222222222222',
  region: 'eu-west-1',
  alias: 'alias/acme-app',
  manager: 'CUSTOMER',
  rotation: false,
};
// In September the app key still rotated; CloudTrail shows it being turned off on 12 October.
const ACME_KEY_SEPTEMBER: DemoKey = { ...ACME_KEY, rotation: true };
const GLOBEX_KEY: DemoKey = {
  id: 'c81f0e2d-5a6b-4c7d-9e8f-1a2b3c4d5e6f',
  account: '333333333333',
  region: 'eu-central-1',
  alias: 'alias/globex-orders',
  manager: 'CUSTOMER',
  rotation: true,
};
const GLOBEX_SHARED_KEY: DemoKey = {
  id: 'e2a4c6d8-0b1d-4e3f-a5b7-c9d1e3f5a7b9',
  account: '444444444444',
  region: 'eu-west-1',
  alias: 'alias/security-shared',
  manager: 'CUSTOMER',
  rotation: true,
  denied: true,
};

/** The demo world in a month: September differs from October in a few deliberate ways. */
function tenantsIn(month: DemoMonth): DemoTenant[] {
  const september = month === DEMO_PREVIOUS_PERIOD;
  return [
    {
      id: 'northwind',
      accounts: [
        {
          id: '111111111111',
          keys: [NW_KEY, NW_BACKUP_KEY],
          buckets: [
            {
              name: 'northwind-prod-records',
              region: 'us-east-2',
              created: '2021-02-11T09:14:00+00:00',
              tags: { tenant: 'northwind', env: 'prod' },
              encryption: { algorithm: 'aws:kms', key: kmsArn(NW_KEY), bucketKey: true },
              policy: 'sse+tls',
              inventory: { objects: 20_000, mix: [['SSE-KMS', 1]] },
            },
            {
              name: 'northwind-prod-imaging',
              region: 'us-east-2',
              created: '2022-06-01T12:00:00+00:00',
              tags: { tenant: 'northwind', env: 'prod' },
              encryption: { algorithm: 'aws:kms:dsse', key: kmsArn(NW_KEY) },
              policy: 'sse+tls',
              inventory: {
                objects: 9_000,
                mix: [
                  ['DSSE-KMS', 0.8],
                  ['SSE-KMS', 0.2],
                ],
              },
            },
            {
              name: 'northwind-backups',
              region: 'us-west-2',
              created: '2020-11-20T08:30:00+00:00',
              tags: { tenant: 'northwind', env: 'backup' },
              encryption: { algorithm: 'aws:kms', key: kmsArn(NW_BACKUP_KEY), bucketKey: true },
              policy: 'sse+tls',
              inventory: { objects: 5_000, mix: [['SSE-KMS', 1]] },
            },
            {
              name: 'scratch-build-cache',
              region: 'us-east-2',
              created: '2024-01-05T10:00:00+00:00',
              tags: { team: 'ci' },
              encryption: { algorithm: 'AES256' },
              policy: 'none',
            },
          ],
        },
      ],
    },
    {
      id: 'acme',
      accounts: [
        {
          id: '222222222222',
          keys: [september ? ACME_KEY_SEPTEMBER : ACME_KEY],
          buckets: [
            // The TLS deny on web assets was dropped in a policy rewrite during October.
            {
              name: 'acme-web-assets',
              region: 'us-east-1',
              created: '2019-01-15T16:20:00+00:00',
              tags: {},
              encryption: { algorithm: 'AES256' },
              policy: september ? 'sse+tls' : 'sse-only',
              inventory: { objects: 12_000, mix: [['SSE-S3', 1]] },
            },
            // Re-encryption of the legacy archive is under way: 1,410 left in September, 1,204 in October.
            {
              name: 'acme-legacy-archive',
              region: 'us-east-1',
              created: '2017-05-02T11:00:00+00:00',
              tags: {},
              encryption: { algorithm: 'AES256' },
              policy: 'none',
              inventory: { objects: 30_000, mix: [['SSE-S3', 1]], legacyUnencrypted: september ? 1_410 : 1_204 },
            },
            {
              name: 'acme-app-data',
              region: 'eu-west-1',
              created: '2023-03-09T07:45:00+00:00',
              tags: {},
              encryption: { algorithm: 'aws:kms', key: kmsArn(ACME_KEY), bucketKey: true },
              policy: 'tls-prefix-trap',
              inventory: {
                objects: 15_000,
                mix: [
                  ['SSE-KMS', 0.97],
                  ['SSE-C', 0.03],
                ],
              },
            },
          ],
        },
      ],
    },
    {
      id: 'globex',
      accounts: [
        {
          id: '333333333333',
          keys: [GLOBEX_KEY],
          foreignKeys: [GLOBEX_SHARED_KEY],
          buckets: [
            {
              name: 'globex-orders',
              region: 'eu-central-1',
              created: '2021-09-30T13:00:00+00:00',
              tags: {},
              encryption: { algorithm: 'aws:kms', key: kmsArn(GLOBEX_KEY), bucketKey: true },
              policy: 'sse+tls',
              inventory: { objects: 16_000, mix: [['SSE-KMS', 1]] },
            },
            {
              name: 'globex-payments',
              region: 'eu-central-1',
              created: '2022-02-14T09:00:00+00:00',
              tags: {},
              encryption: 'AccessDenied',
              policy: 'AccessDenied',
              inventory: { objects: 6_000, mix: [['SSE-KMS', 1]] },
            },
            {
              name: 'globex-analytics',
              region: 'eu-west-1',
              created: '2024-04-22T15:30:00+00:00',
              tags: {},
              encryption: { algorithm: 'aws:kms', key: kmsArn(GLOBEX_SHARED_KEY) },
              policy: 'sse+tls',
            },
          ],
        },
      ],
    },
  ];
}

async function put(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

const json = (v: unknown) => `${JSON.stringify(v, null, 4)}\n`;
const cliError = (code: string, op: string, message: string) =>
  `\nAn error occurred (${code}) when calling the ${op} operation: ${message}\n`;

function bucketPolicy(b: DemoBucket): string | undefined {
  const objects = `arn:aws:s3:::${b.name}/*`;
  const bucketArn = `arn:aws:s3:::${b.name}`;
  const wantValue =
    b.encryption !== 'AccessDenied' && b.encryption.algorithm !== 'AES256' ? b.encryption.algorithm : 'AES256';
  const sse = [
    {
      Sid: 'DenyWrongEncryptionHeader',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': wantValue } },
    },
    {
      Sid: 'DenyMissingEncryptionHeader',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
    },
  ];
  const tls = [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [bucketArn, objects],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
  const tlsTrap = [
    {
      Sid: 'DenyInsecureTransportUploads',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: `arn:aws:s3:::${b.name}/uploads/*`,
      Condition: { Bool: { 'aws:SecureTransport': false } },
    },
  ];
  const statements =
    b.policy === 'sse+tls'
      ? [...sse, ...tls]
      : b.policy === 'tls-only'
        ? tls
        : b.policy === 'sse-only'
          ? sse
          : b.policy === 'tls-prefix-trap'
            ? [...sse, ...tlsTrap]
            : undefined;
  return statements ? JSON.stringify({ Version: '2012-10-17', Statement: statements }) : undefined;
}

const SCHEMA = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'StorageClass',
  'EncryptionStatus',
  'BucketKeyStatus',
];
const FOLDERS = ['reports', 'invoices', 'images/2025', 'exports/daily', 'customer data', 'logs/app'];

function pick<T>(mix: Array<[T, number]>, r: number): T {
  let acc = 0;
  for (const [v, w] of mix) {
    acc += w;
    if (r < acc) return v;
  }
  return mix[mix.length - 1]![0];
}

/** Inventory CSV rows: every field quoted, keys URL-encoded, no header (the AWS format). */
function inventoryRows(b: DemoBucket, seed: number, scale: number): string[] {
  const inv = b.inventory!;
  const rand = seededRandom(seed);
  const rows: string[] = [];
  const n = Math.round(inv.objects * scale);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  for (let i = 0; i < n; i++) {
    const folder = FOLDERS[Math.floor(rand() * FOLDERS.length)]!;
    const key = encodeURIComponent(`${folder}/object-${String(i).padStart(6, '0')}.dat`).replace(/%2F/g, '/');
    const size = Math.floor(rand() * 5_000_000) + 100;
    const day = 1 + Math.floor(rand() * 27);
    const status = pick(inv.mix, rand());
    const modified = `2025-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00.000Z`;
    const bucketKey =
      status === 'SSE-KMS' && b.encryption !== 'AccessDenied' && b.encryption.bucketKey ? 'ENABLED' : 'DISABLED';
    rows.push(
      [b.name, key, '', 'true', 'false', String(size), modified, 'STANDARD', status, bucketKey].map(q).join(','),
    );
  }
  for (let i = 0; i < Math.round((inv.legacyUnencrypted ?? 0) * scale); i++) {
    const size = Math.floor(rand() * 3_000_000) + 1000;
    const year = 2019 + Math.floor(rand() * 3);
    const key = encodeURIComponent(`legacy/${year}/scan ${String(i).padStart(5, '0')}.tif`).replace(/%2F/g, '/');
    const modified = `${year}-03-${String(2 + Math.floor(rand() * 20)).padStart(2, '0')}T08:00:00.000Z`;
    rows.push(
      [b.name, key, '', 'true', 'false', String(size), modified, 'STANDARD_IA', 'NOT-SSE', 'DISABLED'].map(q).join(','),
    );
  }
  return rows;
}

async function writeInventory(
  root: string,
  tenant: string,
  b: DemoBucket,
  seed: number,
  month: DemoMonth,
): Promise<void> {
  const destBucket = `${tenant}-inventory`;
  const configId = 'encryption-audit';
  // The report that describes a month is the first begun at or after its end: the demo's is begun at
  // 05:30 UTC on the 1st, after midnight in all three tenants' zones (Chicago's is 05:00 UTC). One
  // before the end (stale) and one later in the week are kept small (a tenth of the rows): they exist
  // to be skipped, and the demo must stay fast.
  const reports: Array<[string, number]> =
    month === DEMO_PERIOD
      ? [
          ['2026-10-24T00-00Z', 0.1],
          [DEMO_REPORT_FOLDER[month], 1],
          ['2026-11-07T00-00Z', 0.11],
        ]
      : [
          [DEMO_REPORT_FOLDER[month], 1],
          ['2026-10-07T00-00Z', 0.1],
        ];
  for (const [folder, scale] of reports) {
    const rows = inventoryRows(b, seed + Math.round(scale * 1000), scale);
    const chunks = [rows.slice(0, Math.ceil(rows.length / 2)), rows.slice(Math.ceil(rows.length / 2))];
    const files = [];
    for (let i = 0; i < chunks.length; i++) {
      // Level 1: the format is the same gzip AWS delivers; the demo just compresses faster.
      const data = gzipSync(Buffer.from(`${chunks[i]!.join('\n')}\n`), { level: 1 });
      const name = createHash('sha256').update(`${b.name}/${folder}/${i}`).digest('hex').slice(0, 32);
      const key = `inventory/${b.name}/${configId}/data/${name}.csv.gz`;
      await put(path.join(root, b.name, configId, 'data', `${name}.csv.gz`), data);
      files.push({ key, size: data.length, MD5checksum: createHash('md5').update(data).digest('hex') });
    }
    const manifest = {
      sourceBucket: b.name,
      destinationBucket: `arn:aws:s3:::${destBucket}`,
      version: '2016-11-30',
      creationTimestamp: String(Date.parse(folder.replace(/T(\d\d)-(\d\d)Z$/, 'T$1:$2:00Z'))),
      fileFormat: 'CSV',
      fileSchema: SCHEMA.join(', '),
      files,
    };
    const text = json(manifest);
    await put(path.join(root, b.name, configId, folder, 'manifest.json'), text);
    await put(
      path.join(root, b.name, configId, folder, 'manifest.checksum'),
      `${createHash('md5').update(text).digest('hex')}\n`,
    );
  }
}

async function writeKey(dir: string, k: DemoKey): Promise<void> {
  const kd = path.join(dir, 'kms', k.region, k.id);
  if (k.denied) {
    await put(
      path.join(kd, 'describe-key.error.txt'),
      cliError(
        'AccessDeniedException',
        'DescribeKey',
        `User: arn:aws:sts::333333333333:assumed-role/EvidenceReader/s3-evidence is not authorized to perform: kms:DescribeKey on resource: ${kmsArn(k)} because no resource-based policy allows the kms:DescribeKey action`,
      ),
    );
    return;
  }
  await put(
    path.join(kd, 'describe-key.json'),
    json({
      KeyMetadata: {
        AWSAccountId: k.account,
        KeyId: k.id,
        Arn: kmsArn(k),
        CreationDate: '2022-01-10T09:00:00.000000+00:00',
        Enabled: true,
        Description: `${k.alias.slice(6)} data key`,
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: k.manager,
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: false,
      },
    }),
  );
  await put(
    path.join(kd, 'get-key-rotation-status.json'),
    json(
      k.rotation
        ? {
            KeyRotationEnabled: true,
            KeyId: kmsArn(k),
            RotationPeriodInDays: 365,
            NextRotationDate: '2027-01-10T09:00:00+00:00',
          }
        : { KeyRotationEnabled: false, KeyId: kmsArn(k) },
    ),
  );
  const keyPolicy = {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${k.account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
  await put(
    path.join(kd, 'get-key-policy.json'),
    json({ Policy: JSON.stringify(keyPolicy, null, 4), PolicyName: 'default' }),
  );
  if (k.manager === 'CUSTOMER')
    await put(
      path.join(kd, 'list-resource-tags.json'),
      json({ Tags: [{ TagKey: 'purpose', TagValue: k.alias.slice(6) }], Truncated: false }),
    );
}

/** The further bucket reads scripts/export-offline.sh exports, as the AWS CLI prints them. */
async function writeBucketSettings(bd: string, b: DemoBucket, tenant: string, hasPolicy: boolean): Promise<void> {
  if (hasPolicy) await put(path.join(bd, 'get-bucket-policy-status.json'), json({ PolicyStatus: { IsPublic: false } }));
  else
    await put(
      path.join(bd, 'get-bucket-policy-status.error.txt'),
      cliError('NoSuchBucketPolicy', 'GetBucketPolicyStatus', 'The bucket policy does not exist'),
    );
  // Logging off and versioning never enabled print an empty answer.
  await put(
    path.join(bd, 'get-bucket-logging.json'),
    json(b.inventory ? { LoggingEnabled: { TargetBucket: `${tenant}-access-logs`, TargetPrefix: `${b.name}/` } } : {}),
  );
  await put(path.join(bd, 'get-bucket-versioning.json'), json(b.inventory ? { Status: 'Enabled' } : {}));
  await put(
    path.join(bd, 'get-object-lock-configuration.error.txt'),
    cliError(
      'ObjectLockConfigurationNotFoundError',
      'GetObjectLockConfiguration',
      'Object Lock configuration does not exist for this bucket',
    ),
  );
  const inventory = b.inventory
    ? [
        {
          Id: 'encryption-audit',
          IsEnabled: true,
          Destination: {
            S3BucketDestination: { Bucket: `arn:aws:s3:::${tenant}-inventory`, Format: 'CSV', Prefix: 'inventory' },
          },
          IncludedObjectVersions: 'Current',
          OptionalFields: ['Size', 'LastModifiedDate', 'EncryptionStatus', 'BucketKeyStatus'],
          Schedule: { Frequency: 'Daily' },
        },
      ]
    : undefined;
  await put(
    path.join(bd, 'list-bucket-inventory-configurations.json'),
    json({ ...(inventory ? { InventoryConfigurationList: inventory } : {}), IsTruncated: false }),
  );
}

async function writeAccount(dir: string, a: DemoAccount, tenant: string, month: DemoMonth): Promise<void> {
  await put(
    path.join(dir, 'export.json'),
    json({ exportedAt: EXPORTED_AT[month], exportedBy: 'scripts/export-offline.sh (demo data)', account: a.id }),
  );
  await put(
    path.join(dir, 's3api', 'list-buckets.json'),
    json({
      Buckets: a.buckets.map((b) => ({ Name: b.name, CreationDate: b.created })),
      Owner: { DisplayName: `owner-${a.id}`, ID: createHash('sha256').update(a.id).digest('hex') },
    }),
  );
  for (const b of a.buckets) {
    const bd = path.join(dir, 's3api', b.name);
    await put(
      path.join(bd, 'get-bucket-location.json'),
      json({ LocationConstraint: b.region === 'us-east-1' ? null : b.region }),
    );
    const tags = Object.entries(b.tags).map(([Key, Value]) => ({ Key, Value }));
    if (tags.length > 0) await put(path.join(bd, 'get-bucket-tagging.json'), json({ TagSet: tags }));
    else
      await put(
        path.join(bd, 'get-bucket-tagging.error.txt'),
        cliError('NoSuchTagSet', 'GetBucketTagging', 'The TagSet does not exist'),
      );
    if (b.encryption === 'AccessDenied')
      await put(
        path.join(bd, 'get-bucket-encryption.error.txt'),
        cliError('AccessDenied', 'GetBucketEncryption', 'Access Denied'),
      );
    else {
      const byDefault = {
        SSEAlgorithm: b.encryption.algorithm,
        ...(b.encryption.key ? { KMSMasterKeyID: b.encryption.key } : {}),
      };
      await put(
        path.join(bd, 'get-bucket-encryption.json'),
        json({
          ServerSideEncryptionConfiguration: {
            Rules: [
              { ApplyServerSideEncryptionByDefault: byDefault, BucketKeyEnabled: b.encryption.bucketKey ?? false },
            ],
          },
        }),
      );
    }
    const policy = bucketPolicy(b);
    if (b.policy === 'AccessDenied')
      await put(
        path.join(bd, 'get-bucket-policy.error.txt'),
        cliError('AccessDenied', 'GetBucketPolicy', 'Access Denied'),
      );
    else if (policy) await put(path.join(bd, 'get-bucket-policy.json'), json({ Policy: policy }));
    else
      await put(
        path.join(bd, 'get-bucket-policy.error.txt'),
        cliError('NoSuchBucketPolicy', 'GetBucketPolicy', 'The bucket policy does not exist'),
      );
    await put(
      path.join(bd, 'get-public-access-block.json'),
      json({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await writeBucketSettings(bd, b, tenant, policy !== undefined || b.policy === 'AccessDenied');
  }
  const regions = [...new Set(a.keys.map((k) => k.region))].sort();
  for (const region of regions) {
    const aliases = a.keys
      .filter((k) => k.region === region)
      .map((k) => ({ AliasName: k.alias, AliasArn: `arn:aws:kms:${region}:${a.id}:${k.alias}`, TargetKeyId: k.id }));
    aliases.push({
      AliasName: 'alias/aws/s3',
      AliasArn: `arn:aws:kms:${region}:${a.id}:alias/aws/s3`,
      TargetKeyId: createHash('md5')
        .update(`${a.id}${region}`)
        .digest('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    });
    await put(path.join(dir, 'kms', region, 'list-aliases.json'), json({ Aliases: aliases }));
  }
  for (const k of [...a.keys, ...(a.foreignKeys ?? [])]) await writeKey(dir, k);
}

/** Writes the demo's offline exports of `month` under `root` (replacing what was there). */
export async function generateDemoExports(root: string, month: DemoMonth = DEMO_PERIOD): Promise<void> {
  await rm(root, { recursive: true, force: true });
  let seed = month === DEMO_PERIOD ? 20261031 : 20260930;
  for (const t of tenantsIn(month)) {
    for (const a of t.accounts) await writeAccount(path.join(root, 'accounts', a.id), a, t.id, month);
    for (const a of t.accounts) {
      for (const b of a.buckets) {
        seed += 101;
        if (b.inventory) await writeInventory(path.join(root, 'inventory', t.id), t.id, b, seed, month);
      }
    }
  }
  await writeDemoLogs(path.join(root, 'logs'), month);
}

const iam = (account: string, name: string) => `arn:aws:iam::${account}:${name}`;

/** Ordinary traffic plus the month's story: denied uploads, KMS use, one unexpected principal. */
async function writeDemoLogs(root: string, month: DemoMonth): Promise<void> {
  const rand = seededRandom(month === DEMO_PERIOD ? 4242 : 4141);
  let seq = 0;
  const monthIndex = month === DEMO_PERIOD ? 9 : 8;
  const days = month === DEMO_PERIOD ? 31 : 30;
  const at = (day: number, hour: number) =>
    new Date(Date.UTC(2026, monthIndex, Math.min(day, days), hour, Math.floor(rand() * 60), Math.floor(rand() * 60)));
  const req = (
    bucket: string,
    region: string,
    time: Date,
    roleArn: string,
    over: Partial<DemoRequest> = {},
  ): DemoRequest => ({
    bucket,
    region,
    time,
    roleArn,
    requestId: `${(++seq).toString(16).toUpperCase().padStart(8, '0')}${createHash('md5').update(`${bucket}${seq}`).digest('hex').slice(0, 8).toUpperCase()}`,
    ip: `10.20.${seq % 7}.${seq % 200}`,
    operation: rand() < 0.6 ? 'REST.GET.OBJECT' : 'REST.PUT.OBJECT',
    key: `data/2026/${seq % 97}/object-${seq}.json`,
    denied: false,
    tls: true,
    ...over,
  });
  const traffic = (bucket: string, region: string, roleArn: string, sse: string | undefined, perDay: number) =>
    Array.from({ length: days * perDay }, (_, i) => {
      const r = req(bucket, region, at(1 + Math.floor(i / perDay), Math.floor(rand() * 24)), roleArn);
      return r.operation === 'REST.PUT.OBJECT' && sse ? { ...r, sse } : r;
    });

  // acme: SSE-only policy on web assets refuses uploads without AES256; app-data refuses plain HTTP under uploads/.
  const A = '222222222222';
  const acmeKey = `arn:aws:kms:eu-west-1:${A}:key/${ACME_KEY.id}`;
  const web = traffic('acme-web-assets', 'us-east-1', iam(A, 'role/web-deploy'), 'AES256', 12);
  const archive = traffic('acme-legacy-archive', 'us-east-1', iam(A, 'role/archive-reader'), undefined, 6);
  const app = traffic('acme-app-data', 'eu-west-1', iam(A, 'role/app-writer'), 'aws:kms', 10);
  const acmeDenied = [
    ...[3, 3, 7, 9, 14, 14, 14, 18, 22, 27, 29, 30].map((d) =>
      req('acme-web-assets', 'us-east-1', at(d, 15), iam(A, 'role/web-deploy'), {
        operation: 'REST.PUT.OBJECT',
        key: `site/build-${d}/index.html`,
        denied: true,
        ip: '10.20.1.15',
      }),
    ),
    ...[11, 25].map((d) =>
      req('acme-web-assets', 'us-east-1', at(d, 9), iam(A, 'role/web-deploy'), {
        operation: 'REST.PUT.OBJECT',
        key: `site/assets/app-${d}.js`,
        denied: true,
        sse: 'aws:kms',
        ip: '10.20.1.15',
      }),
    ),
    ...[6, 6, 13, 20, 21].map((d) =>
      req('acme-app-data', 'eu-west-1', at(d, 20), iam(A, 'role/partner-upload'), {
        operation: 'REST.PUT.OBJECT',
        key: `uploads/partner/feed-${d}.csv`,
        denied: true,
        tls: false,
        ip: '198.51.100.23',
      }),
    ),
  ];
  const acmeAccess = [...web, ...archive, ...app, ...acmeDenied];
  await writeAccessLogs(path.join(root, 'acme', 'access-logs'), acmeAccess);
  const acmeKms: DemoKmsCall[] = [
    ...app
      .filter((r) => r.operation === 'REST.PUT.OBJECT')
      .map((r) => ({
        time: r.time,
        keyArn: acmeKey,
        eventName: 'GenerateDataKey',
        principal: iam(A, 'role/app-writer'),
        viaS3Bucket: 'acme-app-data',
      })),
    ...Array.from({ length: days * 8 }, (_, i) => ({
      time: at(1 + Math.floor(i / 8), Math.floor(rand() * 24)),
      keyArn: acmeKey,
      eventName: 'Decrypt',
      principal: iam(A, 'role/analytics-reader'),
      viaS3Bucket: 'acme-app-data',
    })),
    ...[20, 20, 20, 21, 21, 21, 21].map((d) => ({
      time: at(d, 2),
      keyArn: acmeKey,
      eventName: 'Decrypt',
      principal: iam(A, 'user/contractor-jdoe'),
    })),
    {
      time: at(21, 3),
      keyArn: acmeKey,
      eventName: 'Decrypt',
      principal: iam(A, 'user/contractor-jdoe'),
      errorCode: 'AccessDeniedException',
    },
    ...(month === DEMO_PERIOD
      ? [
          {
            time: at(12, 16),
            keyArn: acmeKey,
            eventName: 'DisableKeyRotation',
            principal: iam(A, 'role/platform-admin'),
            requestParameters: {},
          },
        ]
      : []),
  ];
  // The trail records S3 data events for web assets and app data only (not the archive).
  await writeCloudTrail(
    path.join(root, 'acme', 'cloudtrail'),
    A,
    [...web, ...app, ...acmeDenied].filter((r) => r.bucket !== 'acme-legacy-archive'),
    acmeKms,
  );

  // northwind: three uploads without SSE refused on the records bucket; every key used only by its roles.
  const N = '111111111111';
  const records = traffic('northwind-prod-records', 'us-east-2', iam(N, 'role/etl-loader'), 'aws:kms', 14);
  const imaging = traffic('northwind-prod-imaging', 'us-east-2', iam(N, 'role/records-api'), 'aws:kms:dsse', 6);
  const backups = traffic('northwind-backups', 'us-west-2', iam(N, 'role/backup-agent'), 'aws:kms', 4);
  const nwDenied = [8, 16, 23].map((d) =>
    req('northwind-prod-records', 'us-east-2', at(d, 11), iam(N, 'role/etl-loader'), {
      operation: 'REST.PUT.OBJECT',
      key: `ingest/batch-${d}.parquet`,
      denied: true,
      ip: '10.30.4.8',
    }),
  );
  const nwAll = [...records, ...imaging, ...backups, ...nwDenied];
  await writeAccessLogs(path.join(root, 'northwind', 'access-logs'), nwAll);
  const keyOf = (b: DemoRequest) =>
    `arn:aws:kms:${b.region}:${N}:key/${b.bucket === 'northwind-backups' ? NW_BACKUP_KEY.id : NW_KEY.id}`;
  const nwKms: DemoKmsCall[] = nwAll
    .filter((r) => !r.denied)
    .map((r) => ({
      time: r.time,
      keyArn: keyOf(r),
      eventName: r.operation === 'REST.PUT.OBJECT' ? 'GenerateDataKey' : 'Decrypt',
      principal: r.roleArn,
      viaS3Bucket: r.bucket,
    }));
  await writeCloudTrail(path.join(root, 'northwind', 'cloudtrail'), N, nwAll, nwKms);
}
