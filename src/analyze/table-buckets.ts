import type { KeyEvidence } from '../evidence/bundle.js';
import type { TableEncryptionOutput } from '../evidence/aws-shapes.js';
import type { FiledRecord } from '../evidence/record.js';
import type { TableBucketRegionEvidence } from '../evidence/table-buckets.js';
import type { KeyResult, MissingEvidence } from '../model/packet.js';
import type {
  MaintenanceKeyAccess,
  TableBucketResult,
  TableBucketsSection,
  TableEncryption,
  TableResult,
} from '../model/table-buckets.js';
import { maintenanceAccess } from './policy/maintenance-access.js';
import { regionalListingResults } from './regional-listings.js';

function encryptionOf(r: FiledRecord<TableEncryptionOutput>): TableEncryption {
  if (r.outcome !== 'ok') return { state: 'unreadable', errorCode: r.error.code, message: r.error.message };
  // The answer was read through its documented shape: the algorithm is AES256 or aws:kms, and aws:kms names its key.
  const c = r.response.encryptionConfiguration!;
  return c.sseAlgorithm === 'aws:kms'
    ? { state: 'read', mode: 'SSE-KMS', kmsKeyArn: c.kmsKeyArn! }
    : { state: 'read', mode: 'SSE-S3' };
}

/** The key evidence the key reads filed for `arn` (read once, whoever named it). */
function keyEvidenceFor(keys: KeyEvidence[], arn: string): KeyEvidence | undefined {
  return keys.find((k) => k.reference === arn);
}

function maintenanceOf(
  keyArn: string,
  key: KeyEvidence | undefined,
  account: string,
  tableBucketArn: string,
): MaintenanceKeyAccess {
  if (!key) return { state: 'unknown', reason: `the key ${keyArn} was not read (no readable account holds it)` };
  if (key.describe.outcome !== 'ok')
    return {
      state: 'unknown',
      reason: `kms:DescribeKey failed: ${key.describe.error.code}; its key policy was not read`,
    };
  const policy = key.policy;
  if (!policy) return { state: 'unknown', reason: 'the key policy was not read' };
  if (policy.outcome !== 'ok') return { state: 'unknown', reason: `kms:GetKeyPolicy failed: ${policy.error.code}` };
  const text = policy.response.Policy;
  if (typeof text !== 'string') return { state: 'unknown', reason: 'kms:GetKeyPolicy answered without a policy' };
  return maintenanceAccess(text, { keyArn, account, tableBucketArn });
}

/** The table buckets section: pure, from the table-bucket evidence and the key evidence. */
export function tableBucketsSection(
  regions: TableBucketRegionEvidence[],
  keys: KeyEvidence[],
  keyResults: KeyResult[],
): TableBucketsSection {
  const aliasOf = (arn: string) => keyResults.find((k) => k.reference === arn)?.alias;
  const buckets: TableBucketResult[] = [];
  for (const r of regions) {
    for (const b of r.buckets) {
      const tables: TableResult[] | undefined =
        b.tables.outcome === 'ok'
          ? b.tableEncryption.map((t) => {
              const encryption = encryptionOf(t.encryption);
              const key = encryption.state === 'read' ? encryption.kmsKeyArn : undefined;
              const keyEv = key ? keyEvidenceFor(keys, key) : undefined;
              const alias = key ? aliasOf(key) : undefined;
              return {
                resource: `${b.name}/${t.namespace}/${t.name}`,
                namespace: t.namespace,
                name: t.name,
                encryption,
                ...(key ? { maintenance: maintenanceOf(key, keyEv, b.account, b.arn) } : {}),
                ...(alias ? { keyAlias: alias } : {}),
                evidence: [t.encryption.file, keyEv?.policy?.file].filter((f): f is string => f !== undefined),
              };
            })
          : undefined;
      buckets.push({
        name: b.name,
        arn: b.arn,
        account: b.account,
        region: b.region,
        encryption: encryptionOf(b.encryption),
        namespaces: b.namespaces.outcome === 'ok' ? (b.namespaces.response.namespaces ?? []).length : null,
        ...(tables ? { tables } : {}),
        ...(b.tables.outcome !== 'ok' ? { tablesError: `${b.tables.error.code}: ${b.tables.error.message}` } : {}),
        evidence: [b.encryption.file, b.namespaces.file, b.tables.file],
      });
    }
  }
  return {
    regions: regionalListingResults(regions),
    buckets,
  };
}

/** What could not be read about table buckets: a region's list, a bucket's encryption, its namespaces or tables, a table's encryption. */
export function tableBucketsMissing(section: TableBucketsSection): MissingEvidence[] {
  const out: MissingEvidence[] = [];
  for (const r of section.regions) {
    if (!r.listed)
      out.push({
        scope: `table buckets of ${r.account} in ${r.region}`,
        source: 's3tables:ListTableBuckets',
        reason: r.reason ?? 'not listed',
      });
  }
  for (const b of section.buckets) {
    const scope = `table bucket ${b.name}`;
    if (b.encryption.state === 'unreadable')
      out.push({
        scope,
        source: 's3tables:GetTableBucketEncryption',
        reason: `${b.encryption.errorCode}: ${b.encryption.message}`,
      });
    if (b.namespaces === null)
      out.push({ scope, source: 's3tables:ListNamespaces', reason: 'namespaces could not be listed' });
    if (b.tablesError) out.push({ scope, source: 's3tables:ListTables', reason: b.tablesError });
    for (const t of b.tables ?? []) {
      if (t.encryption.state === 'unreadable')
        out.push({
          scope: `table ${t.resource}`,
          source: 's3tables:GetTableEncryption',
          reason: `${t.encryption.errorCode}: ${t.encryption.message}`,
        });
    }
  }
  return out;
}
